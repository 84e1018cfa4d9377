package io.ominis.examples.queues;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.callcenter.Agent;
import io.ominis.core.callcenter.AgentState;
import io.ominis.core.callcenter.AgentStatus;
import io.ominis.core.callcenter.Tier;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Database;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads mod_callcenter's live state (agents, tiers, members, as FreeSWITCH writes them to PostgreSQL) and prints one
 * line per queue: its agents, how many can take a call now, and the callers waiting.
 */
public final class QueueSummary {

    private QueueSummary() {
    }

    /** Prints the summary of the database named by {@code env}. */
    public static void run(Map<String, String> env, PrintStream out) {
        try (HikariDataSource pool = ConnectionPool.open(DatabaseSettings.fromEnvironment(env))) {
            Database db = Database.create(pool);
            Set<String> ready = db.agents().list().stream()
                    .filter(a -> a.state() == AgentState.WAITING)
                    .filter(a -> a.status() == AgentStatus.AVAILABLE || a.status() == AgentStatus.AVAILABLE_ON_DEMAND)
                    .map(Agent::name).collect(Collectors.toSet());
            Map<String, Long> waiting = db.members().waitingByQueue();
            out.printf("%-24s %6s %6s %8s%n", "queue", "agents", "ready", "waiting");
            for (String queue : db.tiers().queueNames()) {
                var tiers = db.tiers().byQueue(queue);
                long readyAgents = tiers.stream().map(Tier::agent).filter(ready::contains).count();
                out.printf("%-24s %6d %6d %8d%n", queue, tiers.size(), readyAgents, waiting.getOrDefault(queue, 0L));
            }
        }
    }

    /** {@code java … QueueSummary} */
    public static void main(String[] args) {
        run(System.getenv(), System.out);
    }
}
