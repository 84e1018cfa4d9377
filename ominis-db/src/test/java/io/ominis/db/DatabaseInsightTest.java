package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The unused-index report against a freshly migrated PostgreSQL, where no index has been scanned yet. */
class DatabaseInsightTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void unusedIndexesLeaveOutKeysUniqueConstraintsAndFreeSwitchsIndexes() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE INDEX insight_probe ON extensions (created_at)");
            st.execute("CREATE UNIQUE INDEX insight_unique_probe ON extensions (lower(number))");
        }
        DatabaseInsight insight = new DatabaseInsight(db.dataSource());
        List<String> all = insight.indexUsage().stream().map(DatabaseInsight.IndexUsage::index).toList();
        // the full list still has every kind, so leaving them out below is the filter's doing
        assertThat(all).contains("extensions_pkey", "chidx1", "idx_agents_name", "insight_probe",
                "insight_unique_probe");
        List<DatabaseInsight.IndexUsage> unused = insight.unusedIndexes();
        List<String> names = unused.stream().map(DatabaseInsight.IndexUsage::index).toList();
        assertThat(names).contains("insight_probe")
                .doesNotContain("extensions_pkey", "insight_unique_probe", "chidx1", "uuindex", "idx_agents_name",
                        "idx_members_queue", "idx_tiers_queue");
        assertThat(names).noneMatch(n -> n.endsWith("_pkey") || n.endsWith("_key"));
        assertThat(unused).allSatisfy(i -> assertThat(i.scans()).isZero());
    }
}
