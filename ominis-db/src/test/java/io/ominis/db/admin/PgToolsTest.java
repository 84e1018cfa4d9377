package io.ominis.db.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.config.DatabaseSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client programs (pg_dump, pg_restore, psql) get every host of a multi-host DSN, in order, never a password. */
class PgToolsTest {

    @Test
    void severalHostsBecomeLibpqHostAndPortLists() {
        DatabaseSettings db = DatabaseSettings.fromEnvironment(Map.of("DB_DSN",
                "postgresql://ominis:secret@db1:5432,db2:5433/calls"));
        assertThat(PgTools.connectionArguments(db)).containsExactly("--host=db1,db2", "--port=5432,5433",
                "--username=ominis", "--no-password");
    }

    @Test
    void oneHostStaysAsItWas() {
        DatabaseSettings db = DatabaseSettings.fromEnvironment(Map.of("DB_DSN", "postgresql://ominis:secret@db1/calls"));
        assertThat(PgTools.connectionArguments(db)).containsExactly("--host=db1", "--port=5432", "--username=ominis",
                "--no-password");
    }
}
