package io.ominis.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.TestCase;
import io.javalin.testtools.TestConfig;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Holds the server to its own {@code /openapi.json}: every answer an HTTP test receives through {@link #test} or
 * {@link #client} is checked against the document the same server serves — the route, status and content type must
 * be documented, and a JSON body must match its schema — and a mismatch fails the test that received it, with the
 * request, the answer and what is wrong.
 */
public final class ContractCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    /** Compiled schemas by document and location: the document is the same for every server of a test run. */
    private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();

    private ContractCheck() {
    }

    /** {@link JavalinTest#test}, with the client checking every answer. */
    public static void test(Javalin app, TestCase testCase) {
        Checking checking = new Checking(HttpClient.newHttpClient());
        JavalinTest.test(app, new TestConfig(true, true, checking), (server, client) -> {
            // read now, before a test fills a bulkhead or freezes the database
            checking.document(URI.create(client.getOrigin() + "/openapi.json"));
            testCase.accept(server, client);
        });
    }

    /** {@code http}, checking every answer of an Ominis server against that server's document. */
    public static HttpClient client(HttpClient http) {
        return new Checking(http);
    }

    /** Checks one answer; an empty list when it is as documented. */
    public static List<String> mismatches(JsonNode doc, String method, URI uri, int status, String contentType,
            byte[] body) {
        List<String> problems = new ArrayList<>();
        String path = uri.getRawPath();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String type = contentType == null ? null
                : contentType.replaceAll(";.*", "").strip().toLowerCase(Locale.ROOT);
        Optional<String> template = template(doc, path);
        JsonNode operation = template.map(t -> doc.get("paths").get(t).get(method.toLowerCase(Locale.ROOT)))
                .orElse(null);
        if (operation == null) {
            // not a documented route: only the server's own problem answers (404, 405) are Ominis' to check
            if ("application/problem+json".equals(type)) {
                problems.addAll(validate(doc, JSON.createObjectNode().put("$ref", "#/components/schemas/Problem"),
                        body));
            }
            return problems;
        }
        JsonNode response = operation.path("responses").get(Integer.toString(status));
        if (response == null) {
            problems.add("status " + status + " is not documented for " + method + " " + template.get());
            return problems;
        }
        JsonNode content = response.get("content");
        if (content == null || content.isEmpty()) {
            if (body.length > 0) {
                problems.add("a body (" + type + ") where the document says none for " + status);
            }
            return problems;
        }
        if (type == null || !content.has(type)) {
            problems.add("content type " + type + " is not documented for " + status + " (documented: "
                    + content.properties().stream().map(Map.Entry::getKey).toList() + ")");
            return problems;
        }
        if (type.endsWith("json") && !"HEAD".equals(method)) {
            problems.addAll(validate(doc, content.get(type).get("schema"), body));
        }
        return problems;
    }

    /** The documented path template {@code path} matches; literal segments win over parameters, as in Javalin. */
    private static Optional<String> template(JsonNode doc, String path) {
        String[] segments = path.split("/", -1);
        return doc.get("paths").properties().stream().map(Map.Entry::getKey)
                .filter(t -> {
                    String[] parts = t.split("/", -1);
                    if (parts.length != segments.length) {
                        return false;
                    }
                    for (int i = 0; i < parts.length; i++) {
                        if (!parts[i].startsWith("{") && !parts[i].equals(segments[i])) {
                            return false;
                        }
                    }
                    return true;
                })
                .min(Comparator.comparingLong(t -> t.chars().filter(c -> c == '{').count()));
    }

    private static List<String> validate(JsonNode doc, JsonNode schema, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JSON.readTree(text);
        } catch (IOException e) {
            return List.of("the body is not JSON: " + e.getMessage());
        }
        // the schema with the document's components beside it, so that its $refs resolve
        ObjectNode root = ((ObjectNode) schema).deepCopy();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", doc.get("components"));
        String source = root.toString();
        Schema compiled = COMPILED.computeIfAbsent(source, s -> SCHEMAS.getSchema(s, InputFormat.JSON));
        List<String> problems = new ArrayList<>();
        for (Error e : compiled.validate(text, InputFormat.JSON)) {
            problems.add(e.toString());
        }
        return problems;
    }

    /** Delegates to another client and checks what comes back. */
    private static final class Checking extends HttpClient {

        private final HttpClient http;
        /** The documents by origin and prefix, fetched once. */
        private final Map<String, Optional<JsonNode>> docs = new ConcurrentHashMap<>();

        Checking(HttpClient http) {
            this.http = http;
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            HttpResponse<byte[]> raw = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            check(request, raw);
            return replay(raw, handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler) {
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(raw -> {
                check(request, raw);
                return replay(raw, handler);
            });
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
            return sendAsync(request, handler);
        }

        private void check(HttpRequest request, HttpResponse<byte[]> raw) {
            if (request.method().equals("OPTIONS")) {
                return;
            }
            Optional<JsonNode> doc = document(request.uri());
            if (doc.isEmpty()) {
                return; // a mount without the operations group: no document to hold it to
            }
            List<String> problems = mismatches(doc.get(), request.method(), request.uri(), raw.statusCode(),
                    raw.headers().firstValue("Content-Type").orElse(null), raw.body());
            if (!problems.isEmpty()) {
                String body = new String(raw.body(), StandardCharsets.UTF_8);
                throw new AssertionError("the answer to " + request.method() + " " + request.uri().getRawPath()
                        + " differs from /openapi.json: " + problems + "\n" + raw.statusCode() + " "
                        + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body));
            }
        }

        /** The document of the server that answered: at its root, or under the prefix the path is mounted at. */
        private Optional<JsonNode> document(URI uri) {
            String path = uri.getRawPath();
            String prefix = "";
            for (String root : List.of("/v1/", "/health/", "/metrics", "/openapi.json", "/docs")) {
                int at = path.indexOf(root);
                if (at >= 0) {
                    prefix = path.substring(0, at);
                    break;
                }
            }
            String origin = uri.getScheme() + "://" + uri.getRawAuthority();
            String key = origin + prefix;
            return docs.computeIfAbsent(key, k -> {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(key + "/openapi.json"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200 && r.statusCode() != 404) {
                        throw new AssertionError("cannot read " + key + "/openapi.json: " + r.statusCode());
                    }
                    return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
                } catch (IOException e) {
                    throw new AssertionError("cannot read " + key + "/openapi.json", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted reading " + key + "/openapi.json", e);
                }
            });
        }

        /** Hands the bytes already read to the caller's body handler, as if they had just arrived. */
        private static <T> HttpResponse<T> replay(HttpResponse<byte[]> raw, HttpResponse.BodyHandler<T> handler) {
            HttpResponse.BodySubscriber<T> subscriber = handler.apply(new HttpResponse.ResponseInfo() {
                @Override
                public int statusCode() {
                    return raw.statusCode();
                }

                @Override
                public HttpHeaders headers() {
                    return raw.headers();
                }

                @Override
                public Version version() {
                    return raw.version();
                }
            });
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            if (raw.body().length > 0) {
                subscriber.onNext(List.of(ByteBuffer.wrap(raw.body())));
            }
            subscriber.onComplete();
            T body = subscriber.getBody().toCompletableFuture().join();
            return new HttpResponse<>() {
                @Override
                public int statusCode() {
                    return raw.statusCode();
                }

                @Override
                public HttpRequest request() {
                    return raw.request();
                }

                @Override
                public Optional<HttpResponse<T>> previousResponse() {
                    return Optional.empty();
                }

                @Override
                public HttpHeaders headers() {
                    return raw.headers();
                }

                @Override
                public T body() {
                    return body;
                }

                @Override
                public Optional<javax.net.ssl.SSLSession> sslSession() {
                    return raw.sslSession();
                }

                @Override
                public URI uri() {
                    return raw.uri();
                }

                @Override
                public Version version() {
                    return raw.version();
                }
            };
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return http.cookieHandler();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return http.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return http.followRedirects();
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return http.proxy();
        }

        @Override
        public SSLContext sslContext() {
            return http.sslContext();
        }

        @Override
        public SSLParameters sslParameters() {
            return http.sslParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return http.authenticator();
        }

        @Override
        public Version version() {
            return http.version();
        }

        @Override
        public Optional<Executor> executor() {
            return http.executor();
        }
    }
}
