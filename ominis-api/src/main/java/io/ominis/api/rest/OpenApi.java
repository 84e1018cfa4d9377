package io.ominis.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ominis.core.WireValue;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the OpenAPI 3.1 document from the registered {@link Operation}s. Schemas are derived from the request and
 * response records themselves (snake_case property names, as the API writes them), so a field added to a record is
 * documented without anyone remembering to.
 */
public final class OpenApi {

    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private final ObjectMapper mapper;
    private final Map<Class<?>, Map<String, Map<String, Object>>> propertySchemas;

    public OpenApi(ObjectMapper mapper) {
        this(mapper, Map.of());
    }

    private OpenApi(ObjectMapper mapper, Map<Class<?>, Map<String, Map<String, Object>>> propertySchemas) {
        this.mapper = mapper;
        this.propertySchemas = propertySchemas;
    }

    /** The whole document for {@code operations}. */
    public ObjectNode document(List<Operation> operations, String version) {
        return build(operations, version);
    }

    /**
     * The whole document for {@code operations}, with the property schemas of {@link ApiRouter#describe} in place of
     * the derived ones.
     */
    public ObjectNode document(List<Operation> operations, String version,
            Map<Class<?>, Map<String, Map<String, Object>>> propertySchemas) {
        return new OpenApi(mapper, propertySchemas).build(operations, version);
    }

    private ObjectNode build(List<Operation> operations, String version) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Ominis");
        info.put("version", version);
        info.put("description", "PostgreSQL as the single source of truth for a FreeSWITCH call-center cluster.");
        ObjectNode schemas = mapper.createObjectNode();
        schemas.set("Problem", problemSchema());
        ObjectNode paths = doc.putObject("paths");
        for (Operation op : operations) {
            ObjectNode path = paths.has(op.path()) ? (ObjectNode) paths.get(op.path()) : paths.putObject(op.path());
            ObjectNode o = path.putObject(op.method().name().toLowerCase(Locale.ROOT));
            o.put("summary", op.summary());
            if (op.tag() != null) {
                o.putArray("tags").add(op.tag());
            }
            o.put("operationId", operationId(op));
            ArrayNode params = o.putArray("parameters");
            Matcher m = PATH_PARAM.matcher(op.path());
            while (m.find()) {
                ObjectNode p = params.addObject();
                p.put("name", m.group(1));
                p.put("in", "path");
                p.put("required", true);
                p.putObject("schema").put("type", "string");
            }
            for (Operation.Param q : op.query()) {
                ObjectNode p = params.addObject();
                p.put("name", q.name());
                p.put("in", "query");
                p.put("required", q.required());
                p.put("description", q.description());
                p.putObject("schema").put("type", q.type());
            }
            if (op.request() != null) {
                ObjectNode body = o.putObject("requestBody");
                body.put("required", true);
                JsonNode ref = ref(op.request(), schemas);
                JsonNode schema = ref;
                if (op.requestIsList()) {
                    ObjectNode oneOf = mapper.createObjectNode();
                    oneOf.putArray("oneOf").add(ref).addObject().put("type", "array").set("items", ref);
                    schema = oneOf;
                }
                body.putObject("content").putObject("application/json").set("schema", schema);
            }
            if (op.textRequest() != null) {
                ObjectNode body = o.has("requestBody") ? (ObjectNode) o.get("requestBody") : o.putObject("requestBody");
                body.put("required", true);
                ObjectNode content = body.has("content") ? (ObjectNode) body.get("content") : body.putObject("content");
                text(content, op.textRequest());
            }
            ObjectNode responses = o.putObject("responses");
            ObjectNode ok = responses.putObject(Integer.toString(op.successStatus()));
            ok.put("description", "success");
            if (op.response() != null) {
                JsonNode ref = ref(op.response(), schemas);
                JsonNode schema = op.responseIsList()
                        ? mapper.createObjectNode().put("type", "array").set("items", ref) : ref;
                ok.putObject("content").putObject(op.mediaType()).set("schema", schema);
            } else if (!"application/json".equals(op.mediaType())) {
                ok.putObject("content").putObject(op.mediaType()).putObject("schema").put("type", "string");
            }
            if (op.textAnswer() != null) {
                ObjectNode content = ok.has("content") ? (ObjectNode) ok.get("content") : ok.putObject("content");
                text(content, op.textAnswer());
            }
            for (int status : errorStatuses(op)) {
                ObjectNode r = responses.putObject(Integer.toString(status));
                r.put("description", describe(status));
                r.putObject("content").putObject("application/problem+json").putObject("schema")
                        .put("$ref", "#/components/schemas/Problem");
            }
        }
        doc.putObject("components").set("schemas", schemas);
        return doc;
    }

    private static void text(ObjectNode content, Operation.Text body) {
        ObjectNode media = content.putObject(body.mediaType());
        media.putObject("schema").put("type", "string").put("description", body.description());
    }

    private static List<Integer> errorStatuses(Operation op) {
        java.util.TreeSet<Integer> statuses = new java.util.TreeSet<>(op.errors());
        if (op.path().startsWith("/v1/") && !op.path().startsWith("/v1/freeswitch/")) {
            statuses.add(401);
            statuses.add(403);
        }
        if (op.request() != null || !op.query().isEmpty() || op.path().contains("{")) {
            statuses.add(400);
        }
        if (op.request() != null || op.textRequest() != null) {
            statuses.add(400);
            statuses.add(413);
            statuses.add(415);
        }
        return List.copyOf(statuses);
    }

    private static String describe(int status) {
        return switch (status) {
            case 400 -> "malformed or invalid input; `field` names what is wrong";
            case 401 -> "missing or wrong bearer token";
            case 403 -> "not allowed from this client";
            case 404 -> "not found";
            case 409 -> "conflicts with existing data";
            case 413 -> "body too large";
            case 415 -> "wrong content type";
            case 502 -> "FreeSWITCH refused the command; its reply is in `detail`";
            case 503 -> "a dependency is unavailable or not configured";
            default -> "error";
        };
    }

    private static String operationId(Operation op) {
        String base = op.method().name().toLowerCase(Locale.ROOT) + op.path()
                .replaceAll("\\{([^}]+)}", "By_$1").replaceAll("[^A-Za-z0-9]+", "_");
        return base.replaceAll("_+$", "");
    }

    private JsonNode ref(Class<?> type, ObjectNode schemas) {
        String name = type.getSimpleName();
        if (!schemas.has(name)) {
            schemas.putObject(name); // placeholder first: records may refer to themselves
            schemas.set(name, schemaOf(type, schemas));
        }
        return mapper.createObjectNode().put("$ref", "#/components/schemas/" + name);
    }

    private ObjectNode schemaOf(Class<?> type, ObjectNode schemas) {
        ObjectNode s = mapper.createObjectNode();
        if (!type.isRecord()) {
            return s.put("type", "object");
        }
        s.put("type", "object");
        s.put("additionalProperties", false);
        ObjectNode properties = s.putObject("properties");
        Map<String, Map<String, Object>> described = propertySchemas.getOrDefault(type, Map.of());
        for (RecordComponent c : type.getRecordComponents()) {
            String name = SNAKE.translate(c.getName());
            properties.set(name, described.containsKey(c.getName()) ? mapper.valueToTree(described.get(c.getName()))
                    : typeSchema(c.getGenericType(), schemas));
        }
        return s;
    }

    private JsonNode typeSchema(Type type, ObjectNode schemas) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                return mapper.createObjectNode().put("type", "array")
                        .set("items", typeSchema(p.getActualTypeArguments()[0], schemas));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return mapper.createObjectNode().put("type", "object")
                        .set("additionalProperties", typeSchema(p.getActualTypeArguments()[1], schemas));
            }
            return mapper.createObjectNode().put("type", "object");
        }
        Class<?> c = (Class<?>) type;
        ObjectNode s = mapper.createObjectNode();
        if (c == String.class) {
            return s.put("type", "string");
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return s.put("type", "integer");
        }
        if (c == double.class || c == Double.class) {
            return s.put("type", "number");
        }
        if (c == boolean.class || c == Boolean.class) {
            return s.put("type", "boolean");
        }
        if (c == Instant.class || c == OffsetDateTime.class) {
            return s.put("type", "string").put("format", "date-time");
        }
        if (c == LocalDateTime.class) {
            return s.put("type", "string").put("description", "local date-time, e.g. 2026-11-25T13:00:00");
        }
        if (JsonNode.class.isAssignableFrom(c)) {
            return s.put("type", "object");
        }
        if (c.isRecord()) {
            return ref(c, schemas);
        }
        if (c.isEnum() && WireValue.class.isAssignableFrom(c)) {
            ArrayNode values = s.put("type", "string").putArray("enum");
            for (Object constant : c.getEnumConstants()) {
                values.add(((WireValue) constant).wire());
            }
            return s;
        }
        return s.put("type", "object");
    }

    private ObjectNode problemSchema() {
        ObjectNode s = mapper.createObjectNode();
        s.put("type", "object");
        ObjectNode p = s.putObject("properties");
        p.putObject("type").put("type", "string");
        p.putObject("title").put("type", "string");
        p.putObject("status").put("type", "integer");
        p.putObject("detail").put("type", "string");
        p.putObject("field").put("type", "string");
        p.putObject("errors").put("type", "array").putObject("items").put("type", "object");
        return s;
    }
}
