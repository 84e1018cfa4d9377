package io.ominis.xmlcurl;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.acl.AclEntry;
import io.ominis.core.acl.AclPermission;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclRendererTest {

    @Test
    void severalListsIpv4AndIpv6InStableOrder() {
        List<AclEntry> entries = List.of(
                AclEntry.allow("trusted_users", "2001:DB8:0:0::1"),
                AclEntry.allow("trusted_users", "10.42.0.0/16"),
                new AclEntry(3, "trusted_users", "10.42.7.0/24", AclPermission.DENY, "lab", null, null),
                AclEntry.allow("carriers", "203.0.113.10"),
                AclEntry.allow("carriers", "2001:db8:ffff::/48"),
                AclEntry.allow("trusted_users", "10.42.0.0/16"),
                AclEntry.allow("carriers", "not-an-address"));

        XmlDocument doc = new AclRenderer().render(entries);

        assertThat(doc.warnings()).singleElement().asString().contains("carriers").contains("not-an-address");
        Golden.assertMatches("acl.xml", doc);
    }

    @Test
    void shuffledInputGivesTheSameBytes() {
        List<AclEntry> a = List.of(AclEntry.allow("b", "10.0.0.0/8"), AclEntry.allow("a", "::1"),
                new AclEntry(null, "a", "::1", AclPermission.DENY, null, null, null));
        List<AclEntry> b = List.of(a.get(2), a.get(0), a.get(1));

        assertThat(new AclRenderer().render(a).text()).isEqualTo(new AclRenderer().render(b).text())
                .contains("<node type=\"deny\" cidr=\"::1/128\"/>\n          <node type=\"allow\" cidr=\"::1/128\"/>");
    }

    @Test
    void defaultCanBeAllowAndEmptyInputIsAnEmptyDocument() {
        assertThat(new AclRenderer(AclPermission.ALLOW).render(List.of(AclEntry.allow("x", "10.0.0.1"))).text())
                .contains("<list name=\"x\" default=\"allow\">");
        assertThat(new AclRenderer().render(List.of()).text()).contains("<network-lists/>");
    }
}
