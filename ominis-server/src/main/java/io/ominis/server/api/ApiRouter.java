package io.ominis.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers a route and its {@link Operation} in one call, so that {@code /openapi.json} lists exactly the routes the
 * server has. Handlers stay plain Javalin lambdas.
 */
public final class ApiRouter {

    private final RoutesConfig routes;
    private final List<Operation> operations = new ArrayList<>();

    public ApiRouter(RoutesConfig routes) {
        this.routes = routes;
    }

    /** Adds the route and documents it. */
    public ApiRouter add(Operation operation, Handler handler) {
        routes.addHttpHandler(operation.method(), operation.path(), handler);
        operations.add(operation);
        return this;
    }

    /** Every operation registered so far, in registration order. */
    public List<Operation> operations() {
        return List.copyOf(operations);
    }
}
