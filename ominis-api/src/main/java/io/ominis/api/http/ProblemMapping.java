package io.ominis.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.ominis.core.AlreadyExistsException;
import io.ominis.core.ConflictException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.RejectedRowsException;
import io.ominis.core.directory.ImportRefusedException;
import io.ominis.core.directory.RowProblem;
import io.ominis.core.StaleWriteException;
import io.ominis.core.UnavailableException;
import io.ominis.api.rest.ApiAuth;
import io.ominis.api.rest.ETags;
import io.ominis.xmlrpc.FreeSwitchErrorException;
import io.ominis.xmlrpc.FreeSwitchReplyException;
import io.ominis.xmlrpc.XmlRpcAuthenticationException;
import io.ominis.xmlrpc.XmlRpcFaultException;
import io.ominis.xmlrpc.XmlRpcTransportException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a failure of an Ominis route is answered: Ominis' typed exceptions as 4xx/5xx problem details, FreeSWITCH's
 * refusals by their {@link FreeSwitchErrorException.Kind}, anything unexpected as a logged 500 without its trace.
 */
public final class ProblemMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapping.class);

    private final Problem problem;

    /** Answers with {@code problem}'s bodies. */
    public ProblemMapping(Problem problem) {
        this.problem = problem;
    }

    /**
     * How a failure is answered: its status, the headers it adds and the problem body; {@link #handle} sends it on a
     * Javalin route, and a handler answering ahead of Javalin sends the same.
     */
    public record Answer(int status, Map<String, String> headers, ObjectNode body) {
    }

    /** Answers {@code e} on {@code ctx}. */
    public void handle(Exception e, Context ctx) {
        Answer answer = answer(e, ctx.method().name(), ctx.path());
        answer.headers().forEach(ctx::header);
        problem.send(ctx, answer.body());
    }

    /** The answer to {@code e}, failing a request of {@code method} for {@code path} (which a log line names). */
    public Answer answer(Exception e, String method, String path) {
        if (e instanceof RejectedRowsException rows) {
            ObjectNode body = problem.body(400, "Invalid rows", e.getMessage(), null);
            ArrayNode errors = body.putArray("errors");
            for (RejectedRowsException.RowError r : rows.errors()) {
                errors.addObject().put("index", r.index()).put("field", r.field()).put("reason", r.reason());
            }
            return answer(body);
        } else if (e instanceof ImportRefusedException refused) {
            ObjectNode body = problem.body(400, "Invalid rows", e.getMessage(), null);
            body.put("failed", refused.report().failed());
            ArrayNode errors = body.putArray("errors");
            for (RowProblem r : refused.report().problems()) {
                errors.addObject().put("line", r.line()).put("field", r.field()).put("reason", r.message());
            }
            return answer(body);
        } else if (e instanceof FreeSwitchErrorException fs) {
            int status = switch (fs.kind()) {
                case NOT_FOUND -> 404;
                case ALREADY_EXISTS -> 409;
                case REFUSED -> 400;
            };
            return answer(status, "FreeSWITCH refused the command", fs.error(), null);
        } else if (e instanceof FreeSwitchReplyException reply) {
            return answer(502, "FreeSWITCH failed the command", reply.reply().strip(), null);
        } else if (e instanceof XmlRpcTransportException) {
            return answer(e instanceof XmlRpcAuthenticationException || e instanceof XmlRpcFaultException ? 502
                    : 503, "FreeSWITCH unreachable", e.getMessage(), null);
        } else if (e instanceof HttpResponseException http) {
            ObjectNode body = problem.body(http.getStatus(), title(http.getStatus()), e.getMessage(), null);
            // a 401 says how to authenticate (RFC 9110 §15.5.2); the API's only scheme is its bearer token
            return new Answer(http.getStatus(), http.getStatus() == 401
                    ? Map.of(ApiAuth.CHALLENGE_HEADER, ApiAuth.CHALLENGE) : Map.of(), body);
        } else if (e instanceof InvalidValueException invalid) {
            return answer(400, "Invalid value", e.getMessage(), invalid.field());
        } else if (e instanceof NotFoundException) {
            return answer(404, "Not found", e.getMessage(), null);
        } else if (e instanceof AlreadyExistsException) {
            return answer(409, "Already exists", e.getMessage(), null);
        } else if (e instanceof ConflictException) {
            return answer(409, "Conflict", e.getMessage(), null);
        } else if (e instanceof StaleWriteException stale) {
            return new Answer(412, Map.of("ETag", stale.current()),
                    problem.body(412, "Precondition failed", e.getMessage(), ETags.IF_MATCH));
        } else if (e instanceof UnavailableException) {
            return answer(503, "Service unavailable", e.getMessage(), null);
        } else if (ClientAbort.causedBy(e)) {
            // the client stopped sending its body or went away: nothing is wrong with the server
            LOG.debug("{} {}: the client abandoned the request: {}", method, path, e.toString());
            return answer(400, "Bad request", "the request body ended before its announced length", "body");
        } else {
            LOG.error("unexpected failure on {} {}", method, path, e);
            return answer(500, "Internal error", "the server failed; see its log", null);
        }
    }

    private Answer answer(int status, String title, String detail, String field) {
        return answer(problem.body(status, title, detail, field));
    }

    private static Answer answer(ObjectNode body) {
        return new Answer(body.get("status").asInt(), Map.of(), body);
    }

    /** The problem title of an HTTP status. */
    public static String title(int status) {
        return switch (status) {
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 413 -> "Payload too large";
            case 415 -> "Unsupported media type";
            default -> status >= 500 ? "Server error" : "Bad request";
        };
    }
}
