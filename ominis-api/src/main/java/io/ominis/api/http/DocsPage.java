package io.ominis.api.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.ominis.api.rest.ApiRouter;
import io.ominis.api.rest.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * {@code /docs}: Swagger UI over {@code /openapi.json}, its files served from the {@code org.webjars:swagger-ui} jar on
 * the classpath, so the page needs nothing from the internet (an operator's browser on a closed network sees it too)
 * and no Node build. The page is ours, not the webjar's {@code index.html}: it points at this mount's document.
 */
public final class DocsPage {

    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    /** The webjar's files the page uses, with their media types; nothing else of the jar is reachable. */
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png");

    private final String root;
    private final byte[] page;

    /** The page of the API mounted under {@code prefix} (empty, or such as {@code /ominis}). */
    public DocsPage(String prefix) {
        this.root = WEBJAR + webjarVersion() + "/";
        this.page = page(prefix).getBytes(StandardCharsets.UTF_8);
    }

    /** Adds {@code /docs} and its files. */
    public void register(ApiRouter router) {
        router.add(Operation.json(HandlerType.GET, "/docs", "meta", "This API's documentation (Swagger UI)", null)
                .media("text/html"), ctx -> ctx.contentType("text/html; charset=utf-8").result(page));
        ASSETS.keySet().stream().sorted().forEach(file -> router.add(Operation.json(HandlerType.GET, "/docs/" + file,
                "meta", "A file of the documentation page", null).media(ASSETS.get(file).replaceAll(";.*", "")),
                ctx -> asset(ctx, file)));
    }

    private void asset(Context ctx, String file) {
        InputStream in = DocsPage.class.getClassLoader().getResourceAsStream(root + file);
        if (in == null) {
            throw new HttpResponseException(404, "the documentation page's files are not on the classpath");
        }
        // the version is in the jar's path, not the URL: a day's caching is what an upgrade can wait for
        ctx.header("Cache-Control", "public, max-age=86400").contentType(ASSETS.get(file)).result(in);
    }

    private static String page(String prefix) {
        String docs = prefix + "/docs/";
        return """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <title>Ominis API</title>
                  <link rel="icon" type="image/png" href="%sfavicon-32x32.png">
                  <link rel="stylesheet" href="%sswagger-ui.css">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="%sswagger-ui-bundle.js"></script>
                  <script src="%sswagger-ui-standalone-preset.js"></script>
                  <script>
                    window.ui = SwaggerUIBundle({
                      url: "%s/openapi.json",
                      dom_id: "#swagger-ui",
                      deepLinking: true,
                      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                      layout: "StandaloneLayout",
                      validatorUrl: null
                    });
                  </script>
                </body>
                </html>
                """.formatted(docs, docs, docs, docs, prefix);
    }

    /** The webjar's version, from its Maven metadata: the path of its files carries it. */
    private static String webjarVersion() {
        try (InputStream in = DocsPage.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("org.webjars:swagger-ui is not on the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
