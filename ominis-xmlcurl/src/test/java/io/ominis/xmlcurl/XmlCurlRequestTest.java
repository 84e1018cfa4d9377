package io.ominis.xmlcurl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XmlCurlRequestTest {

    /** A sip_auth body with every field mod_sofia sends (freeswitch-facts §4.2), URL-encoded like FreeSWITCH does. */
    static final String SIP_AUTH = "hostname=fs-node-1&section=directory&tag_name=domain&key_name=name"
            + "&key_value=pbx.example.com&Event-Name=REQUEST_PARAMS&Core-UUID=6f1c2c3e-0000-4000-8000-000000000001"
            + "&FreeSWITCH-Hostname=fs-node-1&FreeSWITCH-Switchname=fs-node-1&FreeSWITCH-IPv4=10.0.0.5"
            + "&FreeSWITCH-IPv6=%3A%3A1&Event-Date-Local=2026-11-25%2010%3A00%3A00"
            + "&Event-Date-GMT=Wed,%2025%20Nov%202026%2009%3A00%3A00%20GMT&Event-Date-Timestamp=1795597200000000"
            + "&Event-Calling-File=sofia_reg.c&Event-Calling-Function=sofia_reg_parse_auth"
            + "&Event-Calling-Line-Number=3126&Event-Sequence=1234&action=sip_auth&sip_profile=internal"
            + "&sip_user_agent=Yealink%20SIP-T46S&sip_auth_username=1001&sip_auth_realm=pbx.example.com"
            + "&sip_auth_nonce=8f0c1a2b-0000-4000-8000-000000000002&sip_auth_uri=sip%3Apbx.example.com"
            + "&sip_contact_user=1001&sip_contact_host=192.168.1.20&sip_to_user=1001&sip_to_host=pbx.example.com"
            + "&sip_via_protocol=udp&sip_from_user=1001&sip_from_host=pbx.example.com&sip_call_id=abc%40192.168.1.20"
            + "&sip_request_host=pbx.example.com&sip_auth_qop=auth&sip_auth_cnonce=0a4f113b&sip_auth_nc=00000001"
            + "&sip_auth_response=6629fae49393a05397450978507c4ef1&sip_auth_method=REGISTER&client_port=5060"
            + "&key=id&user=1001&domain=pbx.example.com&ip=192.168.1.20";

    @Test
    void sipAuthWithAllFieldsIsADirectoryUserLookup() {
        XmlCurlRequest request = XmlCurlRequest.parse(SIP_AUTH);

        assertThat(request.hostname()).isEqualTo("fs-node-1");
        assertThat(request.section()).contains(Section.DIRECTORY);
        assertThat(request.action()).contains("sip_auth");
        assertThat(request.sipAuthRealm()).contains("pbx.example.com");
        assertThat(request.sipAuthUsername()).contains("1001");
        assertThat(request.sipProfile()).contains("internal");
        assertThat(request.ip()).contains("192.168.1.20");
        assertThat(request.get("Event-Date-Local")).contains("2026-11-25 10:00:00");
        assertThat(request.isDirectoryUserLookup()).isTrue();
        assertThat(request.lookup()).isEqualTo(
                new Lookup.DirectoryUser("1001", "pbx.example.com", "pbx.example.com", "sip_auth"));
        assertThat(request.toString()).doesNotContain("sip_auth_response").doesNotContain("6629fae4");
    }

    @Test
    void userCallFromBridge() {
        XmlCurlRequest request = XmlCurlRequest.parse("hostname=fs1&section=directory&tag_name=domain&key_name=name"
                + "&key_value=pbx.example.com&Event-Name=REQUEST_PARAMS&action=user_call&as_channel=true"
                + "&user=1002&domain=pbx.example.com&key=id");

        assertThat(request.lookup()).isEqualTo(
                new Lookup.DirectoryUser("1002", "pbx.example.com", "pbx.example.com", "user_call"));
    }

    @Test
    void aclConfWithOnlyTheFiveBaseFields() {
        XmlCurlRequest request = XmlCurlRequest.parse(
                "hostname=fs1&section=configuration&tag_name=configuration&key_name=name&key_value=acl.conf");

        assertThat(request.missingBaseFields()).isEmpty();
        assertThat(request.lookup()).isEqualTo(new Lookup.AclConf());
        assertThat(request.isDirectoryUserLookup()).isFalse();
    }

    @Test
    void ivrConfWithMenuNameAndChannelVariables() {
        XmlCurlRequest request = XmlCurlRequest.parse("hostname=fs1&section=configuration&tag_name=configuration"
                + "&key_name=name&key_value=ivr.conf&Event-Name=REQUEST_PARAMS&Menu-Name=sales%2Fmain_menu"
                + "&Channel-State=CS_EXECUTE&Caller-Caller-ID-Number=1001&variable_domain_name=pbx.example.com");

        assertThat(request.lookup()).isEqualTo(new Lookup.IvrConf("sales/main_menu", "sales"));
        assertThat(XmlCurlRequest.parse("hostname=fs1&section=configuration&tag_name=configuration&key_name=name"
                + "&key_value=ivr.conf&Menu-Name=sales").lookup()).isEqualTo(new Lookup.IvrConf("sales", "sales"));
    }

    @Test
    void callcenterConfAtLoadAndForOneQueue() {
        String base = "hostname=fs1&section=configuration&tag_name=configuration&key_name=name&key_value=callcenter.conf";

        assertThat(XmlCurlRequest.parse(base).lookup()).isEqualTo(new Lookup.CallcenterConf(null));
        assertThat(XmlCurlRequest.parse(base + "&Event-Name=REQUEST_PARAMS&CC-Queue=support%40default").lookup())
                .isEqualTo(new Lookup.CallcenterConf("support@default"));
    }

    @Test
    void parsesEmptyPairsBareNamesRepeatsAndEscapesAsBefore() {
        XmlCurlRequest request = XmlCurlRequest.parse("&&a=1&bare&=x&a=2&plus=a+b&pct=%41%zz&empty=&");
        assertThat(request.parameters()).containsExactly(Map.entry("a", "1"), Map.entry("bare", ""),
                Map.entry("", "x"), Map.entry("plus", "a b"), Map.entry("pct", "%41%zz"), Map.entry("empty", ""));
        assertThat(XmlCurlRequest.parse("").parameters()).isEmpty();
        assertThat(XmlCurlRequest.parse("only").parameters()).containsExactly(Map.entry("only", ""));
    }

    @Test
    void getRequestsAsAFrameworkHandsThemOverTakeTheFirstValue() {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("hostname", List.of("fs1"));
        query.put("section", List.of("configuration", "directory"));
        query.put("tag_name", List.of("configuration"));
        query.put("key_name", List.of("name"));
        query.put("key_value", List.of("acl.conf"));
        query.put("ignored", List.of());

        XmlCurlRequest request = XmlCurlRequest.of(query);

        assertThat(request.sectionName()).isEqualTo("configuration");
        assertThat(request.get("ignored")).isEmpty();
        assertThat(request.lookup()).isEqualTo(new Lookup.AclConf());
    }

    @Test
    void everythingElseIsUnservedWithAReason() {
        String cfg = "hostname=fs1&section=configuration&tag_name=configuration&key_name=name&key_value=";
        String dir = "hostname=fs1&section=directory&tag_name=domain&key_name=name&key_value=pbx.example.com";

        assertThat(reason("")).isEqualTo(NotFoundReason.MALFORMED_REQUEST);
        assertThat(reason("section=directory&user=1001")).isEqualTo(NotFoundReason.MALFORMED_REQUEST);
        assertThat(reason("hostname=fs1&section=dialplan&tag_name=&key_name=&key_value=&Hunt-Context=default"))
                .isEqualTo(NotFoundReason.UNSUPPORTED_SECTION);
        assertThat(reason("hostname=fs1&section=phrases&tag_name=&key_name=&key_value="))
                .isEqualTo(NotFoundReason.UNSUPPORTED_SECTION);
        assertThat(reason(cfg + "sofia.conf&profile=internal")).isEqualTo(NotFoundReason.UNSUPPORTED_CONFIGURATION);
        assertThat(reason(cfg + "ivr.conf")).isEqualTo(NotFoundReason.INVALID_PARAMETER);
        assertThat(reason(cfg + "ivr.conf&Menu-Name=..%2F..%2Fetc")).isEqualTo(NotFoundReason.INVALID_PARAMETER);
        assertThat(reason(cfg + "callcenter.conf&CC-Queue=a%20b")).isEqualTo(NotFoundReason.INVALID_PARAMETER);
        assertThat(reason(dir + "&purpose=gateways&profile=internal")).isEqualTo(NotFoundReason.UNSUPPORTED_LOOKUP);
        assertThat(reason(dir + "&purpose=network-list&domain=pbx.example.com"))
                .isEqualTo(NotFoundReason.UNSUPPORTED_LOOKUP);
        assertThat(reason(dir + "&action=sip_auth")).isEqualTo(NotFoundReason.UNSUPPORTED_LOOKUP);
        assertThat(reason(dir + "&action=sip_auth&user=%24%24%7Bhostname%7D")).isEqualTo(NotFoundReason.UNKNOWN_USER);
        assertThat(reason("hostname=fs1&section=directory&tag_name=domain&key_name=name&key_value=&user=1001"))
                .isEqualTo(NotFoundReason.INVALID_PARAMETER);
    }

    @Test
    void realmFallsBackToTheDomainAndMalformedEscapesDoNotThrow() {
        XmlCurlRequest request = XmlCurlRequest.parse("hostname=fs1&section=directory&tag_name=domain&key_name=name"
                + "&key_value=pbx.example.com&user=1001&bad=%zz%");

        assertThat(request.get("bad")).contains("%zz%");
        assertThat(((Lookup.DirectoryUser) request.lookup()).realm()).isEqualTo("pbx.example.com");
    }

    private static NotFoundReason reason(String form) {
        Lookup lookup = XmlCurlRequest.parse(form).lookup();
        assertThat(lookup).isInstanceOf(Lookup.Unserved.class);
        return ((Lookup.Unserved) lookup).reason();
    }

    @Test
    void findsEachFieldInTheFormAsTheWholeParseDoes() {
        List<String> forms = List.of(
                "section=directory&user=1001&user=1002&domain=example.com",
                "a&b=&=c&&d=%zz&e=1+2&f=%41%42",
                "us%65r=encoded-name&user=plain&Event-Name=REQUEST_PARAMS",
                "key_value=x%3Dy%26z&key_name=name&hostname=&tag_name",
                "user%3D1=odd&user=1=2&section",
                "",
                "&&&",
                "caf%C3%A9=%E2%82%AC&x+y=z");
        for (String form : forms) {
            Map<String, String> all = XmlCurlRequest.parse(form).parameters();
            List<String> names = new java.util.ArrayList<>(all.keySet());
            names.addAll(List.of("absent", "use", "user1", "", "section", "hostname", "tag_name", "key_value"));
            for (String name : names) {
                // a fresh request each time: the lookup of one field must not lean on a parse made for another
                assertThat(XmlCurlRequest.parse(form).get(name)).as("%s in %s", name, form)
                        .isEqualTo(java.util.Optional.ofNullable(all.get(name)));
            }
            assertThat(XmlCurlRequest.parse(form).missingBaseFields()).as(form)
                    .isEqualTo(XmlCurlRequest.BASE_FIELDS.stream().filter(f -> !all.containsKey(f)).toList());
        }
        assertThat(XmlCurlRequest.parse("us%65r=encoded-name&user=plain").get("user")).contains("encoded-name");
        assertThat(XmlCurlRequest.parse("a&b=").get("a")).contains("");
        assertThat(XmlCurlRequest.parse(null).parameters()).isEmpty();
    }
}
