package io.ominis.api.rest;

import io.javalin.http.HandlerType;
import io.ominis.core.WireValue;
import java.util.List;
import java.util.Objects;

/**
 * What the OpenAPI document says about one route. Routes are registered together with their operation
 * ({@link ApiRouter}), so the document cannot drift from what the server serves.
 *
 * @param request   record type of the JSON request body, or null for none
 * @param response  record type of the JSON response body; a {@code List} response is declared with
 *                  {@link #listOf}; null for a non-JSON or empty response
 * @param mediaType media type of the response ({@code application/json}, {@code text/xml}, …)
 * @param query     query parameters the route reads
 * @param errors    error statuses the route may answer besides the common ones (400, 401, 403, 500)
 * @param answers   other answers than the success status and the problems, with the body each carries (a 202 that says
 *                  the switch has not shown the change yet, a 503 readiness report)
 * @param textRequest a non-JSON request body the route reads (e.g. CSV), or null for none
 * @param textAnswer  another media type the route answers with when the client asks for it in {@code Accept}, or
 *                    null for none
 */
public record Operation(
        HandlerType method,
        String path,
        String tag,
        String summary,
        Class<?> request,
        boolean requestIsList,
        Class<?> response,
        boolean responseIsList,
        int successStatus,
        String mediaType,
        List<Param> query,
        List<Integer> errors,
        List<Answer> answers,
        Text textRequest,
        Text textAnswer) {

    /**
     * A text body (request or response) of a media type other than JSON; its format is told in words because
     * OpenAPI has no schema for CSV.
     */
    public record Text(String mediaType, String description) {
    }

    /**
     * A query parameter.
     *
     * @param type     JSON Schema type: {@code string}, {@code integer}, {@code boolean}
     * @param required whether the route answers 400 without it
     * @param values   the only values the route accepts, empty for any
     */
    public record Param(String name, String type, String description, boolean required, List<String> values) {

        /** An optional parameter. */
        public Param(String name, String type, String description) {
            this(name, type, description, false, List.of());
        }

        public Param {
            values = List.copyOf(values);
        }
    }

    /**
     * An answer besides the success status and the problems.
     *
     * @param body      record type of its JSON body, or null for a text body
     * @param status    its status
     * @param mediaType its media type
     */
    public record Answer(int status, Class<?> body, String mediaType, String description) {
    }

    /** An operation with no text bodies (the shape before {@link Text} existed). */
    public Operation(HandlerType method, String path, String tag, String summary, Class<?> request,
            boolean requestIsList, Class<?> response, boolean responseIsList, int successStatus, String mediaType,
            List<Param> query, List<Integer> errors) {
        this(method, path, tag, summary, request, requestIsList, response, responseIsList, successStatus, mediaType,
                query, errors, List.of(), null, null);
    }

    public Operation {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = List.copyOf(query);
        errors = List.copyOf(errors);
        answers = List.copyOf(answers);
    }

    /** A JSON operation answering 200 with {@code response}. */
    public static Operation json(HandlerType method, String path, String tag, String summary, Class<?> response) {
        return new Operation(method, path, tag, summary, null, false, response, false, 200, "application/json",
                List.of(), List.of(), List.of(), null, null);
    }

    public Operation withRequest(Class<?> type) {
        return new Operation(method, path, tag, summary, type, false, response, responseIsList, successStatus,
                mediaType, query, errors, answers, textRequest, textAnswer);
    }

    /** Declares that the request body may also be a JSON array of {@link #request} items. */
    public Operation orRequestList() {
        return new Operation(method, path, tag, summary, request, true, response, responseIsList, successStatus,
                mediaType, query, errors, answers, textRequest, textAnswer);
    }

    public Operation listOf() {
        return new Operation(method, path, tag, summary, request, requestIsList, response, true, successStatus,
                mediaType, query, errors, answers, textRequest, textAnswer);
    }

    public Operation status(int status) {
        return new Operation(method, path, tag, summary, request, requestIsList, response, responseIsList, status,
                mediaType, query, errors, answers, textRequest, textAnswer);
    }

    public Operation media(String type) {
        return new Operation(method, path, tag, summary, request, requestIsList, response, responseIsList,
                successStatus, type, query, errors, answers, textRequest, textAnswer);
    }

    public Operation query(String name, String type, String description) {
        return query(new Param(name, type, description));
    }

    /** Documents a query parameter the route cannot do without. */
    public Operation requiredQuery(String name, String type, String description) {
        return query(new Param(name, type, description, true, List.of()));
    }

    /** Documents a query parameter that takes one of the wire values of {@code values}. */
    public Operation query(String name, Class<? extends WireValue> values, String description) {
        return query(new Param(name, "string", description, false, wires(values)));
    }

    /** Documents a query parameter that takes one of {@code values}. */
    public Operation query(String name, List<String> values, String description) {
        return query(new Param(name, "string", description, false, values));
    }

    /** The wire values of the enum {@code type}, in declaration order. */
    static List<String> wires(Class<? extends WireValue> type) {
        return java.util.Arrays.stream(type.getEnumConstants()).map(WireValue::wire).toList();
    }

    /** Documents another answer than success and problems: {@code status} with a {@code body} record. */
    public Operation answers(int status, Class<?> body, String description) {
        List<Answer> more = new java.util.ArrayList<>(answers);
        more.add(new Answer(status, body, "application/json", description));
        return answers(more);
    }

    /** Documents another answer than success and problems: {@code status} with a text body of {@code mediaType}. */
    public Operation answersText(int status, String mediaType, String description) {
        List<Answer> more = new java.util.ArrayList<>(answers);
        more.add(new Answer(status, null, mediaType, description));
        return answers(more);
    }

    private Operation answers(List<Answer> more) {
        return new Operation(method, path, tag, summary, request, requestIsList, response, responseIsList,
                successStatus, mediaType, query, errors, more, textRequest, textAnswer);
    }

    private Operation query(Param param) {
        List<Param> more = new java.util.ArrayList<>(query);
        more.add(param);
        return new Operation(method, path, tag, summary, request, requestIsList, response, responseIsList,
                successStatus, mediaType, more, errors, answers, textRequest, textAnswer);
    }

    public Operation errors(Integer... statuses) {
        List<Integer> more = new java.util.ArrayList<>(errors);
        more.addAll(List.of(statuses));
        return new Operation(method, path, tag, summary, request, requestIsList, response, responseIsList,
                successStatus, mediaType, query, more, answers, textRequest, textAnswer);
    }

    /** Documents a request body of {@code mediaType} (e.g. {@code text/csv}) whose format {@code description} tells. */
    public Operation withTextRequest(String mediaType, String description) {
        return new Operation(method, path, tag, summary, request, requestIsList, response, responseIsList,
                successStatus, this.mediaType, query, errors, answers, new Text(mediaType, description), textAnswer);
    }

    /** Documents that the route also answers in {@code mediaType}, as {@code description} tells, when asked for it. */
    public Operation orAnswers(String mediaType, String description) {
        return new Operation(method, path, tag, summary, request, requestIsList, response, responseIsList,
                successStatus, this.mediaType, query, errors, answers, textRequest, new Text(mediaType, description));
    }

    /** The same operation at {@code prefix + path}, for an API mounted under a prefix. */
    public Operation under(String prefix) {
        return prefix.isEmpty() ? this : new Operation(method, prefix + path, tag, summary, request, requestIsList,
                response, responseIsList, successStatus, mediaType, query, errors, answers, textRequest, textAnswer);
    }
}
