package io.ominis.xmlcurl;

import io.ominis.core.InvalidValueException;
import io.ominis.core.acl.AclEntry;
import io.ominis.core.acl.AclPermission;
import io.ominis.core.acl.Cidr;
import io.ominis.xmlcurl.internal.FsXmlOutput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders {@code acl.conf}: one {@code <list name default>} per list name, in name order, each with its
 * {@code <node type cidr/>}s (IPv4 before IPv6, then by address text; for the same network {@code deny} first, which
 * is the node FreeSWITCH uses when two nodes tie).
 *
 * <p>Every list gets {@code default="deny"} unless configured otherwise: FreeSWITCH's own default is {@code allow},
 * which would turn a list meant to admit a few networks into one that admits everyone else too. A list that should
 * block a few networks and admit the rest is built with {@link #AclRenderer(AclPermission)} and {@code ALLOW}.
 * Entries whose CIDR does not parse are left out with a warning, so one bad row cannot hide the rest of its list;
 * repeated entries are rendered once.
 */
public final class AclRenderer {

    private static final Comparator<Node> NODE_ORDER = Comparator
            .comparing((Node n) -> n.cidr().ipv6())
            .thenComparing(n -> n.cidr().toString())
            .thenComparing(n -> n.permission() == AclPermission.DENY ? 0 : 1);

    private final AclPermission listDefault;
    private final FsXmlOutput output = new FsXmlOutput();

    /** Lists default to deny. */
    public AclRenderer() {
        this(AclPermission.DENY);
    }

    /** Lists default to {@code listDefault}: what an address matching no node of the list gets. */
    public AclRenderer(AclPermission listDefault) {
        this.listDefault = Objects.requireNonNull(listDefault, "listDefault");
    }

    /** Renders every list named by {@code entries}; an empty list of entries renders an empty {@code <network-lists>}. */
    public XmlDocument render(List<AclEntry> entries) {
        Objects.requireNonNull(entries, "entries");
        List<String> warnings = new ArrayList<>();
        Map<String, TreeSet<Node>> lists = new TreeMap<>();
        for (AclEntry entry : entries) {
            Cidr cidr;
            try {
                cidr = Cidr.parse(entry.cidr());
            } catch (InvalidValueException e) {
                warnings.add("acl entry " + entry.id() + " of list " + entry.listName() + ": " + e.getMessage()
                        + "; left out");
                continue;
            }
            lists.computeIfAbsent(entry.listName(), name -> new TreeSet<>(NODE_ORDER))
                    .add(new Node(cidr, entry.permission()));
        }
        byte[] xml = output.document(w -> {
            w.section("configuration").start("configuration").attribute("name", "acl.conf")
                    .attribute("description", "Network Lists").start("network-lists");
            for (Map.Entry<String, TreeSet<Node>> list : lists.entrySet()) {
                w.start("list").attribute("name", list.getKey()).attribute("default", listDefault.wire());
                for (Node node : list.getValue()) {
                    w.start("node").attribute("type", node.permission().wire())
                            .attribute("cidr", node.cidr().toString()).end();
                }
                w.end();
            }
            w.end().end().end();
        });
        return new XmlDocument(xml, null, warnings);
    }

    private record Node(Cidr cidr, AclPermission permission) {
    }
}
