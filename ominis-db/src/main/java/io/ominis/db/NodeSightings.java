package io.ominis.db;

import io.ominis.core.FieldCheck;
import io.ominis.core.switchstate.NodeSighting;
import io.ominis.db.internal.SqlErrors;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code freeswitch_node_sightings} table: each server records here whether a FreeSWITCH node answered its probe,
 * so that "unreachable for longer than N" is the same verdict on every replica and after a restart. Times are the
 * database's clock, never a server's, for the same reason.
 */
public final class NodeSightings {

    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_ERROR = 1024;

    private static final String ANSWERED = """
            INSERT INTO freeswitch_node_sightings AS s (node, switchname, cc_instance_id, last_seen)
            VALUES (:node, :switchname, :ccInstanceId, now())
            ON CONFLICT (node) DO UPDATE
            SET switchname     = coalesce(EXCLUDED.switchname, s.switchname),
                cc_instance_id = EXCLUDED.cc_instance_id,
                last_checked   = now(),
                last_seen      = greatest(s.last_seen, now()),
                last_error     = NULL""";

    private static final String FAILED = """
            INSERT INTO freeswitch_node_sightings AS s (node, last_error)
            VALUES (:node, :error)
            ON CONFLICT (node) DO UPDATE
            SET last_checked = now(),
                last_error   = EXCLUDED.last_error""";

    private static final String LIST = """
            SELECT node, switchname, cc_instance_id, first_checked, last_checked, last_seen, last_error
            FROM freeswitch_node_sightings
            ORDER BY node""";

    private final Jdbi jdbi;

    /** The sightings in {@code dataSource}'s database. */
    public NodeSightings(DataSource dataSource) {
        this.jdbi = Jdbi.create(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * Records that {@code node} answered now.
     *
     * @param switchname   its {@code switchname} answer; null keeps the one recorded before
     * @param ccInstanceId the {@code cc-instance-id} it runs with; null for {@code single_box}
     */
    public void answered(String node, String switchname, String ccInstanceId) {
        checkNode(node);
        String name = switchname == null ? null : FieldCheck.singleLine("switchname", switchname.strip(), 256);
        String instance = ccInstanceId == null ? NodeSighting.SINGLE_BOX
                : FieldCheck.singleLine("ccInstanceId", ccInstanceId, 255);
        SqlErrors.guard(() -> jdbi.withHandle(h -> h.createUpdate(ANSWERED)
                .bind("node", node)
                .bind("switchname", name == null || name.isEmpty() ? null : name)
                .bind("ccInstanceId", instance)
                .execute()));
    }

    /** Records that a probe of {@code node} failed now with {@code error} (kept to 1024 characters). */
    public void failed(String node, String error) {
        checkNode(node);
        String text = error == null ? "unreachable" : error.replaceAll("[\\r\\n]+", " ");
        String kept = text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
        SqlErrors.guard(() -> jdbi.withHandle(h -> h.createUpdate(FAILED)
                .bind("node", node)
                .bind("error", kept)
                .execute()));
    }

    /** Every node any server has tried, by name. */
    public List<NodeSighting> list() {
        return SqlErrors.guard(() -> jdbi.withHandle(this::list));
    }

    /** Every node, read in {@code h}'s transaction. */
    List<NodeSighting> list(Handle h) {
        return h.createQuery(LIST)
                .map((rs, ctx) -> new NodeSighting(rs.getString("node"), rs.getString("switchname"),
                        rs.getString("cc_instance_id"), instant(rs.getObject("first_checked", OffsetDateTime.class)),
                        instant(rs.getObject("last_checked", OffsetDateTime.class)),
                        instant(rs.getObject("last_seen", OffsetDateTime.class)), rs.getString("last_error")))
                .list();
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static void checkNode(String node) {
        FieldCheck.matches("node", node, NODE, "must be 1-64 of [A-Za-z0-9._-]");
    }
}
