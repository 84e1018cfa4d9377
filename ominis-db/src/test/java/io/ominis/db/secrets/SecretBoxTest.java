package io.ominis.db.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    static SecretKey randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new SecretKeySpec(bytes, "AES");
    }

    private final SecretBox box = new SecretBox(randomKey());

    @Test
    void roundTripsWithAndWithoutALabel() {
        String secret = "sk-proj-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv ünïcødé";
        String sealed = box.seal(secret, "ctx");
        assertThat(sealed).startsWith("v1:").doesNotContain("sk-proj").doesNotContain(secret);
        assertThat(box.open(sealed, "ctx")).isEqualTo(secret);
        assertThat(SecretBox.label(sealed)).isNull();

        String labelled = box.seal(secret, "ctx", "sk-…t0Uv");
        assertThat(box.open(labelled, "ctx")).isEqualTo(secret);
        assertThat(SecretBox.label(labelled)).isEqualTo("sk-…t0Uv");
        assertThat(labelled).matches("v1:[A-Za-z0-9+/=]+:[A-Za-z0-9_-]+");
    }

    @Test
    void drawsAFreshNonceForEveryValue() {
        String a = box.seal("same secret value", "ctx");
        String b = box.seal("same secret value", "ctx");
        assertThat(a).isNotEqualTo(b);
        byte[] nonceA = Base64.getDecoder().decode(a.substring(3));
        byte[] nonceB = Base64.getDecoder().decode(b.substring(3));
        assertThat(java.util.Arrays.copyOf(nonceA, 12)).isNotEqualTo(java.util.Arrays.copyOf(nonceB, 12));
        // nonce (12) + plaintext + tag (16)
        assertThat(nonceA).hasSize(12 + "same secret value".length() + 16);
    }

    @Test
    void detectsEveryAlteredByte() {
        String sealed = box.seal("a secret", "ctx");
        byte[] body = Base64.getDecoder().decode(sealed.substring(3));
        for (int i = 0; i < body.length; i++) {
            byte[] altered = body.clone();
            altered[i] ^= 0x01;
            String text = "v1:" + Base64.getEncoder().encodeToString(altered);
            assertThatThrownBy(() -> box.open(text, "ctx")).isInstanceOf(SecretBoxException.Unauthentic.class);
        }
    }

    @Test
    void detectsAReplacedOrRemovedLabel() {
        String sealed = box.seal("a secret", "ctx", "sk-…1234");
        String body = sealed.substring(0, sealed.lastIndexOf(':'));
        String otherLabel = body + ":" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString("sk-…9999".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> box.open(otherLabel, "ctx")).isInstanceOf(SecretBoxException.Unauthentic.class);
        assertThatThrownBy(() -> box.open(body, "ctx")).isInstanceOf(SecretBoxException.Unauthentic.class);
    }

    @Test
    void refusesAnotherContext() {
        String sealed = box.seal("a secret", "ivrs.openai_api_key:main");
        assertThatThrownBy(() -> box.open(sealed, "ivrs.openai_api_key:other"))
                .isInstanceOf(SecretBoxException.Unauthentic.class)
                .hasMessageNotContaining("a secret");
    }

    @Test
    void refusesAnotherKey() {
        String sealed = box.seal("a secret", "ctx");
        SecretBox other = new SecretBox(randomKey());
        assertThatThrownBy(() -> other.open(sealed, "ctx")).isInstanceOf(SecretBoxException.Unauthentic.class);
    }

    @Test
    void refusesWhatIsNotASealedValue() {
        for (String text : new String[] {null, "", "sk-plaintext-key", "v2:AAAA", "v1:not base64!", "v1:AAAA",
                "v1:" + Base64.getEncoder().encodeToString(new byte[40]) + ":a:b"}) {
            assertThatThrownBy(() -> box.open(text, "ctx")).isInstanceOf(SecretBoxException.Malformed.class);
            assertThat(SecretBox.isSealed(text)).isFalse();
        }
        assertThat(SecretBox.isSealed(box.seal("x", "ctx"))).isTrue();
    }

    @Test
    void parsesKeysAsHexOrBase64() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String hex = HexFormat.of().formatHex(bytes);
        String base64 = Base64.getEncoder().encodeToString(bytes);
        String url = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        for (String text : new String[] {hex, hex.toUpperCase(), base64, url, " " + base64 + "\n"}) {
            assertThat(SecretBox.parseKey(text).getEncoded()).isEqualTo(bytes);
        }
        SecretBox a = new SecretBox(SecretBox.parseKey(hex));
        SecretBox b = new SecretBox(SecretBox.parseKey(base64));
        assertThat(b.open(a.seal("shared", "ctx"), "ctx")).isEqualTo("shared");
    }

    @Test
    void refusesKeysOfTheWrongSize() {
        String secretLooking = Base64.getEncoder().encodeToString(new byte[16]);
        for (String text : new String[] {"", "   ", "short", secretLooking, HexFormat.of().formatHex(new byte[31]),
                "z".repeat(64)}) {
            assertThatThrownBy(() -> SecretBox.parseKey(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> {
                        if (!text.isBlank()) {
                            assertThat(e.getMessage()).doesNotContain(text);
                        }
                    });
        }
        assertThatThrownBy(() -> new SecretBox(new SecretKeySpec(new byte[16], "AES")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
