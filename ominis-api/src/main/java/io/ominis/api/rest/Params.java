package io.ominis.api.rest;

import io.javalin.http.Context;

/**
 * A request's query and path parameters, decoded, as a route (a {@link ReadHandler}) reads them: from Javalin's
 * {@link Context}, or from a request a Jetty handler answers ahead of Javalin, decoded alike; so code written against
 * this answers the same either way.
 */
public interface Params {

    /** The first value of query parameter {@code name}, or null when it is absent. */
    String queryParam(String name);

    /** The path parameter {@code name} ({@code uuid} of {@code /v1/channels/{uuid}}). */
    String pathParam(String name);

    /** The parameters of a request Javalin routed. */
    static Params of(Context ctx) {
        return new Params() {
            @Override
            public String queryParam(String name) {
                return ctx.queryParam(name);
            }

            @Override
            public String pathParam(String name) {
                return ctx.pathParam(name);
            }
        };
    }
}
