package io.ominis.api.rest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.ominis.api.http.internal.ReadRoutesHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Registers a route and its {@link Operation} in one call, so that {@code /openapi.json} lists exactly the routes the
 * server has. Routes go under the mount's prefix, and every failure of an Ominis handler is answered by the mount's
 * error mapping (problem+json) right there, so an app that mounts Ominis keeps its own exception handlers for its own
 * routes. Handlers stay plain Javalin lambdas.
 */
public final class ApiRouter {

    private final RoutesConfig routes;
    private final String prefix;
    private final BiConsumer<Exception, Context> errors;
    private final JsonBodies bodies;
    private final ReadRoutesHandler ahead;
    private final List<Operation> operations = new ArrayList<>();
    private final Map<Class<?>, Map<String, Map<String, Object>>> propertySchemas = new LinkedHashMap<>();

    /**
     * @param prefix where the routes are mounted: empty, or a path such as {@code /ominis}
     * @param errors answers a handler's failure
     */
    public ApiRouter(RoutesConfig routes, String prefix, BiConsumer<Exception, Context> errors) {
        this(routes, prefix, errors, null, null);
    }

    /**
     * @param prefix where the routes are mounted: empty, or a path such as {@code /ominis}
     * @param errors answers a handler's failure
     * @param bodies writes the answers of {@link #read} routes
     * @param ahead  answers {@link #read} routes too, ahead of Javalin; null when only Javalin does
     */
    public ApiRouter(RoutesConfig routes, String prefix, BiConsumer<Exception, Context> errors, JsonBodies bodies,
            ReadRoutesHandler ahead) {
        this.routes = routes;
        this.prefix = prefix;
        this.errors = errors;
        this.bodies = bodies;
        this.ahead = ahead;
    }

    /** Adds the route and documents it. */
    public ApiRouter add(Operation operation, Handler handler) {
        Operation mounted = operation.under(prefix);
        routes.addHttpHandler(mounted.method(), mounted.path(), guarded(handler));
        operations.add(mounted);
        return this;
    }

    /**
     * Adds a GET route answered from its parameters alone, as JSON, and documents it. It is served through Javalin as
     * {@link #add} would, and also by the handler ahead of Javalin when this router has one.
     */
    public ApiRouter read(Operation operation, ReadHandler handler) {
        if (operation.method() != io.javalin.http.HandlerType.GET) {
            throw new IllegalArgumentException("a read route is a GET: " + operation.method() + " " + operation.path());
        }
        if (bodies == null) {
            throw new IllegalStateException("this router was made without JsonBodies to write read routes' answers");
        }
        add(operation, ctx -> bodies.send(ctx, handler.handle(Params.of(ctx))));
        if (ahead != null) {
            ahead.add(operation.under(prefix).path(), handler);
        }
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

    /** {@code handler} with its failures answered by the error mapping. */
    public Handler guarded(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (Exception e) {
                errors.accept(e, ctx);
            }
        };
    }

    /**
     * A before-handler guarded like the routes: when it fails, its answer is final and the route does not run.
     */
    public Handler guardedBefore(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (Exception e) {
                errors.accept(e, ctx);
                ctx.skipRemainingHandlers();
            }
        };
    }

    /** Every operation registered so far, in registration order. */
    public List<Operation> operations() {
        return List.copyOf(operations);
    }
}
