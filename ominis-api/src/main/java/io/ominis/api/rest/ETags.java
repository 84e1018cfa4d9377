package io.ominis.api.rest;

import io.javalin.http.Context;
import io.ominis.core.Digests;
import io.ominis.core.StaleWriteException;
import java.util.Base64;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Optimistic concurrency for single resources: a GET answers with a strong {@code ETag}, a digest of the JSON it
 * shows; a PUT or PATCH that sends {@code If-Match} is applied only if the resource, read under its row lock, still
 * has one of the tags given ({@code *} matches any), and is refused with 412 otherwise. Without {@code If-Match} the
 * write is applied to whatever is current (the row lock still keeps concurrent partial updates from losing fields).
 */
public final class ETags {

    /** The request header a conditional write sends. */
    public static final String IF_MATCH = "If-Match";

    private final JsonBodies bodies;

    public ETags(JsonBodies bodies) {
        this.bodies = bodies;
    }

    /** The strong entity tag of a resource shown as {@code view}: quoted, 22 base64url characters of SHA-256. */
    public String of(Object view) {
        byte[] digest = Digests.sha256(bodies.bytes(view));
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
    }

    /** Answers with {@code view} as JSON and its {@code ETag}. */
    public void send(Context ctx, Object view) {
        bodies.send(ctx.header("ETag", of(view)), view);
    }

    /**
     * {@code change} preceded by the {@code If-Match} check of {@link #require}, for a DAO's {@code modify}, which runs
     * it on the row read under its lock.
     *
     * @param view how the API shows the resource
     */
    public <T> UnaryOperator<T> guard(Context ctx, Function<T, ?> view, UnaryOperator<T> change) {
        return current -> {
            require(ctx, view.apply(current));
            return change.apply(current);
        };
    }

    /**
     * Refuses the write when the request has an {@code If-Match} that does not name the current version.
     *
     * @param current the resource as it is now (read under its row lock), shown as its view
     * @throws StaleWriteException when the precondition fails
     */
    public void require(Context ctx, Object current) {
        String ifMatch = ctx.header(IF_MATCH);
        if (ifMatch == null) {
            return;
        }
        String tag = of(current);
        for (String given : ifMatch.split(",")) {
            String g = given.strip();
            if (g.equals("*") || g.equals(tag)) {
                return;
            }
        }
        throw new StaleWriteException("the resource has changed since version "
                + JsonBodies.shorten(ifMatch.strip()) + "; read it again and retry", tag);
    }
}
