package io.ominis.core.callcenter;

import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every {@code <param>} mod_callcenter 1.10.12 reads for a queue ({@code queue_set_config} in {@code mod_callcenter.c}),
 * with FreeSWITCH's own default and the values it accepts. mod_callcenter accepts anything and quietly falls back
 * (an unknown strategy orders agents by level and position, an unknown {@code agent-no-answer-status} becomes
 * {@code On Break}, a number outside 0–86400 fails the whole queue), so {@link #normalise} refuses what FreeSWITCH
 * would misread. 1.10.12 has no {@code calls-per-agent}.
 */
public enum QueueParameter {
    /** How agents are chosen. */
    STRATEGY("strategy", Kind.CHOICE, "longest-idle-agent", List.of("ring-all", "longest-idle-agent", "round-robin",
            "top-down", "agent-with-least-talk-time", "agent-with-fewest-calls", "sequentially-by-agent-order",
            "random", "ring-progressively"),
            "how agents are chosen"),
    /**
     * What waiting callers hear. FreeSWITCH's default is nothing (no music); ours is {@link CallcenterQueue#DEFAULT_MOH_SOUND}, a tone
     * every install can play.
     */
    MOH_SOUND("moh-sound", Kind.SOUND, CallcenterQueue.DEFAULT_MOH_SOUND, List.of(),
            "what waiting callers hear (FreeSWITCH's own default is none; Ominis serves a ring-back tone)"),
    /** Played to waiting callers every {@code announce-frequency} seconds. */
    ANNOUNCE_SOUND("announce-sound", Kind.SOUND, null, List.of(),
            "played to waiting callers every announce-frequency seconds; none by default"),
    /** Seconds between announcements; 0 plays none. */
    ANNOUNCE_FREQUENCY("announce-frequency", Kind.SECONDS, "0", List.of(), "seconds between announcements, 0 = none"),
    /**
     * Where the bridged call is recorded: an absolute file path, or an absolute directory ending in {@code /}, which
     * is completed with a timestamp and the call's uuid. FreeSWITCH variables are refused (see the class notes).
     */
    RECORD_TEMPLATE("record-template", Kind.RECORDING, null, List.of(),
            "absolute path the bridged call is recorded to; a directory ending in '/' gets "
                    + "<time>.<uuid>.wav per call; none = no recording"),
    /** Whether waiting time counts from entering this queue or from the start of the call. */
    TIME_BASE_SCORE("time-base-score", Kind.CHOICE, "queue", List.of("queue", "system"),
            "whether the wait is counted from entering the queue or from the start of the call"),
    /** Seconds between the rings of {@code ring-progressively}; FreeSWITCH takes 0 as its built-in 10. */
    RING_PROGRESSIVELY_DELAY("ring-progressively-delay", Kind.SECONDS, "10", List.of(),
            "seconds before ring-progressively rings the next agent as well"),
    /** Whether tier levels are opened one after another ({@code tier-rule-*}). */
    TIER_RULES_APPLY("tier-rules-apply", Kind.BOOLEAN, "false", List.of(), "whether the tier rules apply"),
    /** Seconds a caller waits before the next tier level is tried. */
    TIER_RULE_WAIT_SECOND("tier-rule-wait-second", Kind.SECONDS, "0", List.of(),
            "seconds before the next tier level is offered the call"),
    /** Whether the wait is multiplied by the level. */
    TIER_RULE_WAIT_MULTIPLY_LEVEL("tier-rule-wait-multiply-level", Kind.BOOLEAN, "false", List.of(),
            "whether tier-rule-wait-second is multiplied by the level"),
    /** Whether a level without available agents is skipped at once. */
    TIER_RULE_NO_AGENT_NO_WAIT("tier-rule-no-agent-no-wait", Kind.BOOLEAN, "true", List.of(),
            "whether a level with no available agent is skipped without waiting"),
    /** Seconds an abandoned member is kept (so that it can resume its place). */
    DISCARD_ABANDONED_AFTER("discard-abandoned-after", Kind.SECONDS, "60", List.of(),
            "seconds an abandoned caller's place is kept"),
    /** Whether a caller who hung up gets its old place back on calling again. */
    ABANDONED_RESUME_ALLOWED("abandoned-resume-allowed", Kind.BOOLEAN, "false", List.of(),
            "whether a caller who hung up gets its place back when calling again"),
    /** Longest wait in the queue, 0 = none. */
    MAX_WAIT_TIME("max-wait-time", Kind.SECONDS, "0", List.of(), "longest wait in seconds, 0 = no limit"),
    /** Longest wait while no agent is logged in, 0 = none. */
    MAX_WAIT_TIME_WITH_NO_AGENT("max-wait-time-with-no-agent", Kind.SECONDS, "0", List.of(),
            "longest wait in seconds while the queue has no agent logged in, 0 = no limit"),
    /** Seconds without agents after which new callers are refused at once. */
    MAX_WAIT_TIME_WITH_NO_AGENT_TIME_REACHED("max-wait-time-with-no-agent-time-reached", Kind.SECONDS, "5",
            List.of(), "seconds the no-agent limit must have been reached before new callers are refused at once"),
    /** The status an agent gets after {@code max_no_answer} unanswered offers. */
    AGENT_NO_ANSWER_STATUS("agent-no-answer-status", Kind.AGENT_STATUS, "On Break", List.of("Logged Out",
            "Available", "Available (On Demand)", "On Break"),
            "status an agent gets after max_no_answer unanswered offers"),
    /** Whether agents on a call outside the queue are passed over. */
    SKIP_AGENTS_WITH_EXTERNAL_CALLS("skip-agents-with-external-calls", Kind.BOOLEAN, "true", List.of(),
            "whether agents on a call outside the queue are passed over");

    /** The kinds of value mod_callcenter reads. */
    public enum Kind {
        /** One of {@link QueueParameter#allowed()}, any case. */
        CHOICE,
        /** {@code SWITCH_CONFIG_INT} limited to 0–86400. */
        SECONDS,
        /** {@code SWITCH_CONFIG_BOOL}. */
        BOOLEAN,
        /** Something FreeSWITCH plays: a file, {@code tone_stream://…}, {@code local_stream://…}. */
        SOUND,
        /** A recording path. */
        RECORDING,
        /** An agent status as mod_callcenter spells it. */
        AGENT_STATUS
    }

    private final String fsName;
    private final Kind kind;
    private final String defaultValue;
    private final List<String> allowed;
    private final String description;

    QueueParameter(String fsName, Kind kind, String defaultValue, List<String> allowed, String description) {
        this.fsName = fsName;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.allowed = allowed;
        this.description = description;
    }

    /** The name in {@code callcenter.conf} and in the API, e.g. {@code moh-sound}. */
    public String fsName() {
        return fsName;
    }

    /** What kind of value it holds. */
    public Kind kind() {
        return kind;
    }

    /** The value a queue has when the parameter is not set; null when FreeSWITCH leaves it unset. */
    public String defaultValue() {
        return defaultValue;
    }

    /** The accepted values of a {@link Kind#CHOICE} or {@link Kind#AGENT_STATUS}; empty otherwise. */
    public List<String> allowed() {
        return allowed;
    }

    /** One line for people: what it does. */
    public String description() {
        return description;
    }

    /** The parameter called {@code fsName}, if mod_callcenter reads one of that name. */
    public static Optional<QueueParameter> byName(String fsName) {
        for (QueueParameter p : values()) {
            if (p.fsName.equals(fsName)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The value as stored and served: choices lower case, statuses spelled as mod_callcenter spells them, numbers
     * without leading zeros, booleans {@code true}/{@code false}. Null stays null (the parameter is unset).
     *
     * @param field the name used in the error, e.g. {@code params.moh-sound}
     * @throws InvalidValueException naming {@code field} when FreeSWITCH would misread the value
     */
    public String normalise(String field, String value) {
        if (value == null) {
            return null;
        }
        switch (kind) {
            case CHOICE: {
                String lower = value.strip().toLowerCase(Locale.ROOT);
                if (!allowed.contains(lower)) {
                    throw new InvalidValueException(field, "must be one of " + String.join(", ", allowed)
                            + ", got '" + shorten(value) + "'");
                }
                return lower;
            }
            case AGENT_STATUS: {
                for (String status : allowed) {
                    if (status.equalsIgnoreCase(value.strip())) {
                        return status;
                    }
                }
                // mod_callcenter would quietly use On Break instead
                throw new InvalidValueException(field, "must be one of " + String.join(", ", allowed));
            }
            case SECONDS: {
                String v = value.strip();
                if (!v.matches("[0-9]{1,9}") || Integer.parseInt(v) > 86_400) {
                    throw new InvalidValueException(field, "must be a whole number from 0 to 86400");
                }
                return Integer.toString(Integer.parseInt(v));
            }
            case BOOLEAN: {
                String lower = value.strip().toLowerCase(Locale.ROOT);
                if (!lower.equals("true") && !lower.equals("false")) {
                    throw new InvalidValueException(field, "must be true or false");
                }
                return lower;
            }
            case SOUND: {
                FieldCheck.required(field, value, 1024);
                return FieldCheck.noVariables(field, value);
            }
            case RECORDING: {
                FieldCheck.required(field, value, 1024);
                FieldCheck.noVariables(field, value);
                if (!value.startsWith("/") || value.contains("/../") || value.endsWith("/..")) {
                    throw new InvalidValueException(field, "must be an absolute path without '..'");
                }
                return value;
            }
            default:
                throw new IllegalStateException("unhandled kind " + kind);
        }
    }

    private static String shorten(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "…" : value;
    }
}
