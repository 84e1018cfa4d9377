package io.ominis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretKeySettingTest {

    @Test
    void serverSettingsReadAndCheckTheSecretKey() {
        String base64 = Base64.getEncoder().encodeToString(new byte[32]);
        ServerSettings with = ServerSettings.fromEnvironment(Map.of("DB_HOST", "localhost", "OMINIS_SECRET_KEY",
                base64));
        assertThat(with.secretKey().getEncoded()).hasSize(32);
        assertThat(with.toString()).contains("secretKey=****").doesNotContain(base64);
        assertThat(ServerSettings.fromEnvironment(Map.of("DB_HOST", "localhost")).secretKey()).isNull();

        String tooShort = Base64.getEncoder().encodeToString(new byte[24]);
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("DB_HOST", "localhost", "OMINIS_SECRET_KEY",
                tooShort)))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.setting()).isEqualTo("OMINIS_SECRET_KEY");
                    assertThat(e.getMessage()).doesNotContain(tooShort);
                });
    }

    @Test
    void theRecordRefusesAKeyThatIsNotA32ByteAesKeyWhenBuiltDirectly() {
        ServerSettings ok = ServerSettings.fromEnvironment(Map.of("DB_HOST", "localhost"));
        javax.crypto.SecretKey hmac = new javax.crypto.spec.SecretKeySpec(new byte[32], "HmacSHA256");
        javax.crypto.SecretKey aes128 = new javax.crypto.spec.SecretKeySpec(new byte[16], "AES");
        for (javax.crypto.SecretKey wrong : java.util.List.of(hmac, aes128)) {
            assertThatThrownBy(() -> new ServerSettings(ok.database(), ok.port(), ok.bindHost(), ok.migrateOnStart(),
                    ok.xmlCurl(), ok.apiToken(), ok.freeSwitch(), wrong, ok.tts(), ok.ivrTargets(), ok.sipPasswords(),
                    ok.http(), ok.staleState(), ok.readReplica(), ok.channelMirror()))
                    .isInstanceOfSatisfying(ConfigurationException.class,
                            e -> assertThat(e.setting()).isEqualTo("OMINIS_SECRET_KEY"));
        }
    }
}
