package io.ominis.core.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.core.InvalidValueException;
import io.ominis.core.csv.CsvFormatException;
import io.ominis.core.csv.CsvReader;
import io.ominis.core.csv.CsvRecord;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Extensions as CSV: a header row naming the columns (any order, any subset that includes {@code number} and, for an
 * import, {@code password}), then one extension a row; an empty cell is an absent value, the JSON columns hold JSON
 * objects as text. Exports never carry the password column.
 */
public final class ExtensionCsv {

    /** Every column an import understands. */
    public static final List<String> COLUMNS = List.of("number", "password", "display_name", "email", "department",
            "status", "call_forwarding_json", "voicemail_json", "features_json");

    /** The columns of an export: all but the password. */
    public static final List<String> EXPORT_COLUMNS = COLUMNS.stream().filter(c -> !c.equals("password")).toList();

    private final ExtensionIntake intake;
    private final ObjectMapper mapper;

    /** @param intake the rules each row meets, shared with the JSON routes */
    public ExtensionCsv(ExtensionIntake intake, ObjectMapper mapper) {
        this.intake = intake;
        this.mapper = mapper;
    }

    /**
     * The rows of a CSV text, read one at a time as they are asked for. The header is read here.
     *
     * @throws InvalidValueException (field {@code csv}) when the header is missing, repeats or names an unknown
     *                               column, or lacks {@code number} or {@code password}
     */
    public Iterator<ImportRow> rows(Reader text) {
        CsvReader reader = new CsvReader(text);
        CsvRecord header = reader.next();
        if (header == null) {
            throw new InvalidValueException("csv", "is empty; the first line must name the columns, e.g. "
                    + String.join(",", COLUMNS));
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String name = header.fields().get(i).strip().toLowerCase(java.util.Locale.ROOT);
            if (!COLUMNS.contains(name)) {
                throw new InvalidValueException("csv", "line " + header.line() + ": unknown column '" + name
                        + "'; the columns are " + String.join(", ", COLUMNS));
            }
            if (positions.putIfAbsent(name, i) != null) {
                throw new InvalidValueException("csv", "line " + header.line() + ": column '" + name + "' repeats");
            }
        }
        for (String required : List.of("number", "password")) {
            if (!positions.containsKey(required)) {
                throw new InvalidValueException("csv", "line " + header.line() + ": the header lacks column '"
                        + required + "'");
            }
        }
        int width = header.fields().size();
        return new Iterator<>() {
            private ImportRow ahead;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (ahead == null && !done) {
                    ahead = read();
                }
                return ahead != null;
            }

            @Override
            public ImportRow next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ImportRow row = ahead;
                ahead = null;
                return row;
            }

            private ImportRow read() {
                CsvRecord record;
                try {
                    record = reader.next();
                } catch (CsvFormatException broken) {
                    done = true;
                    return new ImportRow(broken.line(), null, new RowProblem(broken.line(), "csv", broken.reason()));
                }
                if (record == null) {
                    done = true;
                    return null;
                }
                if (record.fields().size() != width) {
                    return new ImportRow(record.line(), null, new RowProblem(record.line(), "csv", "has "
                            + record.fields().size() + " fields, the header has " + width));
                }
                try {
                    return new ImportRow(record.line(), toExtension(record.fields(), positions), null);
                } catch (InvalidValueException bad) {
                    return new ImportRow(record.line(), null, new RowProblem(record.line(), bad.field(), bad.reason()));
                }
            }
        };
    }

    /** The header of an export. */
    public static List<String> exportHeader() {
        return EXPORT_COLUMNS;
    }

    /** One exported row, in {@link #EXPORT_COLUMNS} order, without the password. */
    public List<String> exportRow(Extension e) {
        return Arrays.asList(e.number(), e.displayName(), e.email(), e.department(), e.status().wire(),
                text(e.callForwarding()), text(e.voicemail()), text(e.features()));
    }

    private Extension toExtension(List<String> fields, Map<String, Integer> positions) {
        return intake.newExtension(cell(fields, positions, "number"), cell(fields, positions, "password"),
                cell(fields, positions, "display_name"), cell(fields, positions, "email"),
                cell(fields, positions, "department"), cell(fields, positions, "status"),
                json(fields, positions, "call_forwarding_json"), json(fields, positions, "voicemail_json"),
                json(fields, positions, "features_json"));
    }

    private static String cell(List<String> fields, Map<String, Integer> positions, String column) {
        Integer at = positions.get(column);
        if (at == null) {
            return null;
        }
        String value = fields.get(at);
        return value.isEmpty() ? null : value;
    }

    private JsonNode json(List<String> fields, Map<String, Integer> positions, String column) {
        String value = cell(fields, positions, column);
        if (value == null) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(value);
            if (!node.isObject()) {
                throw new InvalidValueException(column, "must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            // the parser's message quotes the cell; JSON columns hold no secret, but keep the answer short
            throw new InvalidValueException(column, "is not JSON (write a JSON object, quoted for CSV)");
        }
    }

    private String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
