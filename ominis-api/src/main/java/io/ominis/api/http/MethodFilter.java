package io.ominis.api.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Answers a request whose method is not one of HTTP's standard ones ({@code M1}, {@code FOO}, {@code PROPFIND}) with
 * 405 {@code application/problem+json} before Javalin sees it. Javalin refuses names with anything but {@code A-Z} by
 * throwing (a 500 with a stack trace per request) and keeps every other name it meets in a map for good, and each
 * one would add metric series; so no made-up method gets past this filter.
 */
public final class MethodFilter implements Filter {

    /** The methods passed on; every route of ours uses one of them. */
    public static final Set<String> KNOWN = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    private final Runnable refused;

    /** @param refused called once per refused request (to count it) */
    public MethodFilter(Runnable refused) {
        this.refused = refused;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String method = ((HttpServletRequest) request).getMethod();
        if (KNOWN.contains(method)) {
            chain.doFilter(request, response);
            return;
        }
        refused.run();
        HttpServletResponse http = (HttpServletResponse) response;
        byte[] body = ("{\"type\":\"about:blank\",\"title\":\"Method not allowed\",\"status\":405,"
                + "\"detail\":\"the method is not one this server serves; use one of " + ALLOW + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        http.setStatus(405);
        http.setHeader("Allow", ALLOW);
        http.setContentType(Problem.CONTENT_TYPE);
        http.setContentLength(body.length);
        http.getOutputStream().write(body);
    }
}
