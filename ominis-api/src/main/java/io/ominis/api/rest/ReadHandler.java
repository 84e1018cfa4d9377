package io.ominis.api.rest;

/**
 * A GET route whose answer depends on its parameters alone and goes out as JSON with status 200. Registered with
 * {@link ApiRouter#read}, it is served by Javalin and, in the Ominis server, by a Jetty handler ahead of the servlet
 * layer, with the same authentication, errors, compression and metrics: the same code answers both ways.
 */
@FunctionalInterface
public interface ReadHandler {

    /**
     * The answer, written as JSON.
     *
     * @throws Exception answered as problem details by the mount's error mapping, as a Javalin handler's would be
     */
    Object handle(Params params) throws Exception;
}
