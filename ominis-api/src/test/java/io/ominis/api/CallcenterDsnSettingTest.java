package io.ominis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DSN served to mod_callcenter: the default is the odbc.ini entry {@code freeswitch-config} writes, and one that
 * FreeSWITCH would open as a local SQLite file stops start-up with one line (it used to be served, and a real switch
 * kept its call center in {@code ominis.db} without a word).
 */
class CallcenterDsnSettingTest {

    @Test
    void defaultsToTheGeneratedOdbcDataSource() {
        assertThat(ServerSettings.fromEnvironment(Map.of()).xmlCurl().callcenterOdbcDsn()).isEqualTo("odbc://ominis");
    }

    @Test
    void aDsnFreeSwitchWouldReadAsSqliteStopsStartUpWithOneLine() {
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(Map.of("OMINIS_CALLCENTER_ODBC_DSN", "ominis")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("OMINIS_CALLCENTER_ODBC_DSN: ")
                .hasMessageContaining("SQLite")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(ServerSettings.fromEnvironment(Map.of("OMINIS_CALLCENTER_ODBC_DSN",
                "pgsql://host=db dbname=ominis")).xmlCurl().callcenterOdbcDsn()).startsWith("pgsql://");
    }
}
