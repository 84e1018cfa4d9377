package io.ominis.xmlcurl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.ExtensionStatus;
import org.junit.jupiter.api.Test;

class DirectoryRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Lookup.DirectoryUser LOOKUP =
            new Lookup.DirectoryUser("1001", "pbx.example.com", "pbx.example.com", "sip_auth");

    private final DirectoryRenderer renderer = new DirectoryRenderer();

    @Test
    void plainUser() {
        XmlDocument doc = renderer.render(LOOKUP, Extension.of("1001", "s3cret"), 0);

        assertThat(doc.isNotFound()).isFalse();
        assertThat(doc.warnings()).isEmpty();
        Golden.assertMatches("directory-plain.xml", doc);
    }

    @Test
    void userWithForwardingVoicemailAndFeatures() {
        Extension ext = new Extension("1001", "s3cret", "Alice O'Neil & Co", "alice@example.com", "sales",
                ExtensionStatus.ACTIVE,
                json("{\"enabled\":true,\"destination\":\"1002\",\"on_busy\":\"1003\",\"on_no_answer\":\"+15551234\"}"),
                json("{\"enabled\":false,\"password\":1234,\"email_notify\":true,\"attach_file\":true}"),
                json("{\"toll_allow\":\"domestic\",\"dnd\":false,\"max_calls\":2,\"callgroup\":\"sales\"}"),
                null, null);

        XmlDocument doc = renderer.render(LOOKUP, ext, 300_000);

        assertThat(doc.warnings()).isEmpty();
        Golden.assertMatches("directory-full.xml", doc);
    }

    @Test
    void a1HashInsteadOfPasswordAndAnotherContext() {
        DirectoryRenderer hashing = new DirectoryRenderer(
                new DirectoryOptions("office", DirectoryOptions.PasswordMode.A1_HASH));
        Lookup.DirectoryUser lookup = new Lookup.DirectoryUser("1001", "pbx.example.com", "sip.example.com", "sip_auth");

        XmlDocument doc = hashing.render(lookup, Extension.of("1001", "s3cret"), 0);

        // md5("1001:sip.example.com:s3cret")
        assertThat(doc.text()).contains("name=\"a1-hash\" value=\"" + md5("1001:sip.example.com:s3cret") + "\"")
                .doesNotContain("s3cret");
        Golden.assertMatches("directory-a1-hash.xml", doc);
    }

    @Test
    void forwardingIsOffUnlessEnabledAndBadMembersAreReported() {
        Extension ext = new Extension("1001", "pw", null, null, null, ExtensionStatus.ACTIVE,
                json("{\"enabled\":true,\"destination\":\"1002,evil|x\",\"on_busy\":{\"a\":1},\"colour\":\"red\"}"),
                json("[1,2]"), json("{\"bad-name\":1,\"nested\":{\"x\":1}}"), null, null);

        XmlDocument doc = renderer.render(LOOKUP, ext, 0);

        assertThat(doc.text()).doesNotContain("call_forward").doesNotContain("nested").doesNotContain("bad-name")
                .doesNotContain("vm-");
        assertThat(doc.warnings()).containsExactly(
                "voicemail_json: not a JSON object; left out",
                "call_forwarding_json: unknown member ignored",
                "call_forwarding_json.destination: not a number or user@host; left out",
                "call_forwarding_json.on_busy: must be a string, number or boolean; left out",
                "features_json: member name is not [A-Za-z0-9_]{1,64}; left out",
                "features_json.nested: must be a string, number or boolean; left out");
        Extension disabled = new Extension("1001", "pw", null, null, null, ExtensionStatus.ACTIVE,
                json("{\"enabled\":false,\"destination\":\"1002\"}"), null, null, null, null);
        assertThat(renderer.render(LOOKUP, disabled, 0).text()).doesNotContain("call_forward");
    }

    @Test
    void featuresCannotOverrideTheContext() {
        Extension ext = new Extension("1001", "pw", null, null, null, ExtensionStatus.ACTIVE, null, null,
                json("{\"user_context\":\"admin\"}"), null, null);

        assertThat(renderer.render(LOOKUP, ext, 0).text())
                .contains("name=\"user_context\" value=\"default\"")
                .contains("name=\"ominis_user_context\" value=\"admin\"");
    }

    @Test
    void refusalsAreTheNotFoundDocument() {
        assertRefused(null, NotFoundReason.UNKNOWN_USER);
        assertRefused(Extension.of("1002", "pw"), NotFoundReason.UNKNOWN_USER);
        assertRefused(withStatus(ExtensionStatus.INACTIVE), NotFoundReason.INACTIVE_USER);
        assertRefused(withStatus(ExtensionStatus.SUSPENDED), NotFoundReason.SUSPENDED_USER);
        assertRefused(Extension.of("1001", ""), NotFoundReason.EMPTY_PASSWORD);
        assertRefused(Extension.of("1001", " \t"), NotFoundReason.EMPTY_PASSWORD);
        assertRefused(Extension.of("1001", null), NotFoundReason.EMPTY_PASSWORD);
    }

    @Test
    void userIdMatchesCaseInsensitivelyLikeFreeSwitch() {
        Lookup.DirectoryUser upper = new Lookup.DirectoryUser("ALICE", "pbx.example.com", "pbx.example.com", null);

        assertThat(renderer.render(upper, Extension.of("alice", "pw"), 0).text()).contains("<user id=\"alice\">");
    }

    private void assertRefused(Extension extension, NotFoundReason reason) {
        XmlDocument doc = renderer.render(LOOKUP, extension, 60_000);
        assertThat(doc.notFoundReason()).contains(reason);
        Golden.assertMatches("not-found.xml", doc);
    }

    private static Extension withStatus(ExtensionStatus status) {
        return new Extension("1001", "pw", null, null, null, status, null, null, null, null, null);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String md5(String text) throws RuntimeException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
