package io.ominis.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers a route and its {@link Operation} in one call, so that {@code /openapi.json} lists exactly the routes the
 * server has. Handlers stay plain Javalin lambdas.
 */
public final class ApiRouter {

    private final RoutesConfig routes;
    private final List<Operation> operations = new ArrayList<>();
    private final Map<Class<?>, Map<String, Map<String, Object>>> propertySchemas = new LinkedHashMap<>();

    public ApiRouter(RoutesConfig routes) {
        this.routes = routes;
    }

    /** Adds the route and documents it. */
    public ApiRouter add(Operation operation, Handler handler) {
        routes.addHttpHandler(operation.method(), operation.path(), handler);
        operations.add(operation);
        return this;
    }

    /**
     * Documents property {@code property} of record {@code type} with {@code schema} (a JSON Schema object as maps and
     * lists) instead of the schema derived from its Java type: for a property whose members the type cannot show,
     * such as a map of named parameters with their defaults.
     */
    public ApiRouter describe(Class<?> type, String property, Map<String, Object> schema) {
        propertySchemas.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(property, Map.copyOf(schema));
        return this;
    }

    /** The schemas given to {@link #describe}, by record type and property. */
    public Map<Class<?>, Map<String, Map<String, Object>>> propertySchemas() {
        return Map.copyOf(propertySchemas);
    }

    /** Every operation registered so far, in registration order. */
    public List<Operation> operations() {
        return List.copyOf(operations);
    }
}
