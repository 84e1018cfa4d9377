package io.ominis.db.admin;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.OperationFailedException;
import io.ominis.core.config.DatabaseSettings;
import java.time.Duration;
import java.util.List;
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

    @Test
    void aHungProgramIsStoppedAtItsTimeout() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> PgTools.execute(List.of("sleep", "30"), Map.of("PATH", "/usr/bin:/bin"),
                Duration.ofMillis(300), "sleep"))
                .isInstanceOf(OperationFailedException.class)
                .hasMessage("sleep did not finish within 0 s and was stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void theChildGetsOnlyTheGivenEnvironmentAndItsLastLineIsTheError() {
        assertThat(PgTools.execute(List.of("sh", "-c", "echo \"[$PGPASSWORD][$HOME]\""),
                Map.of("PATH", "/usr/bin:/bin", "PGPASSWORD", "s3cret"), Duration.ofSeconds(20), "sh").strip())
                .isEqualTo("[s3cret][]");
        assertThatThrownBy(() -> PgTools.execute(List.of("sh", "-c", "echo first; echo 'ERROR: last' >&2; exit 3"),
                Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(20), "sh"))
                .isInstanceOf(OperationFailedException.class)
                .hasMessage("sh failed (exit 3): ERROR: last");
    }
}
