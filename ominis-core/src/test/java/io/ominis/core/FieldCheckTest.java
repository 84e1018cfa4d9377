package io.ominis.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.callcenter.AgentStatus;
import org.junit.jupiter.api.Test;

class FieldCheckTest {

    @Test
    void countsCharactersNotUtf16Units() {
        String fourEmoji = "\uD83D\uDE00".repeat(4);
        assertThat(FieldCheck.singleLine("f", fourEmoji, 4)).isEqualTo(fourEmoji);
        assertThatThrownBy(() -> FieldCheck.singleLine("f", fourEmoji + "x", 4))
                .isInstanceOf(InvalidValueException.class).hasMessage("f: must be at most 4 characters, got 5");
    }

    @Test
    void refusesControlCharactersAndBrokenUnicode() {
        assertThatThrownBy(() -> FieldCheck.singleLine("f", "a\u0000b", 10)).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> FieldCheck.singleLine("f", "a\nb", 10)).hasMessageContaining("U+000A");
        assertThat(FieldCheck.multiLine("f", "a\nb\tc", 10)).isEqualTo("a\nb\tc");
        assertThatThrownBy(() -> FieldCheck.multiLine("f", "a\u0007", 10)).hasMessageContaining("U+0007");
        assertThatThrownBy(() -> FieldCheck.singleLine("f", "a\uD800", 10)).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> FieldCheck.singleLine("f", "\uDC00", 10)).hasMessageContaining("surrogate");
    }

    @Test
    void requiredRefusesBlank() {
        assertThatThrownBy(() -> FieldCheck.required("password", " \t", 10))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("password"));
    }

    @Test
    void wireValuesParseFreeSwitchSpellingsIgnoringCase() {
        assertThat(WireValue.parse(AgentStatus.class, "on break", "status")).isEqualTo(AgentStatus.ON_BREAK);
        assertThat(WireValue.parse(AgentStatus.class, "Available (On Demand)", "status"))
                .isEqualTo(AgentStatus.AVAILABLE_ON_DEMAND);
        assertThatThrownBy(() -> WireValue.parse(AgentStatus.class, "Busy", "status"))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> {
                    assertThat(e.field()).isEqualTo("status");
                    assertThat(e.reason()).contains("'On Break'").contains("'Busy'");
                });
        assertThat(WireValue.parseOr(AgentStatus.class, "Something New", AgentStatus.UNKNOWN))
                .isEqualTo(AgentStatus.UNKNOWN);
    }
}
