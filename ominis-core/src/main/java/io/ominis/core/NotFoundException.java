package io.ominis.core;

import java.util.Objects;

/** The entity named by a key does not exist (or no longer exists). */
public class NotFoundException extends OminisException {
    private static final long serialVersionUID = 1L;

    private final String entity;
    private final String key;

    public NotFoundException(String entity, String key) {
        super(Objects.requireNonNull(entity, "entity") + " '" + key + "' not found");
        this.entity = entity;
        this.key = key;
    }

    /** The kind of entity, e.g. {@code extension}. */
    public String entity() {
        return entity;
    }

    /** The key that was looked up. */
    public String key() {
        return key;
    }
}
