package io.ominis.core;

import java.util.Objects;

/** A create would duplicate an entity whose key must be unique. */
public class AlreadyExistsException extends OminisException {
    private static final long serialVersionUID = 1L;

    private final String entity;
    private final String key;

    public AlreadyExistsException(String entity, String key) {
        this(entity, key, null);
    }

    public AlreadyExistsException(String entity, String key, Throwable cause) {
        super(Objects.requireNonNull(entity, "entity") + " '" + key + "' already exists", cause);
        this.entity = entity;
        this.key = key;
    }

    /** The kind of entity, e.g. {@code extension}. */
    public String entity() {
        return entity;
    }

    /** The duplicated key, as the database reported it. */
    public String key() {
        return key;
    }
}
