package io.ominis.db;

import static io.ominis.db.PlainSql.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConflictException;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.testing.OminisDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The IVR names its root menu (V10): existing IVRs get the renderer's old guess, the first menu becomes the root, the
 * root must be a menu of the IVR, follows a rename, and cannot be deleted while it is the root.
 */
class IvrRootMenuTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @RegisterExtension
    static final OminisDatabase empty = OminisDatabase.empty();

    private static final PlainSql sql = new PlainSql(db);

    private Database database;

    @BeforeEach
    void clean() throws SQLException {
        database = Database.create(db.dataSource());
        sql.run("DELETE FROM ivrs");
    }

    @Test
    void theMigrationGivesExistingIvrsTodaysGuess() throws SQLException {
        DataSource ds = MigrationsTest.dataSource(empty, empty.createScratchDatabase("v10"));
        MigrationsTest.migrateTo(ds, "9");
        CdrPartitionMigrationTest.execute(ds,
                "INSERT INTO ivrs (name) VALUES ('a'), ('b'), ('c'), ('empty')",
                "INSERT INTO ivr_menus (ivr_name, menu_id, prompt_text) VALUES ('a', 'billing', 'x'), "
                        + "('a', 'main_menu', 'x'), ('a', 'main', 'x'), ('b', 'main', 'x'), ('b', 'Zeta', 'x'), "
                        + "('c', 'sales', 'x'), ('c', 'Support', 'x')");

        Migrations.migrate(ds);

        IvrDao ivrs = Database.create(ds).ivrs();
        assertThat(ivrs.get("a").rootMenu()).isEqualTo("main_menu");
        assertThat(ivrs.get("b").rootMenu()).isEqualTo("main");
        assertThat(ivrs.get("c").rootMenu()).as("first in byte order, as the renderer sorted").isEqualTo("Support");
        assertThat(ivrs.get("empty").rootMenu()).isNull();
    }

    @Test
    void theFirstMenuBecomesTheRootAndLaterOnesDoNot() {
        database.ivrs().create(Ivr.named("sales"));
        assertThat(database.ivrs().get("sales").rootMenu()).isNull();

        database.ivrMenus().create(IvrMenu.of("sales", "welcome", "Welcome"));
        database.ivrMenus().create(IvrMenu.of("sales", "main_menu", "Main"));

        assertThat(database.ivrs().get("sales").rootMenu()).isEqualTo("welcome");
        assertThat(database.ivrs().load("sales").orElseThrow().ivr().rootMenu()).isEqualTo("welcome");
    }

    @Test
    void theRootMustBeAMenuOfTheIvr() {
        assertInvalid(() -> database.ivrs().create(Ivr.named("x").withRootMenu("main")), "root_menu");
        database.ivrs().create(Ivr.named("sales"));
        database.ivrs().create(Ivr.named("other"));
        database.ivrMenus().create(IvrMenu.of("sales", "main", "Main"));
        database.ivrMenus().create(IvrMenu.of("sales", "billing", "Billing"));
        database.ivrMenus().create(IvrMenu.of("other", "elsewhere", "Other"));

        assertInvalid(() -> database.ivrs().modify("sales", i -> i.withRootMenu("missing")), "root_menu");
        assertInvalid(() -> database.ivrs().modify("sales", i -> i.withRootMenu("elsewhere")), "root_menu");
        assertInvalid(() -> database.ivrs().modify("sales", i -> i.withRootMenu("bad id!")), "root_menu");
        assertThat(database.ivrs().modify("sales", i -> i.withRootMenu("billing")).rootMenu()).isEqualTo("billing");
        // null keeps the root: an IVR with menus always has one
        assertThat(database.ivrs().modify("sales", i -> i.withRootMenu(null)).rootMenu()).isEqualTo("billing");
        sql.assertRefused("UPDATE ivrs SET root_menu = 'elsewhere' WHERE name = 'sales'", "ivrs_root_menu_fkey");
    }

    @Test
    void theRootFollowsARenameAndCannotBeDeletedButTheIvrCan() {
        database.ivrs().create(Ivr.named("sales"));
        IvrMenu main = database.ivrMenus().create(IvrMenu.of("sales", "main", "Main"));
        IvrMenu billing = database.ivrMenus().create(IvrMenu.of("sales", "billing", "Billing"));

        database.ivrMenus().modify(main.id(), m -> new IvrMenu(m.id(), m.ivrName(), "start", m.promptText(),
                m.ttsVoice(), m.timeoutSeconds(), m.maxRetries(), m.invalidPrompt(), null, null));
        assertThat(database.ivrs().get("sales").rootMenu()).isEqualTo("start");

        assertThatThrownBy(() -> database.ivrMenus().delete(main.id())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("root menu");
        sql.assertRefused("DELETE FROM ivr_menus WHERE menu_id = 'start'", "ivrs_root_menu_fkey");
        assertThat(database.ivrMenus().delete(billing.id())).isTrue();

        assertThat(database.ivrs().delete("sales")).isTrue();
        assertThat(database.ivrMenus().list("sales")).isEmpty();
    }

    @Test
    void concurrentFirstMenusLeaveExactlyOneOfThemAsTheRoot() throws Exception {
        database.ivrs().create(Ivr.named("sales"));
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<IvrMenu>> writers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = "m" + i;
            writers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return database.ivrMenus().create(IvrMenu.of("sales", id, "Menu " + id));
            }));
        }
        start.countDown();
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();

        assertThat(database.ivrs().get("sales").rootMenu()).isIn("m0", "m1", "m2", "m3", "m4", "m5");
        assertThat(database.ivrMenus().list("sales")).hasSize(6);
    }
}
