package io.ominis.xmlcurl;

import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import io.ominis.core.callcenter.CallcenterQueue;
import io.ominis.core.callcenter.QueueParameter;
import io.ominis.core.ivr.IvrActionType;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One mod_callcenter queue of {@code callcenter.conf}: its name and {@code <param>}s. Only the parameters
 * mod_callcenter reads are accepted, with the values it understands ({@link QueueParameter}, the one place that knows
 * them); values are normalised ({@code TRUE} becomes {@code true}, {@code 007} becomes {@code 7}) and kept in name
 * order so rendering is stable.
 *
 * @param name   the queue name as used in {@code callcenter <queue>}, e.g. {@code support@default}
 * @param params parameter name to value; parameters left out take mod_callcenter's defaults
 */
public record QueueDefinition(String name, Map<String, String> params) {

    /** See {@link CallcenterQueue#DEFAULT_MOH_SOUND}. */
    public static final String DEFAULT_MOH_SOUND = CallcenterQueue.DEFAULT_MOH_SOUND;

    /** Validates the name and every parameter, and freezes a normalised, sorted copy of the parameters. */
    public QueueDefinition {
        FieldCheck.matches("name", name, IvrActionType.QUEUE_NAME,
                "must be a queue name (letters, digits, '.', '_', '@', '+', '-')");
        Objects.requireNonNull(params, "params");
        Map<String, String> normalised = new TreeMap<>();
        params.forEach((param, value) -> {
            QueueParameter p = QueueParameter.byName(param).orElseThrow(() ->
                    new InvalidValueException("params", "unknown queue parameter '" + param + "'"));
            String v = p.normalise("params." + param, value);
            if (v == null) {
                throw new InvalidValueException("params." + param, "is required");
            }
            normalised.put(param, v);
        });
        params = Collections.unmodifiableMap(normalised);
    }

    /** A queue with mod_callcenter's default strategy and {@link #DEFAULT_MOH_SOUND}. */
    public static QueueDefinition withDefaults(String name) {
        return of(CallcenterQueue.withDefaults(name));
    }

    /** The {@code callcenter.conf} form of {@code queue}: every parameter that is set, by its FreeSWITCH name. */
    public static QueueDefinition of(CallcenterQueue queue) {
        return new QueueDefinition(queue.name(), queue.paramsByName());
    }

    /** This queue with {@code param} set to {@code value} (validated like every other parameter). */
    public QueueDefinition with(String param, String value) {
        Map<String, String> copy = new TreeMap<>(params);
        copy.put(param, value);
        return new QueueDefinition(name, copy);
    }
}
