package io.ominis.xmlcurl;

import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import io.ominis.core.callcenter.AgentStatus;
import io.ominis.core.ivr.IvrActionType;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One mod_callcenter queue of {@code callcenter.conf}: its name and {@code <param>}s. Only the parameters
 * mod_callcenter reads are accepted, with the values it understands; values are normalised ({@code TRUE} becomes
 * {@code true}, {@code 007} becomes {@code 7}) and kept in name order so rendering is stable.
 *
 * @param name   the queue name as used in {@code callcenter <queue>}, e.g. {@code support@default}
 * @param params parameter name to value; parameters left out take mod_callcenter's defaults
 */
public record QueueDefinition(String name, Map<String, String> params) {

    /** The strategies mod_callcenter knows; an unknown one would silently fall back to level/position order. */
    public static final Set<String> STRATEGIES = Set.of("longest-idle-agent", "round-robin", "top-down",
            "agent-with-least-talk-time", "agent-with-fewest-calls", "sequentially-by-agent-order", "ring-all",
            "ring-progressively", "random");
    /** Parameters holding a number of seconds (or a count), which mod_callcenter limits to 0–86400. */
    public static final Set<String> INTEGER_PARAMS = Set.of("announce-frequency", "ring-progressively-delay",
            "tier-rule-wait-second", "discard-abandoned-after", "max-wait-time", "max-wait-time-with-no-agent",
            "max-wait-time-with-no-agent-time-reached");
    /** Parameters holding true or false. */
    public static final Set<String> BOOLEAN_PARAMS = Set.of("tier-rules-apply", "tier-rule-wait-multiply-level",
            "tier-rule-no-agent-no-wait", "abandoned-resume-allowed", "skip-agents-with-external-calls");
    /** Parameters holding a sound or a file path template. */
    public static final Set<String> SOUND_PARAMS = Set.of("moh-sound", "announce-sound", "record-template");

    /** Validates the name and every parameter, and freezes a normalised, sorted copy of the parameters. */
    public QueueDefinition {
        FieldCheck.matches("name", name, IvrActionType.QUEUE_NAME,
                "must be a queue name (letters, digits, '.', '_', '@', '+', '-')");
        Objects.requireNonNull(params, "params");
        Map<String, String> normalised = new TreeMap<>();
        params.forEach((param, value) -> normalised.put(param, normalise(param, value)));
        params = Collections.unmodifiableMap(normalised);
    }

    /**
     * What callers hear while they wait when nothing else is configured: a ring-back tone, which mod_tone_stream
     * plays on every install. The sample configuration's {@code local_stream://moh} needs mod_local_stream, a
     * {@code moh} stream and the music package; without them one waiting caller logs thousands of errors a minute.
     */
    public static final String DEFAULT_MOH_SOUND = "tone_stream://%(2000,4000,440,480);loops=-1";

    /** A queue with mod_callcenter's default strategy and {@link #DEFAULT_MOH_SOUND}. */
    public static QueueDefinition withDefaults(String name) {
        return new QueueDefinition(name, Map.of("strategy", "longest-idle-agent", "moh-sound", DEFAULT_MOH_SOUND));
    }

    /** This queue with {@code param} set to {@code value} (validated like every other parameter). */
    public QueueDefinition with(String param, String value) {
        Map<String, String> copy = new TreeMap<>(params);
        copy.put(param, value);
        return new QueueDefinition(name, copy);
    }

    private static String normalise(String param, String value) {
        String field = "params." + param;
        if (value == null) {
            throw new InvalidValueException(field, "is required");
        }
        if ("strategy".equals(param)) {
            return oneOf(field, value, STRATEGIES);
        }
        if ("time-base-score".equals(param)) {
            return oneOf(field, value, Set.of("queue", "system"));
        }
        if ("agent-no-answer-status".equals(param)) {
            // mod_callcenter turns anything else into On Break without a word; refuse it instead.
            for (AgentStatus status : AgentStatus.values()) {
                if (status != AgentStatus.UNKNOWN && status.wire().equalsIgnoreCase(value)) {
                    return status.wire();
                }
            }
            throw new InvalidValueException(field, "must be an agent status such as On Break");
        }
        if (INTEGER_PARAMS.contains(param)) {
            if (!value.matches("[0-9]{1,5}") || Integer.parseInt(value) > 86_400) {
                throw new InvalidValueException(field, "must be a whole number from 0 to 86400");
            }
            return Integer.toString(Integer.parseInt(value));
        }
        if (BOOLEAN_PARAMS.contains(param)) {
            return oneOf(field, value, Set.of("true", "false"));
        }
        if (SOUND_PARAMS.contains(param)) {
            return FieldCheck.required(field, value, 1024);
        }
        throw new InvalidValueException("params", "unknown queue parameter '" + param + "'");
    }

    private static String oneOf(String field, String value, Set<String> allowed) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw new InvalidValueException(field, "must be one of " + String.join(", ", new TreeSet<>(allowed)));
        }
        return lower;
    }
}
