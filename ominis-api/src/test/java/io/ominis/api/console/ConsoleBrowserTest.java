package io.ominis.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.api.LogCapture;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.ominis.api.freeswitch.FreeSwitchStandIn;
import io.ominis.testing.OminisDatabase;
import io.ominis.xmlrpc.FreeSwitchNodes;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}): every page
 * shows rows the test created, an agent's status changes from a click through the API and the FreeSWITCH stand-in into
 * the agents row and back onto the page, the live pages refresh by themselves, and no page logs a console error.
 * Screenshots of every page go to {@code target/console-screenshots/}.
 */
class ConsoleBrowserTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final String TOKEN = "console-token-of-32-characters!!";
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private WebDriver browser;
    private Path profile;
    private long firstCallerJoined;

    @BeforeEach
    void data() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        firstCallerJoined = now - 95;
        LocalDateTime hourAgo = LocalDateTime.now().minusHours(1).withNano(0);
        sql("DELETE FROM agents; DELETE FROM tiers; DELETE FROM members; DELETE FROM channels; DELETE FROM calls; "
                        + "DELETE FROM registrations; DELETE FROM cdr; DELETE FROM extensions",
                "INSERT INTO agents (name, instance_id, type, status, state, calls_answered, talk_time) VALUES "
                        + "('1000@default', 'single_box', 'callback', 'Available', 'Waiting', 7, 600), "
                        + "('1001@default', 'single_box', 'callback', 'On Break', 'Waiting', 3, 200), "
                        + "('1002@default', 'single_box', 'callback', 'Available (On Demand)', 'Waiting', 0, 0), "
                        + "('1003@default', 'single_box', 'callback', 'Available', 'Waiting', 1, 30)",
                "INSERT INTO tiers (queue, agent, state, level, position) VALUES "
                        + "('sales@default', '1000@default', 'Ready', 1, 1), "
                        + "('sales@default', '1001@default', 'Ready', 1, 2), "
                        + "('sales@default', '1002@default', 'Ready', 1, 3), "
                        + "('support@default', '1003@default', 'Ready', 1, 1)",
                member("m1", "sales@default", firstCallerJoined), member("m2", "sales@default", now - 20),
                member("m3", "support@default", now - 5),
                "INSERT INTO channels (uuid, direction, created_epoch, name, state, cid_name, cid_num, dest, "
                        + "application, hostname, callstate) VALUES "
                        + "('leg-a', 'inbound', " + (now - 61) + ", 'sofia/internal/5551234@example.com', "
                        + "'CS_EXCHANGE_MEDIA', 'Carol Caller', '5551234', '7000', 'bridge', 'fs1', 'ACTIVE'), "
                        + "('leg-b', 'outbound', " + (now - 60) + ", 'sofia/internal/1000@10.0.0.5', "
                        + "'CS_EXCHANGE_MEDIA', 'Agent 1000', '1000', '1000', null, 'fs1', 'ACTIVE')",
                "INSERT INTO calls (call_uuid, call_created_epoch, caller_uuid, callee_uuid, hostname) "
                        + "VALUES ('leg-a', " + (now - 60) + ", 'leg-a', 'leg-b', 'fs1')",
                "INSERT INTO registrations (reg_user, realm, token, url, expires, network_ip, network_port, "
                        + "network_proto, hostname) VALUES ('1001', 'example.com', 'tok-1', "
                        + "'sip:1001@10.0.0.5:5060', " + (now + 3600) + ", '10.0.0.5', '5060', 'udp', 'fs1')",
                // in the last 24 h: two sales calls answered within 5 s, one abandoned
                cdrMember("c1", hourAgo, true), cdrAgent("c1a", "c1", hourAgo.plusSeconds(3)),
                cdrMember("c2", hourAgo.plusMinutes(5), true),
                cdrAgent("c2a", "c2", hourAgo.plusMinutes(5).plusSeconds(4)),
                cdrMember("c3", hourAgo.plusMinutes(9), false));
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void quit() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void everyPageShowsTheTestsDataAndAnAgentsStatusChangesEndToEnd() throws Exception {
        try (FreeSwitchStandIn fs = new FreeSwitchStandIn(db, "sales@default", "support@default");
             LogCapture logs = new LogCapture();
             Running server = start(fs, Map.of("OMINIS_API_TOKEN", TOKEN))) {
            createExtensions(server.base());
            browser = chromium();
            browser.get(server.base() + "/console/");

            // the API needs the token: a refused one is said so, the right one opens the console
            waitFor(By.id("login-form"));
            browser.findElement(By.id("token")).sendKeys("not-the-token");
            browser.findElement(By.cssSelector("#login-form button")).click();
            waitForText(By.id("login-error"), "not accepted");
            shot("login");
            browser.findElement(By.id("token")).clear();
            browser.findElement(By.id("token")).sendKeys(TOKEN);
            browser.findElement(By.cssSelector("#login-form button")).click();

            // overview: database, migrations, the stand-in node, the directory cache
            waitForText(cell("fs1", "status"), "UP");
            assertThat(text(By.cssSelector("[data-field=database]"))).isEqualTo("UP");
            assertThat(text(By.cssSelector("[data-field=migrations]"))).isEqualTo("current");
            assertThat(text(By.cssSelector("[data-field=latest-migration]"))).isNotEqualTo("none");
            assertThat(text(By.cssSelector("[data-field=cache-caching]"))).isIn("on", "off");
            shot("overview");

            // queues: the question an operator asks, answered from the page
            page("queues");
            waitForText(cell("sales@default", "callers-waiting"), "2");
            assertThat(text(cell("sales@default", "available-agents"))).isEqualTo("1000@default, 1002@default");
            // m1 joined 95 s before the data was written; the page shows its wait at the last refresh
            assertThat(seconds(text(cell("sales@default", "longest-wait"))))
                    .isBetween(95L, System.currentTimeMillis() / 1000 - firstCallerJoined + 1);
            assertThat(text(cell("support@default", "callers-waiting"))).isEqualTo("1");
            assertThat(text(cell("support@default", "available-agents"))).isEqualTo("1003@default");
            shot("queues");
            // and it follows by itself: a caller joins sales, the page shows it without a reload
            sql(member("m4", "sales@default", System.currentTimeMillis() / 1000));
            waitForText(cell("sales@default", "callers-waiting"), "3");

            // agents: a click changes 1001@default's status through FreeSWITCH
            page("agents");
            waitForText(cell("1001@default", "status"), "On Break");
            assertThat(text(By.cssSelector("#page [data-field=agents-by-status]")))
                    .contains("Available: 2", "On Break: 1", "Available (On Demand): 1");
            new Select(browser.findElement(cellBy("1001@default", "change", "select")))
                    .selectByVisibleText("Available");
            browser.findElement(cellBy("1001@default", "change", "button")).click();
            waitForText(By.id("agent-message"), "1001@default is now Available");
            waitForText(cell("1001@default", "status"), "Available");
            assertThat(fs.commandsReceived()).contains("callcenter_config agent set status 1001@default Available");
            assertThat(query("SELECT status FROM agents WHERE name = '1001@default'")).isEqualTo("Available");
            shot("agents");
            new Select(browser.findElement(By.id("agent-filter"))).selectByVisibleText("On Break");
            waitForText(By.cssSelector("#page td.empty"), "No agent is On Break");
            page("queues");
            waitForText(cell("sales@default", "available-agents"), "1000@default, 1001@default, 1002@default");

            page("calls");
            waitForText(cell("leg-a", "caller"), "Carol Caller 5551234");
            assertThat(text(cell("leg-a", "callee"))).isEqualTo("Agent 1000 1000");
            assertThat(text(cell("leg-a", "destination"))).isEqualTo("7000");
            assertThat(text(By.cssSelector("[data-field=channel-count]"))).isEqualTo("2");
            shot("calls");

            page("registrations");
            waitForText(cell("1001@example.com/tok-1", "url"), "sip:1001@10.0.0.5:5060");
            assertThat(text(cell("1001@example.com/tok-1", "expired"))).isEqualTo("no");
            shot("registrations");

            page("cdr");
            waitForText(cell("sales@default", "calls"), "3");
            assertThat(text(cell("sales@default", "answered"))).isEqualTo("2");
            assertThat(text(cell("sales@default", "service-level"))).isEqualTo("66.7 %");
            List<WebElement> hours = browser.findElements(By.cssSelector("#volume-chart rect.bar"));
            assertThat(hours).hasSizeBetween(24, 25);
            assertThat(hours.stream().mapToInt(b -> Integer.parseInt(b.getAttribute("data-value"))).sum())
                    .isEqualTo(3);
            assertThat(browser.findElement(By.cssSelector("#service-level-chart rect.bar[data-label='sales@default']"))
                    .getAttribute("data-value")).startsWith("0.66");
            shot("cdr");

            page("extensions");
            waitForText(cell("2001", "display-name"), "Support Bob");
            assertThat(browser.findElements(By.cssSelector("#page tbody tr[data-key]"))).hasSize(3);
            browser.findElement(By.id("extension-search")).sendKeys("alice");
            waitUntil(() -> browser.findElements(By.cssSelector("#page tbody tr[data-key]")).size() == 1);
            assertThat(text(cell("1002", "display-name"))).isEqualTo("Sales Alice");
            shot("extensions");

            assertThat(browser.getCurrentUrl()).doesNotContain(TOKEN);
            assertThat(logs.events()).noneMatch(e -> e.getFormattedMessage().contains(TOKEN));
            assertNoConsoleErrors();
        }
    }

    @Test
    void onLoopbackWithoutATokenThePagesOpenAtOnceAndSayWhenTheApiFails() throws Exception {
        try (FreeSwitchStandIn fs = new FreeSwitchStandIn(db, "sales@default");
             Running server = start(fs, Map.of())) {
            browser = chromium();
            browser.get(server.base() + "/console/#queues");
            waitForText(cell("sales@default", "callers-waiting"), "2");
            assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("sign-out")).isDisplayed()).isFalse();
            // a refusal of FreeSWITCH reaches the operator in its own words, and the row stays as it was
            page("agents");
            waitForText(cell("1003@default", "status"), "Available");
            sql("DELETE FROM agents WHERE name = '1003@default'"); // gone from the switch since the page was drawn
            new Select(browser.findElement(cellBy("1003@default", "change", "select")))
                    .selectByVisibleText("On Break");
            browser.findElement(cellBy("1003@default", "change", "button")).click();
            waitForText(By.id("agent-message"), "1003@default: ");
            assertThat(text(By.id("agent-message"))).contains("Agent not found");
            assertThat(query("SELECT count(*) FROM agents WHERE name = '1003@default'")).isEqualTo("0");
            // the console reads the browser's log: prove here that an error would be seen
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("console.error('probe of the log')");
            assertThat(consoleErrors()).anyMatch(line -> line.contains("probe of the log"));
        }
    }

    private void assertNoConsoleErrors() {
        assertThat(consoleErrors()).isEmpty();
    }

    private List<String> consoleErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::toString).toList();
    }

    private record Running(OminisServer server, FreeSwitchNodes nodes) implements AutoCloseable {
        String base() {
            return "http://127.0.0.1:" + server.port();
        }

        @Override
        public void close() {
            server.close();
            nodes.close();
        }
    }

    private static Running start(FreeSwitchStandIn fs, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("OMINIS_FREESWITCH_NODES", "fs1=" + fs.url());
        env.put("PORT", "0");
        env.put("OMINIS_BIND", "127.0.0.1");
        ServerSettings settings = ServerFixture.settings(db, env);
        FreeSwitchNodes nodes = (FreeSwitchNodes) FreeSwitchNodes.create(settings.freeSwitch());
        return new Running(OminisServer.create(settings, db.dataSource(), nodes).start(), nodes);
    }

    private WebDriver chromium() throws Exception {
        profile = Files.createTempDirectory("ominis-console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private void page(String name) {
        browser.findElement(By.cssSelector("#nav a[data-page=" + name + "]")).click();
        waitUntil(() -> name.equals(browser.findElement(By.id("page")).getAttribute("data-page")));
    }

    /** "2 min 5 s" or "40 s" as seconds. */
    private static long seconds(String shown) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:(\\d+) min )?(\\d+) s").matcher(shown);
        assertThat(m.matches()).as(shown).isTrue();
        return (m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 60) + Long.parseLong(m.group(2));
    }

    private static By cell(String row, String field) {
        return By.cssSelector("#page tr[data-key='" + row + "'] td[data-field='" + field + "']");
    }

    private static By cellBy(String row, String field, String inside) {
        return By.cssSelector("#page tr[data-key='" + row + "'] td[data-field='" + field + "'] " + inside);
    }

    private String text(By by) {
        return browser.findElement(by).getText().strip();
    }

    private void waitFor(By by) {
        new WebDriverWait(browser, PATIENCE).until(d -> !d.findElements(by).isEmpty());
    }

    private void waitForText(By by, String expected) {
        try {
            // the page may re-render between finding the element and reading it: then it is found again
            new WebDriverWait(browser, PATIENCE).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> {
                        List<WebElement> found = d.findElements(by);
                        return !found.isEmpty() && found.get(0).getText().strip().contains(expected);
                    });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("waited for \"" + expected + "\" in " + by + "; the page shows: "
                    + browser.findElement(By.tagName("body")).getText() + "\nconsole: " + consoleErrors(), e);
        }
    }

    private void waitUntil(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, PATIENCE).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }

    private void shot(String name) throws Exception {
        File png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void createExtensions(String base) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String body = """
                [{"number": "1001", "password": "Winnipeg-2025", "display_name": "Front desk"},
                 {"number": "1002", "password": "Winnipeg-2025", "display_name": "Sales Alice",
                  "email": "alice@example.com", "department": "sales"},
                 {"number": "2001", "password": "Winnipeg-2025", "display_name": "Support Bob"}]""";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/extensions"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static String member(String uuid, String queue, long joined) {
        return "INSERT INTO members (queue, instance_id, uuid, session_uuid, system_epoch, joined_epoch, state) VALUES "
                + "('" + queue + "', 'single_box', '" + uuid + "', 's-" + uuid + "', " + joined + ", " + joined
                + ", 'Waiting')";
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A mod_callcenter member leg of sales@default, answered or abandoned. */
    private static String cdrMember(String uuid, LocalDateTime start, boolean answered) {
        return ("INSERT INTO cdr (uuid, caller_id_number, destination_number, context, start_stamp, end_stamp, "
                + "duration, billsec, hangup_cause, queue_name, member_state, member_session_uuid, switch_name) "
                + "VALUES ('%s', '5551000', '7000', 'default', '%s', '%s', '60', '59', 'NORMAL_CLEARING', "
                + "'sales@default', '%s', '%s', 'fs1')").formatted(uuid, STAMP.format(start),
                STAMP.format(start.plusSeconds(60)), answered ? "answered" : "cancel", uuid);
    }

    /** The agent leg that answered member leg {@code member} at {@code answer}. */
    private static String cdrAgent(String uuid, String member, LocalDateTime answer) {
        return ("INSERT INTO cdr (uuid, caller_id_number, destination_number, context, start_stamp, answer_stamp, "
                + "end_stamp, duration, billsec, hangup_cause, queue_name, agent_name, member_session_uuid, "
                + "switch_name) VALUES ('%s', '5551000', '1000', 'default', '%s', '%s', '%s', '50', '50', "
                + "'NORMAL_CLEARING', 'sales@default', '1000@default', '%s', 'fs1')").formatted(uuid,
                STAMP.format(answer.minusSeconds(1)), STAMP.format(answer), STAMP.format(answer.plusSeconds(50)),
                member);
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static String query(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
