package io.ominis.db.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.db.DatabaseException;
import java.sql.SQLException;
import org.postgresql.util.PGobject;

/** Reads and writes JSONB columns as Jackson trees. One mapper per {@code Database}, shared by its DAOs. */
public final class JsonColumns {

    private final ObjectMapper mapper;

    public JsonColumns(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A value to bind to a JSONB parameter; null stays SQL NULL. */
    public PGobject jsonb(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        PGobject o = new PGobject();
        o.setType("jsonb");
        try {
            o.setValue(mapper.writeValueAsString(node));
        } catch (JsonProcessingException | SQLException e) {
            throw new DatabaseException("cannot encode JSON", e);
        }
        return o;
    }

    /** The tree of a JSONB column read as text; null stays null. */
    public JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DatabaseException("the database returned malformed JSON", e);
        }
    }
}
