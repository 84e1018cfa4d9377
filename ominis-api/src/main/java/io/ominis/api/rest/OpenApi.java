package io.ominis.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HandlerType;
import io.ominis.core.WireValue;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
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
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.NullUnmarked;
import org.jspecify.annotations.Nullable;

/**
 * Builds the OpenAPI 3.1 document from the registered {@link Operation}s. Schemas are derived from the request and
 * response records themselves (snake_case property names, as the API writes them), so a field added to a record is
 * documented without anyone remembering to.
 */
public final class OpenApi {

    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private static final String BEARER = "bearer";
    private static final String GATEWAY = "freeswitch";

    private final ObjectMapper mapper;
    private final Map<Class<?>, Map<String, Map<String, Object>>> propertySchemas;
    /** The use each schema name was generated for, while one document is built. */
    private final Map<String, Use> uses = new java.util.HashMap<>();
    /** The record each schema name stands for, while one document is built. */
    private final Map<String, Class<?>> types = new java.util.HashMap<>();

    public OpenApi(ObjectMapper mapper) {
        this(mapper, Map.of());
    }

    private OpenApi(ObjectMapper mapper, Map<Class<?>, Map<String, Map<String, Object>>> propertySchemas) {
        this.mapper = mapper;
        this.propertySchemas = propertySchemas;
    }

    /** The whole document for {@code operations}. */
    public ObjectNode document(List<Operation> operations, String version) {
        return new OpenApi(mapper, propertySchemas).build(operations, version);
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
        // relative: the paths carry the mount's prefix, so the document is right whatever host and port serve it
        doc.putArray("servers").addObject().put("url", "/").put("description", "the server that serves this document");
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
            o.set("security", security(op));
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
                ObjectNode schema = p.putObject("schema").put("type", q.type());
                if (!q.values().isEmpty()) {
                    q.values().forEach(schema.putArray("enum")::add);
                }
            }
            if (op.request() != null) {
                ObjectNode body = o.putObject("requestBody");
                body.put("required", true);
                ObjectNode content = body.putObject("content");
                if (op.method() == HandlerType.PATCH) {
                    // a merge patch (RFC 7396): any subset of the fields; null clears one
                    JsonNode ref = ref(op.request(), Use.PATCH, schemas);
                    content.putObject("application/merge-patch+json").set("schema", ref);
                    content.putObject("application/json").set("schema", ref);
                } else {
                    JsonNode ref = ref(op.request(), Use.REQUEST, schemas);
                    content.putObject("application/json").set("schema", op.requestIsList() ? oneOrMany(ref) : ref);
                }
            }
            if (op.textRequest() != null) {
                ObjectNode body = o.has("requestBody") ? (ObjectNode) o.get("requestBody") : o.putObject("requestBody");
                body.put("required", true);
                ObjectNode content = body.has("content") ? (ObjectNode) body.get("content") : body.putObject("content");
                text(content, op.textRequest());
            }
            ObjectNode responses = o.putObject("responses");
            ObjectNode ok = responses.putObject(Integer.toString(op.successStatus()));
            ok.put("description", op.requestIsList() ? "success; an array of them when the request was an array"
                    : "success");
            if (op.response() != null) {
                JsonNode ref = ref(op.response(), Use.RESPONSE, schemas);
                JsonNode schema = op.responseIsList() ? array(ref) : op.requestIsList() ? oneOrMany(ref) : ref;
                ok.putObject("content").putObject(mediaType(op)).set("schema", schema);
            } else if (op.successStatus() != 204) {
                ok.putObject("content").putObject(mediaType(op)).putObject("schema")
                        .put("type", op.mediaType().endsWith("json") ? "object" : "string");
            }
            for (Operation.Answer answer : op.answers()) {
                ObjectNode r = responses.putObject(Integer.toString(answer.status()));
                r.put("description", answer.description());
                r.putObject("content").putObject(answer.mediaType()).set("schema", answer.body() == null
                        ? mapper.createObjectNode().put("type", "string") : ref(answer.body(), Use.RESPONSE, schemas));
            }
            if (op.textAnswer() != null) {
                ObjectNode content = ok.has("content") ? (ObjectNode) ok.get("content") : ok.putObject("content");
                text(content, op.textAnswer());
            }
            for (int status : errorStatuses(op)) {
                ObjectNode r = responses.has(Integer.toString(status))
                        ? (ObjectNode) responses.get(Integer.toString(status))
                        : responses.putObject(Integer.toString(status)).put("description", describe(status));
                ObjectNode content = r.has("content") ? (ObjectNode) r.get("content") : r.putObject("content");
                content.putObject("application/problem+json").putObject("schema")
                        .put("$ref", "#/components/schemas/Problem");
            }
        }
        ObjectNode components = doc.putObject("components");
        components.set("schemas", schemas);
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject(BEARER).put("type", "http").put("scheme", "bearer").put("description",
                "OMINIS_API_TOKEN, as `Authorization: Bearer <token>`. While OMINIS_API_TOKEN is unset, the "
                        + "management API needs no token but serves loopback clients (127.0.0.0/8, ::1) only, and "
                        + "answers others 403.");
        schemes.putObject(GATEWAY).put("type", "http").put("scheme", "basic").put("description",
                "OMINIS_XMLCURL_USER and OMINIS_XMLCURL_PASSWORD, as FreeSWITCH's gateway-credentials; callers may "
                        + "also be admitted by network (OMINIS_XMLCURL_ALLOWED_CIDRS). With neither set, loopback "
                        + "clients only.");
        return doc;
    }

    /** The media type of the answer without its parameters ({@code text/plain}, not {@code text/plain; version=…}). */
    private static String mediaType(Operation op) {
        return op.mediaType().replaceAll(";.*", "").strip();
    }

    /** Which routes need which credentials: as {@link ApiAuth} and the FreeSWITCH routes' guard decide. */
    private ArrayNode security(Operation op) {
        ArrayNode security = mapper.createArrayNode();
        if (op.path().contains("/v1/freeswitch/")) {
            security.addObject().putArray(GATEWAY);
            security.addObject(); // or admitted by network
        } else if (op.path().contains("/v1/")) {
            security.addObject().putArray(BEARER);
        }
        return security;
    }

    private JsonNode array(JsonNode items) {
        return mapper.createObjectNode().put("type", "array").set("items", items);
    }

    private JsonNode oneOrMany(JsonNode ref) {
        ObjectNode oneOf = mapper.createObjectNode();
        oneOf.putArray("oneOf").add(ref).add(array(ref));
        return oneOf;
    }

    private static void text(ObjectNode content, Operation.Text body) {
        ObjectNode media = content.putObject(body.mediaType());
        media.putObject("schema").put("type", "string").put("description", body.description());
    }

    private static List<Integer> errorStatuses(Operation op) {
        java.util.TreeSet<Integer> statuses = new java.util.TreeSet<>(op.errors());
        if (op.path().contains("/v1/") && !op.path().contains("/v1/freeswitch/")) {
            statuses.add(401);
            statuses.add(403);
            statuses.add(400); // a query string with a malformed percent escape, on any API route
        }
        statuses.add(503); // every route: no worker free within OMINIS_HTTP_QUEUE_WAIT_MS (the bulkheads)
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
            case 503 -> "overloaded (retry after Retry-After), or a dependency is unavailable or not configured";
            default -> "error";
        };
    }

    private static String operationId(Operation op) {
        String base = op.method().name().toLowerCase(Locale.ROOT) + op.path()
                .replaceAll("\\{([^}]+)}", "By_$1").replaceAll("[^A-Za-z0-9]+", "_");
        return base.replaceAll("_+$", "");
    }

    /** How a record is used: what its schema requires of which fields. */
    private enum Use {
        /** Written by the server: every field is present, null or not (unless left out when null). */
        RESPONSE,
        /** Sent by a client to create or replace: the fields that may not be null are required. */
        REQUEST,
        /** A JSON merge patch: any subset of the fields. */
        PATCH
    }

    private JsonNode ref(Class<?> type, Use use, ObjectNode schemas) {
        String name = type.getSimpleName() + (use == Use.PATCH ? "Patch" : "");
        Class<?> named = types.putIfAbsent(name, type);
        if (named != null && named != type) {
            throw new IllegalStateException(type.getName() + " and " + named.getName() + " would share the schema "
                    + name + ": rename one");
        }
        Use previous = uses.putIfAbsent(name, use);
        if (previous != null && previous != use && !(previous != Use.PATCH && use != Use.PATCH && type.isRecord()
                && requiredOf(type, Use.REQUEST).equals(requiredOf(type, Use.RESPONSE)))) {
            throw new IllegalStateException(type.getName() + " is used both as a request and as a response, "
                    + "with different required fields: give each use its own record");
        }
        if (!schemas.has(name)) {
            schemas.putObject(name); // placeholder first: records may refer to themselves
            schemas.set(name, schemaOf(type, use, schemas));
        }
        return mapper.createObjectNode().put("$ref", "#/components/schemas/" + name);
    }

    private ObjectNode schemaOf(Class<?> type, Use use, ObjectNode schemas) {
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
            JsonNode schema = described.containsKey(c.getName()) ? mapper.valueToTree(described.get(c.getName()))
                    : componentSchema(c, use, schemas);
            properties.set(name, nullable(c) && !omittedWhenNull(c) ? orNull(schema) : schema);
        }
        List<String> required = requiredOf(type, use);
        if (!required.isEmpty()) {
            required.forEach(s.putArray("required")::add);
        }
        return s;
    }

    private JsonNode componentSchema(RecordComponent c, Use use, ObjectNode schemas) {
        OneOf oneOf = c.getAnnotation(OneOf.class);
        if (oneOf != null) {
            ObjectNode s = mapper.createObjectNode().put("type", "string");
            Operation.wires(oneOf.value()).forEach(s.putArray("enum")::add);
            return s;
        }
        return annotatedSchema(c.getAnnotatedType(), use, schemas);
    }

    /** The schema of a type whose arguments may be {@code @Nullable} ({@code Map<String, @Nullable String>}). */
    private JsonNode annotatedSchema(AnnotatedType type, Use use, ObjectNode schemas) {
        if (type instanceof AnnotatedParameterizedType p && p.getType() instanceof ParameterizedType raw) {
            AnnotatedType[] args = p.getAnnotatedActualTypeArguments();
            AnnotatedType item = args[args.length - 1];
            JsonNode itemSchema = annotatedSchema(item, use, schemas);
            if (item.isAnnotationPresent(Nullable.class)) {
                itemSchema = orNull(itemSchema);
            }
            if (List.class.isAssignableFrom((Class<?>) raw.getRawType())) {
                return array(itemSchema);
            }
            if (Map.class.isAssignableFrom((Class<?>) raw.getRawType())) {
                return mapper.createObjectNode().put("type", "object").set("additionalProperties", itemSchema);
            }
        }
        return typeSchema(type.getType(), use, schemas);
    }

    /** The fields {@code use} of a record requires, in declaration order. */
    private static List<String> requiredOf(Class<?> type, Use use) {
        return java.util.Arrays.stream(type.getRecordComponents())
                .filter(c -> switch (use) {
                    case RESPONSE -> !omittedWhenNull(c);
                    case REQUEST -> !c.getType().isPrimitive() && !nullable(c);
                    case PATCH -> false;
                })
                .map(c -> SNAKE.translate(c.getName()))
                .toList();
    }

    /**
     * Whether the field may be null: a primitive never is; otherwise as JSpecify says: {@code @Nullable}, or any field
     * of a record not inside a {@code @NullMarked} scope (its nullness is unspecified, so the document must allow it).
     */
    static boolean nullable(RecordComponent c) {
        if (c.getType().isPrimitive()) {
            return false;
        }
        if (c.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
            return true;
        }
        return !nullMarked(c.getDeclaringRecord());
    }

    /** Whether JSpecify's nearest scope of {@code type} (itself, its enclosing classes, its package) is null-marked. */
    static boolean nullMarked(Class<?> type) {
        for (Class<?> k = type; k != null; k = k.getEnclosingClass()) {
            if (k.isAnnotationPresent(NullMarked.class)) {
                return true;
            }
            if (k.isAnnotationPresent(NullUnmarked.class)) {
                return false;
            }
        }
        return type.getPackage().isAnnotationPresent(NullMarked.class);
    }

    /** Whether Jackson leaves the field out instead of writing a null. */
    private static boolean omittedWhenNull(RecordComponent c) {
        JsonInclude include = c.getAnnotation(JsonInclude.class);
        if (include == null) {
            include = c.getAccessor().getAnnotation(JsonInclude.class);
        }
        return include != null && include.value() != JsonInclude.Include.ALWAYS
                && include.value() != JsonInclude.Include.USE_DEFAULTS;
    }

    /** {@code schema}, or null (OpenAPI 3.1: JSON Schema's type lists). */
    private JsonNode orNull(JsonNode schema) {
        if (schema.has("$ref") || !schema.has("type")) {
            ObjectNode any = mapper.createObjectNode();
            any.putArray("oneOf").add(schema).addObject().put("type", "null");
            return any;
        }
        ObjectNode s = ((ObjectNode) schema).deepCopy();
        JsonNode type = s.get("type");
        if (type.isTextual()) {
            s.putArray("type").add(type.asText()).add("null");
        } else if (type.isArray() && !type.toString().contains("\"null\"")) {
            ((ArrayNode) type).add("null");
        }
        if (s.has("enum")) {
            ((ArrayNode) s.get("enum")).addNull();
        }
        return s;
    }

    private JsonNode typeSchema(Type type, Use use, ObjectNode schemas) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                return array(typeSchema(p.getActualTypeArguments()[0], use, schemas));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return mapper.createObjectNode().put("type", "object")
                        .set("additionalProperties", typeSchema(p.getActualTypeArguments()[1], use, schemas));
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
        if (c == java.time.LocalDate.class) {
            return s.put("type", "string").put("format", "date");
        }
        if (c == LocalDateTime.class) {
            return s.put("type", "string").put("description", "local date-time, e.g. 2026-11-25T13:00:00");
        }
        if (JsonNode.class.isAssignableFrom(c)) {
            return s.put("type", "object");
        }
        if (c.isRecord()) {
            return ref(c, use, schemas);
        }
        if (c.isEnum()) {
            // as the API mapper writes them: FreeSWITCH's spelling for wire values, the name for the others
            ArrayNode values = s.put("type", "string").putArray("enum");
            for (Object constant : c.getEnumConstants()) {
                values.add(constant instanceof WireValue w ? w.wire() : constant.toString());
            }
            return s;
        }
        return s.put("type", "object");
    }

    private ObjectNode problemSchema() {
        ObjectNode s = mapper.createObjectNode();
        s.put("type", "object");
        s.put("description", "RFC 9457 problem details");
        ObjectNode p = s.putObject("properties");
        p.putObject("type").put("type", "string");
        p.putObject("title").put("type", "string");
        p.putObject("status").put("type", "integer");
        p.putObject("detail").put("type", "string");
        p.putObject("field").put("type", "string").put("description", "the field, parameter or header at fault");
        ObjectNode row = p.putObject("errors").put("description", "each rejected row of a bulk write")
                .put("type", "array").putObject("items");
        row.put("type", "object");
        ObjectNode rowProperties = row.putObject("properties");
        rowProperties.putObject("index").put("type", "integer");
        rowProperties.putObject("field").putArray("type").add("string").add("null");
        rowProperties.putObject("reason").put("type", "string");
        row.putArray("required").add("index").add("field").add("reason");
        s.putArray("required").add("type").add("title").add("status");
        return s;
    }
}
