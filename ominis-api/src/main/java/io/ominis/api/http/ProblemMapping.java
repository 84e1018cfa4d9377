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
import io.ominis.api.rest.ETags;
import io.ominis.xmlrpc.FreeSwitchErrorException;
import io.ominis.xmlrpc.FreeSwitchReplyException;
import io.ominis.xmlrpc.XmlRpcAuthenticationException;
import io.ominis.xmlrpc.XmlRpcFaultException;
import io.ominis.xmlrpc.XmlRpcTransportException;
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

    /** Answers {@code e} on {@code ctx}. */
    public void handle(Exception e, Context ctx) {
        if (e instanceof RejectedRowsException rows) {
            ObjectNode body = problem.body(400, "Invalid rows", e.getMessage(), null);
            ArrayNode errors = body.putArray("errors");
            for (RejectedRowsException.RowError r : rows.errors()) {
                errors.addObject().put("index", r.index()).put("field", r.field()).put("reason", r.reason());
            }
            problem.send(ctx, body);
        } else if (e instanceof ImportRefusedException refused) {
            ObjectNode body = problem.body(400, "Invalid rows", e.getMessage(), null);
            body.put("failed", refused.report().failed());
            ArrayNode errors = body.putArray("errors");
            for (RowProblem r : refused.report().problems()) {
                errors.addObject().put("line", r.line()).put("field", r.field()).put("reason", r.message());
            }
            problem.send(ctx, body);
        } else if (e instanceof FreeSwitchErrorException fs) {
            int status = switch (fs.kind()) {
                case NOT_FOUND -> 404;
                case ALREADY_EXISTS -> 409;
                case REFUSED -> 400;
            };
            problem.send(ctx, status, "FreeSWITCH refused the command", fs.error(), null);
        } else if (e instanceof FreeSwitchReplyException reply) {
            problem.send(ctx, 502, "FreeSWITCH failed the command", reply.reply().strip(), null);
        } else if (e instanceof XmlRpcTransportException) {
            problem.send(ctx, e instanceof XmlRpcAuthenticationException || e instanceof XmlRpcFaultException ? 502
                    : 503, "FreeSWITCH unreachable", e.getMessage(), null);
        } else if (e instanceof HttpResponseException http) {
            problem.send(ctx, http.getStatus(), title(http.getStatus()), e.getMessage(), null);
        } else if (e instanceof InvalidValueException invalid) {
            problem.send(ctx, 400, "Invalid value", e.getMessage(), invalid.field());
        } else if (e instanceof NotFoundException) {
            problem.send(ctx, 404, "Not found", e.getMessage(), null);
        } else if (e instanceof AlreadyExistsException) {
            problem.send(ctx, 409, "Already exists", e.getMessage(), null);
        } else if (e instanceof ConflictException) {
            problem.send(ctx, 409, "Conflict", e.getMessage(), null);
        } else if (e instanceof StaleWriteException stale) {
            ctx.header("ETag", stale.current());
            problem.send(ctx, 412, "Precondition failed", e.getMessage(), ETags.IF_MATCH);
        } else if (e instanceof UnavailableException) {
            problem.send(ctx, 503, "Service unavailable", e.getMessage(), null);
        } else if (ClientAbort.causedBy(e)) {
            // the client stopped sending its body or went away: nothing is wrong with the server
            LOG.debug("{} {}: the client abandoned the request: {}", ctx.method(), ctx.path(), e.toString());
            problem.send(ctx, 400, "Bad request", "the request body ended before its announced length", "body");
        } else {
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            problem.send(ctx, 500, "Internal error", "the server failed; see its log", null);
        }
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
