package io.ominis.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FreeSwitchDsnTest {

    @ParameterizedTest
    @ValueSource(strings = {"odbc://ominis", "ODBC://ominis:fs:secret", "ominis:freeswitch:pw"})
    void odbcForms(String dsn) {
        assertThat(FreeSwitchDsn.parse("odbc-dsn", dsn).kind()).isEqualTo(FreeSwitchDsn.Kind.ODBC);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pgsql://hostaddr=127.0.0.1 dbname=ominis user=fs password=''",
        "postgresql://fs:pw@db:5432/ominis", "postgres://db/ominis"})
    void postgresForms(String dsn) {
        assertThat(FreeSwitchDsn.parse("odbc-dsn", dsn).kind()).isEqualTo(FreeSwitchDsn.Kind.PGSQL);
    }

    /** What FreeSWITCH 1.10.12 opens as a SQLite file without a word (mod_callcenter did, on the real switch). */
    @ParameterizedTest
    @ValueSource(strings = {"ominis", "callcenter", "sqlite://ominis", "mariadb://x", "a:", "/var/db/cc.db"})
    void sqliteFormsAreRefusedNamingTheField(String dsn) {
        assertThatThrownBy(() -> FreeSwitchDsn.parse("OMINIS_CALLCENTER_ODBC_DSN", dsn))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("OMINIS_CALLCENTER_ODBC_DSN")
                .hasMessageContaining("SQLite");
    }

    @Test
    void tooLongOdbcDsnsAreRefusedBecauseFreeSwitchCutsThem() {
        assertThatThrownBy(() -> FreeSwitchDsn.parse("odbc-dsn", "odbc://" + "x".repeat(300)))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("255");
        assertThatThrownBy(() -> FreeSwitchDsn.parse("odbc-dsn", "odbc://a\nb"))
                .hasMessageContaining("one line");
        assertThat(FreeSwitchDsn.parse("odbc-dsn", "pgsql://password=secret").toString()).doesNotContain("secret");
    }
}
