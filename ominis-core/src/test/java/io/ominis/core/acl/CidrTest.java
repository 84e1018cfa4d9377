package io.ominis.core.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.InvalidValueException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "10.42.0.0/16, 10.42.0.0/16",
            "10.0.0.1, 10.0.0.1/32",
            "10.0.0.1/32, 10.0.0.1/32",
            "0.0.0.0/0, 0.0.0.0/0",
            "255.255.255.255, 255.255.255.255/32",
            "' 192.168.1.0/24 ', 192.168.1.0/24"})
    void normalisesIpv4(String text, String canonical) {
        assertThat(Cidr.normalize(text)).isEqualTo(canonical);
        assertThat(Cidr.parse(text).ipv6()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            // RFC 5952: lower case, no leading zeros, the longest run of zero groups becomes ::
            "2001:DB8:0:0::1, 2001:db8::1/128",
            "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1/128",
            "2001:db8::/32, 2001:db8::/32",
            // of two equally long runs the first is compressed
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1/128",
            // the longer run wins even when it comes second
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1/128",
            // a single zero group is not compressed
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1/128",
            ":: , ::/128",
            "::/0, ::/0",
            "::1, ::1/128",
            "fe80::, fe80::/128",
            "FE80::/10, fe80::/10"})
    void normalisesIpv6(String text, String canonical) {
        assertThat(Cidr.normalize(text)).isEqualTo(canonical);
        assertThat(Cidr.parse(text).ipv6()).isTrue();
    }

    @Test
    void readsAnEmbeddedIpv4TailAsTheLastTwoGroups() {
        assertThat(Cidr.parse("::ffff:10.0.0.1")).isEqualTo(Cidr.parse("::ffff:a00:1"));
        assertThat(Cidr.parse("64:ff9b::192.0.2.33")).isEqualTo(Cidr.parse("64:ff9b::c000:221"));
        assertThat(Cidr.parse("1:2:3:4:5:6:1.2.3.4")).isEqualTo(Cidr.parse("1:2:3:4:5:6:102:304"));
        assertThat(Cidr.parse("::ffff:10.0.0.1").prefixLength()).isEqualTo(128);
    }

    @Test
    void aHostAndItsSlash32AreOneNetwork() {
        assertThat(Cidr.parse("10.0.0.1")).isEqualTo(Cidr.parse("10.0.0.1/32"));
        assertThat(Cidr.parse("10.0.0.1").hashCode()).isEqualTo(Cidr.parse("10.0.0.1/32").hashCode());
        assertThat(Cidr.parse("10.0.0.0/8")).isNotEqualTo(Cidr.parse("10.0.0.0/16"));
    }

    @Test
    void refusesHostBitsBeyondThePrefixAndSuggestsTheNetwork() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8"))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> {
                    assertThat(e.field()).isEqualTo("cidr");
                    assertThat(e.reason()).contains("host bits").contains("10.0.0.0/8");
                });
        assertThatThrownBy(() -> Cidr.parse("2001:db8::1/32"))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.reason()).contains("2001:db8::/32"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"010.0.0.1", "10.00.0.0/16", "10.0.0.01"})
    void refusesLeadingZerosInIpv4BecauseSomeParsersReadThemAsOctal(String text) {
        assertRefused(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "abc", "localhost", "10.0.0", "10.0.0.0.0", "256.0.0.0", "10.0.0.0/33",
            "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/ 8", "-1.0.0.0", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7", "1::2::3", ":::", ":1::", "1::2:", "12345::", "g::1", "::/129", "fe80::1%eth0",
            "::ffff:10.0.0.256", "::1.2.3", "1.2.3.4::", "1.2.3.4::5", "::1.2.3.4:5", "10.0.0.0\n/8"})
    void refusesGarbage(String text) {
        assertRefused(text);
    }

    @Test
    void refusesNull() {
        assertRefused(null);
    }

    @Test
    void quotesLongOrControlCharacterInputShortenedInTheMessage() {
        String junk = "x".repeat(500) + "\u0000";
        assertThatThrownBy(() -> Cidr.parse(junk))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> {
                    assertThat(e.reason()).hasSizeLessThan(200);
                    assertThat(e.reason()).doesNotContain("\u0000");
                });
    }

    private static void assertRefused(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("cidr"));
    }
}
