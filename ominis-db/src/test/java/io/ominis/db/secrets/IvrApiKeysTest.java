package io.ominis.db.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.UnavailableException;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IvrApiKeysTest {

    static final String KEY = "sk-proj-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0UvWxYz";

    private final IvrApiKeys keys = IvrApiKeys.of(SecretBoxTest.randomKey());

    @Test
    void sealsWithAHintAndOpensForTheSameIvrOnly() {
        String stored = keys.seal("main", KEY);
        assertThat(stored).doesNotContain(KEY).doesNotContain("Ab1Cd2");
        assertThat(IvrApiKeys.hint(stored)).isEqualTo("sk-…WxYz");
        assertThat(keys.open("main", stored)).isEqualTo(KEY);
        assertThatThrownBy(() -> keys.open("other", stored)).isInstanceOf(SecretBoxException.Unauthentic.class);
    }

    @Test
    void showsNoHintForNoKeyOrAKeyNotSealedHere() {
        assertThat(IvrApiKeys.hint(null)).isNull();
        assertThat(IvrApiKeys.hint(KEY)).isNull();
    }

    @Test
    void refusesMalformedKeysWithoutQuotingThem() {
        for (String bad : new String[] {"sk-short", "sk-" + "x".repeat(600), "sk-with a space-0123456789",
                "sk-tab\t0123456789abcdefgh", "sk-ünïcødé-0123456789abc"}) {
            assertThatThrownBy(() -> keys.seal("main", bad))
                    .isInstanceOfSatisfying(InvalidValueException.class, e -> {
                        assertThat(e.field()).isEqualTo("openai_api_key");
                        assertThat(e.getMessage()).doesNotContain(bad);
                    });
        }
    }

    @Test
    void withoutASecretKeyRefusesToStoreOrOpen() {
        IvrApiKeys none = IvrApiKeys.of(null);
        assertThat(none.available()).isFalse();
        assertThatThrownBy(() -> none.seal("main", KEY))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> {
                    assertThat(e.field()).isEqualTo("openai_api_key");
                    assertThat(e.reason()).contains("OMINIS_SECRET_KEY");
                });
        assertThatThrownBy(() -> none.open("main", keys.seal("main", KEY)))
                .isInstanceOf(UnavailableException.class);
    }

}
