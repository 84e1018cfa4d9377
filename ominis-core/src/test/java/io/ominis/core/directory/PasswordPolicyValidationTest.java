package io.ominis.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PasswordPolicyValidationTest {

    @Test
    void aPolicyBuiltInCodeFailsLikeItsVariables() {
        assertThatThrownBy(() -> new PasswordPolicy(0, 3)).isInstanceOfSatisfying(ConfigurationException.class, e -> {
            assertThat(e.setting()).isEqualTo("OMINIS_SIP_PASSWORD_MIN_LENGTH");
            assertThat(e.getMessage()).contains("must be a whole number from 1 to 255, got '0'");
        });
        assertThatThrownBy(() -> PasswordPolicy.fromEnvironment(Map.of("OMINIS_SIP_PASSWORD_MIN_CLASSES", "5")))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.getMessage())
                        .contains("must be a whole number from 1 to 4, got '5'"));
        assertThatThrownBy(() -> new PasswordPolicy(12, 5)).isInstanceOfSatisfying(ConfigurationException.class,
                e -> assertThat(e.getMessage()).contains("must be a whole number from 1 to 4, got '5'"));
        assertThat(new PasswordPolicy(8, 2).shortfall("Abcdefgh")).isNull();
    }
}
