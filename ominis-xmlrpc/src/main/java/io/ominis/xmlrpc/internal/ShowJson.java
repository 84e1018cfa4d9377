package io.ominis.xmlrpc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code show … as json} format: {@code {"row_count":N,"rows":[{column:"string",…}]}}, where zero rows come
 * as {@code {"row_count": 0}} without a {@code rows} key. FreeSWITCH prints SQL NULL and an empty string alike as
 * {@code ""}; this reader turns {@code ""} into {@code null}, because a column FreeSWITCH has not written yet (NULL)
 * is by far the common case and that is how the same row reads from the database.
 */
public final class ShowJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ShowJson() {
    }

    /**
     * Parses the rows in column order.
     *
     * @throws IllegalArgumentException with a short reason when the text is not in that format
     */
    public static List<Map<String, String>> rows(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.has("row_count")) {
            throw new IllegalArgumentException("no row_count");
        }
        int rowCount = root.get("row_count").asInt(-1);
        JsonNode rows = root.get("rows");
        if (rows == null || rows.isNull()) {
            if (rowCount != 0) {
                throw new IllegalArgumentException("row_count " + rowCount + " but no rows");
            }
            return List.of();
        }
        if (!rows.isArray() || rows.size() != rowCount) {
            throw new IllegalArgumentException("row_count " + rowCount + " does not match the rows array");
        }
        List<Map<String, String>> result = new ArrayList<>(rows.size());
        for (JsonNode row : rows) {
            if (!row.isObject()) {
                throw new IllegalArgumentException("a row is not an object");
            }
            Map<String, String> columns = new LinkedHashMap<>();
            row.properties().forEach(field -> {
                JsonNode value = field.getValue();
                String text = value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
                columns.put(field.getKey(), text == null || text.isEmpty() ? null : text);
            });
            result.add(Collections.unmodifiableMap(columns));
        }
        return List.copyOf(result);
    }

    /** An integer column; {@code null} when absent or empty. */
    public static Integer integer(Map<String, String> row, String column) {
        String value = row.get(column);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column " + column + " is not an integer: '" + value + "'");
        }
    }
}
