package io.ominis.db;

import io.ominis.core.switchstate.CommandAlias;
import io.ominis.core.switchstate.Completion;
import io.ominis.core.switchstate.NatMapping;
import io.ominis.core.switchstate.RecoveryEntry;
import io.ominis.core.switchstate.ScheduledTask;
import io.ominis.core.switchstate.SwitchInterface;
import io.ominis.db.internal.SqlErrors;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Reads FreeSWITCH's small bookkeeping tables: {@code recovery}, {@code complete}, {@code aliases}, {@code tasks},
 * {@code nat} and {@code interfaces}. One DAO rather than six because each offers the same single read, "the rows of
 * one host", and none is written by Ominis.
 *
 * <p>Hostnames differ by table, as FreeSWITCH fills them: {@code recovery} carries the switchname; {@code complete},
 * {@code aliases}, {@code nat}, {@code tasks} and {@code interfaces} the OS hostname. The two are the same unless
 * switch.conf sets {@code switchname}. Every method takes null for "all hosts".
 */
public final class SwitchStateDao {

    // Each statement names one fixed table and an ORDER BY; the shared filter is the only variable part.
    private static final String RECOVERY = """
            SELECT * FROM recovery
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
            ORDER BY hostname, uuid""";

    private static final String COMPLETE = """
            SELECT * FROM complete
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
            ORDER BY hostname, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10""";

    private static final String ALIASES = """
            SELECT * FROM aliases
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
            ORDER BY hostname, alias""";

    private static final String TASKS = """
            SELECT * FROM tasks
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
            ORDER BY hostname, task_id""";

    private static final String NAT = """
            SELECT * FROM nat
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
            ORDER BY hostname, port, proto""";

    private static final String INTERFACES = """
            SELECT * FROM interfaces
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
            ORDER BY hostname, type, name""";

    /** {@code complete} spreads one rule's words over columns a1…a10; the record keeps them as a list. */
    private static final RowMapper<Completion> COMPLETIONS = (rs, ctx) -> {
        List<String> words = new ArrayList<>(10);
        for (int i = 1; i <= 10; i++) {
            words.add(rs.getString("a" + i));
        }
        return new Completion(rs.getObject("sticky", Integer.class), words, rs.getString("hostname"));
    };

    private final Jdbi jdbi;

    SwitchStateDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Channels a restarted switch may recover ({@code recovery}); hostname is the switchname. */
    public List<RecoveryEntry> recovery(String hostname) {
        return byHost(RECOVERY, hostname, RecordRows.of(RecoveryEntry.class));
    }

    /** Console tab-completion rules ({@code complete}). */
    public List<Completion> completions(String hostname) {
        return byHost(COMPLETE, hostname, COMPLETIONS);
    }

    /** Console command aliases ({@code aliases}). */
    public List<CommandAlias> aliases(String hostname) {
        return byHost(ALIASES, hostname, RecordRows.of(CommandAlias.class));
    }

    /** Jobs of the core scheduler ({@code tasks}). */
    public List<ScheduledTask> tasks(String hostname) {
        return byHost(TASKS, hostname, RecordRows.of(ScheduledTask.class));
    }

    /** Ports mapped through NAT-PMP/UPnP ({@code nat}). */
    public List<NatMapping> natMappings(String hostname) {
        return byHost(NAT, hostname, RecordRows.of(NatMapping.class));
    }

    /** Interfaces registered by loaded modules ({@code interfaces}): which modules a node runs. */
    public List<SwitchInterface> interfaces(String hostname) {
        return byHost(INTERFACES, hostname, RecordRows.of(SwitchInterface.class));
    }

    private <T> List<T> byHost(String sql, String hostname, RowMapper<T> rows) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(sql)
                .bind("hostname", hostname)
                .map(rows)
                .list()));
    }
}
