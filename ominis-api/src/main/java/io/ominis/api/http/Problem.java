package io.ominis.api.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/**
 * Writes RFC 9457 problem details ({@code application/problem+json}). Every error the server answers goes through
 * here, so clients always get the same shape: {@code type}, {@code title}, {@code status}, {@code detail} and, for a
 * bad value, the {@code field} at fault.
 */
public final class Problem {

    /** The media type of problem details. */
    public static final String CONTENT_TYPE = "application/problem+json";

    private final ObjectMapper mapper;

    public Problem(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A problem body ready to be extended (e.g. with a list of row errors) and sent with {@link #send}. */
    public ObjectNode body(int status, String title, String detail, String field) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", "about:blank");
        node.put("title", title);
        node.put("status", status);
        if (detail != null) {
            node.put("detail", detail);
        }
        if (field != null) {
            node.put("field", field);
        }
        return node;
    }

    /** Answers the request with {@code body}. */
    public void send(Context ctx, ObjectNode body) {
        ctx.status(body.get("status").asInt());
        ctx.contentType(CONTENT_TYPE);
        ctx.result(bytes(body));
    }

    /** A problem body as the bytes an answer carries. */
    public byte[] bytes(ObjectNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a problem body", e);
        }
    }

    /** Answers the request with a problem of this status. */
    public void send(Context ctx, int status, String title, String detail, String field) {
        send(ctx, body(status, title, detail, field));
    }

    /**
     * Answers a request that Jetty handles itself, before Javalin (bulkhead refusals, oversized or abandoned bodies),
     * with the same shape of problem.
     */
    public static void write(org.eclipse.jetty.server.Response response, org.eclipse.jetty.util.Callback callback,
            int status, String title, String detail, String field) {
        StringBuilder json = new StringBuilder("{\"type\":\"about:blank\",\"title\":\"");
        JsonStringEncoder.getInstance().quoteAsString(title, json);
        json.append("\",\"status\":").append(status).append(",\"detail\":\"");
        JsonStringEncoder.getInstance().quoteAsString(detail, json);
        json.append('"');
        if (field != null) {
            json.append(",\"field\":\"");
            JsonStringEncoder.getInstance().quoteAsString(field, json);
            json.append('"');
        }
        json.append('}');
        response.setStatus(status);
        response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.write(true, java.nio.ByteBuffer.wrap(json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                callback);
    }
}
