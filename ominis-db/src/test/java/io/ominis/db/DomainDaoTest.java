package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.AlreadyExistsException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.directory.Domain;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The served domains against PostgreSQL: names, their normalization, the schema's CHECK, and concurrent writers. */
class DomainDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private DomainDao domains;

    @BeforeEach
    void clean() throws SQLException {
        domains = Database.create(db.dataSource()).domains();
        sql("DELETE FROM extensions", "DELETE FROM domains");
    }

    @Test
    void namesAreStoredInLowerCaseAndFoundInAnyCase() {
        Domain created = domains.create(new Domain(" PBX.Example.COM ", "head office", null, null));
        assertThat(created.name()).isEqualTo("pbx.example.com");
        assertThat(created.createdAt()).isNotNull();
        assertThat(domains.get("Pbx.Example.Com")).isEqualTo(created);
        domains.create(Domain.of("10.0.0.5"));
        assertThat(domains.names()).containsExactly("10.0.0.5", "pbx.example.com");
        assertThatThrownBy(() -> domains.create(Domain.of("pbx.EXAMPLE.com")))
                .isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void badNamesAndDescriptionsAreRefusedNamingTheFieldAndNothingIsStored() {
        for (String bad : new String[] {"", " ", "under_score.example", "-lead.example", "trail-.example", "a..b",
                "$${domain}", "x".repeat(64) + ".example", "sp ace.example", "ex\u00e4mple.com", "a.b/c"}) {
            assertThatThrownBy(() -> domains.create(Domain.of(bad))).as(bad)
                    .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("name"));
        }
        assertThatThrownBy(() -> domains.create(Domain.of(null)))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> domains.create(new Domain("ok.example", "${system(id)}", null, null)))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.field()).isEqualTo("description"));
        assertThat(domains.list()).isEmpty();
    }

    @Test
    void theSchemaRefusesWhatTheDaoRefusesFromOtherWriters() {
        assertThatThrownBy(() -> sql("INSERT INTO domains (name) VALUES ('Upper.Example')"))
                .hasMessageContaining("domains_name_check");
        assertThatThrownBy(() -> sql("INSERT INTO domains (name) VALUES ('x;drop')"))
                .hasMessageContaining("domains_name_check");
    }

    @Test
    void onlyTheDescriptionChangesAndUnknownDomainsAreNotFound() {
        domains.create(Domain.of("a.example"));
        Domain changed = domains.modify("A.example", d -> new Domain(d.name(), "sales", null, null));
        assertThat(changed.description()).isEqualTo("sales");
        assertThat(changed.updatedAt()).isAfterOrEqualTo(changed.createdAt());
        assertThatThrownBy(() -> domains.modify("a.example", d -> Domain.of("b.example")))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThat(domains.get("a.example").description()).isEqualTo("sales");
        assertThatThrownBy(() -> domains.modify("missing.example", d -> d)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> domains.get("not a domain")).isInstanceOf(NotFoundException.class);
        assertThat(domains.delete("A.EXAMPLE")).isTrue();
        assertThat(domains.delete("a.example")).isFalse();
        assertThat(domains.delete("not a domain")).isFalse();
    }

    @Test
    void ensureAddsOnlyWhatIsMissingAndNeverRemoves() {
        domains.create(new Domain("kept.example", "mine", null, null));
        assertThat(domains.ensure(List.of("Kept.Example", "new.example", "new.example"))).containsExactly("new.example");
        assertThat(domains.ensure(List.of("new.example"))).isEmpty();
        assertThat(domains.get("kept.example").description()).isEqualTo("mine");
        assertThat(domains.names()).containsExactly("kept.example", "new.example");
        assertThatThrownBy(() -> domains.ensure(List.of("ok.example", "bad_one")))
                .isInstanceOf(InvalidValueException.class);
        assertThat(domains.names()).containsExactly("kept.example", "new.example");
    }

    @Test
    void concurrentCreatesOfOneDomainStoreItOnceAndTheOthersAreToldItExists() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> writers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String spelling = i % 2 == 0 ? "race.example" : "RACE.example";
                writers.add(() -> {
                    try {
                        domains.create(Domain.of(spelling));
                        return "created";
                    } catch (AlreadyExistsException e) {
                        return "exists";
                    }
                });
            }
            // and seeders at the same time, which must never fail on the same name
            for (int i = 0; i < 4; i++) {
                writers.add(() -> domains.ensure(List.of("race.example", "seed.example")).isEmpty() ? "seeded-none"
                        : "seeded");
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : pool.invokeAll(writers, 30, TimeUnit.SECONDS)) {
                outcomes.add(f.get());
            }
            assertThat(outcomes.stream().filter("created"::equals).count()
                    + outcomes.stream().filter("exists"::equals).count()).isEqualTo(16);
            assertThat(outcomes.stream().filter("created"::equals).count()).isLessThanOrEqualTo(1);
            assertThat(domains.names()).containsExactly("race.example", "seed.example");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentDescriptionChangesQueueUpOnTheRowLock() throws Exception {
        domains.create(Domain.of("lock.example"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Domain>> writers = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                // each appends to what it read under the lock: a lost update would drop a mark
                String mark = "m" + i + ";";
                writers.add(() -> domains.modify("lock.example", d -> new Domain(d.name(),
                        (d.description() == null ? "" : d.description()) + mark, null, null)));
            }
            for (Future<Domain> f : pool.invokeAll(writers, 30, TimeUnit.SECONDS)) {
                f.get();
            }
            String description = domains.get("lock.example").description();
            for (int i = 0; i < 24; i++) {
                assertThat(description).contains("m" + i + ";");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static void sql(String... statements) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
