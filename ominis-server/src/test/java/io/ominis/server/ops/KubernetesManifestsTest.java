package io.ominis.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.http.HandlerType;
import io.javalin.testtools.JavalinTest;
import io.ominis.core.ConfigurationException;
import io.ominis.core.config.CdrSettings;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.core.config.MigrationSettings;
import io.ominis.db.ConnectionPool;
import io.ominis.server.Main;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.ominis.api.rest.Operation;
import io.ominis.testing.OminisDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Parses every manifest under {@code deploy/kubernetes} and checks what can drift from the server: each environment
 * variable a container gets is a setting the server reads, the ConfigMap and Secret pass its start-up validation, the
 * probe and scrape paths are routes it serves, the ports agree, each command is a real CLI command, selectors find
 * the pods, and the spec's database NetworkPolicy admits the server.
 */
class KubernetesManifestsTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final Path DIR = Path.of("..", "deploy", "kubernetes");
    private static final String JAR = "/app/ominis-server.jar";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Values a real Secret would hold, valid for the server, standing in for the shipped placeholders. */
    private static final Map<String, String> SECRET_VALUES = Map.of(
            "DB_PASS", "db-password-for-test",
            "MIGRATE_DB_USER", "ominis_owner",
            "MIGRATE_DB_PASS", "owner-password-for-test",
            "OMINIS_API_TOKEN", "a-token-of-more-than-16-characters",
            "OMINIS_SECRET_KEY", Base64.getEncoder().encodeToString(randomBytes(32)),
            "OMINIS_XMLCURL_PASSWORD", "xmlcurl-password-for-test",
            "OMINIS_FREESWITCH_NODES", "fs1=http://freeswitch:secret@127.0.0.1:8080");

    private static Map<String, JsonNode> byKind;

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
    private static List<String> files;

    @BeforeAll
    static void parse() throws IOException {
        byKind = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
        for (String file : files) {
            try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(DIR.resolve(file).toFile())) {
                while (it.hasNext()) {
                    JsonNode doc = it.next();
                    assertThat(doc.path("apiVersion").asText()).as(file + " apiVersion").isNotBlank();
                    String kind = doc.path("kind").asText();
                    String key = kind.equals("NetworkPolicy") ? kind + "/" + doc.path("metadata").path("name").asText() : kind;
                    assertThat(byKind.put(key, doc)).as("one " + key).isNull();
                }
            }
        }
    }

    @Test
    void kustomizationListsEveryManifestAndEachKindIsThere() {
        List<String> listed = new ArrayList<>();
        byKind.get("Kustomization").path("resources").forEach(r -> listed.add(r.asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(
                files.stream().filter(f -> !f.equals("kustomization.yaml")).toList());
        assertThat(byKind).containsKeys("ConfigMap", "Secret", "Deployment", "Service", "PodDisruptionBudget",
                "ServiceMonitor", "PersistentVolumeClaim", "NetworkPolicy/postgres-network-policy",
                "NetworkPolicy/ominis-server");
    }

    @Test
    void everyEnvironmentVariableIsASettingTheServerReads() {
        for (JsonNode container : containers()) {
            String name = container.path("name").asText();
            List<String> cmd = command(container);
            String subcommand = cmd.get(cmd.size() - 1);
            Map<String, String> env = environment(container, SECRET_VALUES);
            Object parsed = parsedSettings(subcommand, env);
            assertThat(parsedSettings(subcommand, env)).as("settings compare by value").isEqualTo(parsed);
            // The ConfigMap is shared: its names are checked against serve (the server container), which reads
            // them all; the migrate container is checked for the variables it is given on its own.
            Set<String> names = new TreeSet<>();
            container.path("env").forEach(v -> names.add(v.path("name").asText()));
            if (subcommand.equals("serve")) {
                names.addAll(env.keySet());
            }
            for (String variable : names) {
                assertThat(isRead(subcommand, env, variable)).as(name + ": " + variable + " is read").isTrue();
            }
            // the check itself can fail
            Map<String, String> withStray = new HashMap<>(env);
            withStray.put("OMINIS_NO_SUCH_SETTING", "1");
            assertThat(isRead(subcommand, withStray, "OMINIS_NO_SUCH_SETTING")).isFalse();
        }
    }

    @Test
    void theShippedSecretPlaceholdersAreRefusedAtStartUp() {
        Map<String, String> shipped = new HashMap<>();
        byKind.get("Secret").path("stringData").fields().forEachRemaining(e -> shipped.put(e.getKey(), e.getValue().asText()));
        assertThat(shipped.keySet()).as("every secret has a test value").isEqualTo(SECRET_VALUES.keySet());
        Map<String, String> env = environment(serverContainer(), shipped);
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(env)).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void commandsAreCliCommandsAndTheInitContainerMigrates() {
        JsonNode pod = byKind.get("Deployment").path("spec").path("template").path("spec");
        List<String> init = command(pod.path("initContainers").get(0));
        List<String> serve = command(serverContainer());
        assertThat(init.subList(init.indexOf(JAR) + 1, init.size())).containsExactly("migrate");
        assertThat(serve.subList(serve.indexOf(JAR) + 1, serve.size())).containsExactly("serve");
        for (List<String> cmd : List.of(init, serve)) {
            assertThat(cmd.get(0)).isEqualTo("java");
            assertThat(cmd.get(cmd.indexOf(JAR) - 1)).isEqualTo("-jar");
            List<String> args = cmd.subList(cmd.indexOf(JAR) + 1, cmd.size());
            assertThat(help(args)).as(cmd.toString()).startsWith("Usage: ominis " + String.join(" ", args) + " ");
        }
        assertThat(help(List.of("no-such-command"))).as("an unknown command has no usage of its own")
                .doesNotContain("Usage: ominis no-such-command");
        // the server must not migrate on its own: the initContainer did, as the schema owner
        Map<String, String> env = environment(serverContainer(), SECRET_VALUES);
        assertThat(ServerSettings.fromEnvironment(env).migrateOnStart()).isFalse();
        assertThat(environment(pod.path("initContainers").get(0), SECRET_VALUES).get("DB_USER"))
                .isEqualTo(SECRET_VALUES.get("MIGRATE_DB_USER"));
    }

    @Test
    void portsProbesAndScrapePathAreWhatTheServerServes() throws Exception {
        JsonNode server = serverContainer();
        Map<String, String> env = environment(server, SECRET_VALUES);
        JsonNode port = server.path("ports").get(0);
        assertThat(port.path("containerPort").asInt()).isEqualTo(ServerSettings.fromEnvironment(env).port());
        String portName = port.path("name").asText();
        List<String> paths = new ArrayList<>();
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            JsonNode get = server.path(probe).path("httpGet");
            assertThat(get.path("port").asText()).as(probe + " port").isEqualTo(portName);
            paths.add(get.path("path").asText());
        }
        assertThat(server.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
        assertThat(server.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
        JsonNode servicePort = byKind.get("Service").path("spec").path("ports").get(0);
        assertThat(servicePort.path("targetPort").asText()).isEqualTo(portName);
        JsonNode endpoint = byKind.get("ServiceMonitor").path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("port").asText()).isEqualTo(servicePort.path("name").asText());
        paths.add(endpoint.path("path").asText());

        // each path is a GET route of the real server, and answers 200 on a migrated database
        ServerSettings settings = ServerSettings.fromEnvironment(ServerFixture.env(db, Map.of()));
        try (HikariDataSource pool = ConnectionPool.open(settings.database());
             OminisServer srv = OminisServer.create(settings, pool)) {
            srv.changeListener().awaitConnected(java.time.Duration.ofSeconds(5));
            Set<String> gets = srv.operations().stream().filter(o -> o.method() == HandlerType.GET)
                    .map(Operation::path).collect(Collectors.toSet());
            assertThat(gets).containsAll(paths);
            JavalinTest.test(srv.app(), (s, client) -> {
                for (String path : paths) {
                    assertThat(client.get(path).code()).as(path).isEqualTo(200);
                }
            });
        }
    }

    @Test
    void selectorsFindThePodsAndTheSpecsPolicyAdmitsTheServer() {
        JsonNode labels = byKind.get("Deployment").path("spec").path("template").path("metadata").path("labels");
        List<JsonNode> selectors = List.of(
                byKind.get("Deployment").path("spec").path("selector").path("matchLabels"),
                byKind.get("Service").path("spec").path("selector"),
                byKind.get("PodDisruptionBudget").path("spec").path("selector").path("matchLabels"),
                byKind.get("NetworkPolicy/ominis-server").path("spec").path("podSelector").path("matchLabels"));
        for (JsonNode selector : selectors) {
            assertThat(matches(selector, labels)).as(selector.toString()).isTrue();
        }
        assertThat(matches(byKind.get("ServiceMonitor").path("spec").path("selector").path("matchLabels"),
                byKind.get("Service").path("metadata").path("labels"))).isTrue();
        assertThat(byKind.get("NetworkPolicy/ominis-server").path("spec").path("ingress").get(0).path("ports").get(0)
                .path("port").asInt()).isEqualTo(serverContainer().path("ports").get(0).path("containerPort").asInt());

        // the spec's postgres-network-policy, as written there
        JsonNode policy = byKind.get("NetworkPolicy/postgres-network-policy").path("spec");
        assertThat(policy.path("podSelector").path("matchLabels").path("app").asText()).isEqualTo("postgres");
        assertThat(policy.path("policyTypes").toString()).isEqualTo("[\"Ingress\"]");
        JsonNode rule = policy.path("ingress").get(0);
        List<String> apps = new ArrayList<>();
        rule.path("from").forEach(f -> apps.add(f.path("podSelector").path("matchLabels").path("app").asText()));
        assertThat(apps).containsExactly("api", "freeswitch-queue");
        JsonNode dbPort = rule.path("ports").get(0);
        assertThat(dbPort.path("protocol").asText()).isEqualTo("TCP");
        assertThat(dbPort.path("port").asInt()).isEqualTo(5432)
                .isEqualTo(ServerSettings.fromEnvironment(environment(serverContainer(), SECRET_VALUES))
                        .database().endpoints().get(0).port());
        boolean admitted = false;
        for (JsonNode from : rule.path("from")) {
            admitted |= matches(from.path("podSelector").path("matchLabels"), labels);
        }
        assertThat(admitted).as("the server's pods carry a label the database policy admits").isTrue();
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        assertThat(selector.size()).as("a selector with labels").isPositive();
        boolean all = true;
        for (var it = selector.fields(); it.hasNext(); ) {
            var e = it.next();
            all &= e.getValue().asText().equals(labels.path(e.getKey()).asText(null));
        }
        return all;
    }

    /** The usage text {@code --help} prints after the given arguments; the exit code must be 0. */
    private static String help(List<String> args) {
        List<String> withHelp = new ArrayList<>(args);
        withHelp.add("--help");
        StringWriter sink = new StringWriter();
        int code = Main.run(withHelp.toArray(String[]::new), Map.of(), new PrintWriter(sink), new PrintWriter(sink));
        assertThat(code).as(withHelp + " exit code").isZero();
        return sink.toString();
    }

    private static List<String> command(JsonNode container) {
        List<String> cmd = new ArrayList<>();
        container.path("command").forEach(c -> cmd.add(c.asText()));
        container.path("args").forEach(c -> cmd.add(c.asText()));
        assertThat(cmd).contains(JAR);
        return cmd;
    }

    private static List<JsonNode> containers() {
        JsonNode pod = byKind.get("Deployment").path("spec").path("template").path("spec");
        List<JsonNode> all = new ArrayList<>();
        pod.path("initContainers").forEach(all::add);
        pod.path("containers").forEach(all::add);
        return all;
    }

    private static JsonNode serverContainer() {
        return byKind.get("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
    }

    /** The container's environment as Kubernetes builds it: envFrom first, then env (which wins). */
    private static Map<String, String> environment(JsonNode container, Map<String, String> secretValues) {
        String configMap = byKind.get("ConfigMap").path("metadata").path("name").asText();
        String secret = byKind.get("Secret").path("metadata").path("name").asText();
        Map<String, String> env = new HashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            assertThat(from.path("configMapRef").path("name").asText()).as("envFrom names the ConfigMap").isEqualTo(configMap);
            byKind.get("ConfigMap").path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        JsonNode secretData = byKind.get("Secret").path("stringData");
        for (JsonNode var : container.path("env")) {
            JsonNode ref = var.path("valueFrom").path("secretKeyRef");
            String value;
            if (ref.isMissingNode()) {
                value = var.path("value").asText();
            } else {
                assertThat(ref.path("name").asText()).isEqualTo(secret);
                assertThat(secretData.has(ref.path("key").asText())).as("Secret has " + ref.path("key")).isTrue();
                value = secretValues.get(ref.path("key").asText());
            }
            env.put(var.path("name").asText(), value);
        }
        // the image's file system is read-only but for the volumes: the prompt directory must be one of them
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        if (env.containsKey("OMINIS_TTS_DIR") && container.path("name").asText().equals("server")) {
            Set<String> mounts = new TreeSet<>();
            container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
            assertThat(mounts).contains(env.get("OMINIS_TTS_DIR"));
        }
        return env;
    }

    /** What a command makes of an environment: every settings parser {@code serve} or {@code migrate} uses. */
    private static List<Object> parsedSettings(String subcommand, Map<String, String> env) {
        return switch (subcommand) {
            case "serve" -> List.of(ServerSettings.fromEnvironment(env), CdrSettings.fromEnvironment(env),
                    MigrationSettings.fromEnvironment(env));
            case "migrate" -> List.of(DatabaseSettings.fromEnvironment(env), MigrationSettings.fromEnvironment(env));
            default -> throw new AssertionError("no settings known for " + subcommand);
        };
    }

    /**
     * A name is read when leaving it out or giving it another value changes what the server makes of the
     * environment, or makes the server refuse it naming that very variable.
     */
    private static boolean isRead(String subcommand, Map<String, String> env, String name) {
        List<Object> base = parsedSettings(subcommand, env);
        List<Map<String, String>> variants = new ArrayList<>();
        Map<String, String> without = new HashMap<>(env);
        without.remove(name);
        variants.add(without);
        for (String other : List.of("\u0001not-a-value", "0", "99999", "true", "false")) {
            Map<String, String> changed = new HashMap<>(env);
            changed.put(name, other);
            variants.add(changed);
        }
        for (Map<String, String> variant : variants) {
            try {
                if (!parsedSettings(subcommand, variant).equals(base)) {
                    return true;
                }
            } catch (ConfigurationException e) {
                if (name.equals(e.setting())) {
                    return true;
                }
            }
        }
        return false;
    }
}
