package io.ominis.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CdrSettingsTest {

    @Test
    void unsetMeansKeepForeverAndThreeMonthsAhead() {
        CdrSettings s = CdrSettings.fromEnvironment(Map.of());
        assertThat(s).isEqualTo(CdrSettings.defaults());
        assertThat(s.keepForever()).isTrue();
        assertThat(s.monthsAhead()).isEqualTo(3);
        assertThat(CdrSettings.fromEnvironment(Map.of("OMINIS_CDR_RETENTION_MONTHS", "0")).keepForever()).isTrue();
        assertThat(CdrSettings.fromEnvironment(Map.of("OMINIS_CDR_RETENTION_MONTHS", " ")).keepForever()).isTrue();
    }

    @Test
    void readsBothSettings() {
        CdrSettings s = CdrSettings.fromEnvironment(Map.of("OMINIS_CDR_RETENTION_MONTHS", "13",
                "OMINIS_CDR_MONTHS_AHEAD", "6"));
        assertThat(s.retentionMonths()).isEqualTo(13);
        assertThat(s.keepForever()).isFalse();
        assertThat(s.monthsAhead()).isEqualTo(6);
    }

    @Test
    void namesTheWrongSetting() {
        assertThatThrownBy(() -> CdrSettings.fromEnvironment(Map.of("OMINIS_CDR_RETENTION_MONTHS", "-1")))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("OMINIS_CDR_RETENTION_MONTHS"));
        assertThatThrownBy(() -> CdrSettings.fromEnvironment(Map.of("OMINIS_CDR_RETENTION_MONTHS", "a year")))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> CdrSettings.fromEnvironment(Map.of("OMINIS_CDR_MONTHS_AHEAD", "25")))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("OMINIS_CDR_MONTHS_AHEAD"));
        assertThatThrownBy(() -> new CdrSettings(0, -1)).isInstanceOf(ConfigurationException.class);
    }
}
