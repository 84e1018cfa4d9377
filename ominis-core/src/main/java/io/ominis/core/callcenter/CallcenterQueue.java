package io.ominis.core.callcenter;

import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import io.ominis.core.ivr.IvrActionType;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A mod_callcenter queue as Ominis defines it ({@code callcenter_queues} table): its name, the FreeSWITCH node that runs
 * it and every parameter of {@link QueueParameter}. {@code callcenter.conf} serves it; a queue named only in
 * {@code tiers} or {@code members} has no definition and is served with {@link #withDefaults}.
 *
 * @param name      the queue name as used in {@code callcenter <queue>}, e.g. {@code support@default}
 * @param node      the node (of {@code OMINIS_FREESWITCH_NODES}) that runs it; null for the configured owner or, without
 *                  one, every node
 * @param params    every parameter with its value; one left out takes its {@link QueueParameter#defaultValue()}, and
 *                  an unset optional one ({@code announce-sound}, {@code record-template}) is null
 * @param createdAt null before it is stored, and for an undefined queue
 */
public record CallcenterQueue(String name, String node, Map<QueueParameter, String> params, Instant createdAt,
        Instant updatedAt) {

    /**
     * What callers hear while they wait when nothing else is configured: a ring-back tone, which mod_tone_stream
     * plays on every install. The sample configuration's {@code local_stream://moh} needs mod_local_stream, a
     * {@code moh} stream and the music package; without them one waiting caller logs thousands of errors a minute.
     */
    public static final String DEFAULT_MOH_SOUND = "tone_stream://%(2000,4000,440,480);loops=-1";

    /** Node names as {@code OMINIS_FREESWITCH_NODES} allows them. */
    public static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Fills every parameter left out with its default and freezes the map (in {@link QueueParameter} order). */
    public CallcenterQueue {
        Map<QueueParameter, String> all = new EnumMap<>(QueueParameter.class);
        for (QueueParameter p : QueueParameter.values()) {
            all.put(p, p.defaultValue());
        }
        if (params != null) {
            params.forEach((p, v) -> all.put(Objects.requireNonNull(p, "parameter"), v));
        }
        params = Collections.unmodifiableMap(all);
    }

    /** A queue without a definition of its own: every parameter at its default, run wherever its owner says. */
    public static CallcenterQueue withDefaults(String name) {
        return new CallcenterQueue(name, null, Map.of(), null, null);
    }

    /**
     * A queue from parameters named as in {@code callcenter.conf} ({@code moh-sound}); the values are checked by
     * {@link #validate()}.
     *
     * @throws InvalidValueException naming {@code params.<name>} for a parameter mod_callcenter does not read
     */
    public static CallcenterQueue of(String name, String node, Map<String, String> params) {
        Map<QueueParameter, String> typed = new EnumMap<>(QueueParameter.class);
        if (params != null) {
            params.forEach((key, value) -> typed.put(QueueParameter.byName(key).orElseThrow(() ->
                    new InvalidValueException("params." + key, "is not a queue parameter mod_callcenter 1.10 reads")),
                    value));
        }
        return new CallcenterQueue(name, node, typed, null, null);
    }

    /**
     * Checks the name, the node and every value, and returns the queue with its values normalised ({@code TRUE}
     * becomes {@code true}, {@code 007} becomes {@code 7}, {@code on break} becomes {@code On Break}).
     *
     * @throws InvalidValueException naming {@code name}, {@code node} or {@code params.<name>}
     */
    public CallcenterQueue validate() {
        FieldCheck.matches("name", name, IvrActionType.QUEUE_NAME,
                "must be a queue name such as support@default (letters, digits, '.', '_', '@', '+', '-')");
        if (node != null) {
            FieldCheck.matches("node", node, NODE_NAME, "must be a node name of OMINIS_FREESWITCH_NODES");
        }
        Map<QueueParameter, String> normalised = new EnumMap<>(QueueParameter.class);
        for (Map.Entry<QueueParameter, String> e : params.entrySet()) {
            QueueParameter p = e.getKey();
            String value = p.normalise("params." + p.fsName(), e.getValue());
            if (value == null && p.defaultValue() != null) {
                throw new InvalidValueException("params." + p.fsName(), "must not be null (its default is '"
                        + p.defaultValue() + "'); leave it out for the default");
            }
            normalised.put(p, value);
        }
        return new CallcenterQueue(name, node, normalised, createdAt, updatedAt);
    }

    /** Whether this queue has a stored definition (rather than being served with defaults). */
    public boolean defined() {
        return createdAt != null;
    }

    /** The value of {@code parameter}, null when it is unset. */
    public String get(QueueParameter parameter) {
        return params.get(parameter);
    }

    /** The parameters by their {@code callcenter.conf} names, in {@link QueueParameter} order, unset ones left out. */
    public Map<String, String> paramsByName() {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((p, v) -> {
            if (v != null) {
                out.put(p.fsName(), v);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** This queue with other parameters and node (validated by {@link #validate()}), keeping name and timestamps. */
    public CallcenterQueue with(String node, Map<QueueParameter, String> params) {
        return new CallcenterQueue(name, node, params, createdAt, updatedAt);
    }
}
