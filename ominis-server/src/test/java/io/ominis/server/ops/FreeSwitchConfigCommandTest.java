package io.ominis.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.testing.OminisDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class FreeSwitchConfigCommandTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    /** Section names mod_xml_curl matches (freeswitch-facts §4.1); "configuration" matches "config". */
    private static final Set<String> SECTIONS = Set.of("configuration", "config", "directory", "dialplan",
            "languages", "chatplan", "channels");

    /** Contains XML specials, INI comment characters and a libpq quote, to prove each file's escaping. */
    private static final String DB_PASSWORD = "p<a&s\"s' ;w#rd\\x";
    private static final String CURL_PASSWORD = "curl-s3cret&<";

    @TempDir
    Path dir;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("DB_HOST", "127.0.0.1");
        env.put("DB_PORT", "5433");
        env.put("DB_NAME", "callcenter");
        env.put("DB_USER", "fs_user");
        env.put("DB_PASS", DB_PASSWORD);
        env.put("OMINIS_XMLCURL_USER", "freeswitch");
        env.put("OMINIS_XMLCURL_PASSWORD", CURL_PASSWORD);
        env.put("PORT", "8123");
        return env;
    }

    @Test
    void odbcStyleWritesOdbcIniAndOdbcDsnEverywhere() throws Exception {
        Cli run = Cli.run(env(), "freeswitch-config", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain(DB_PASSWORD).doesNotContain(CURL_PASSWORD)
                .contains("odbc.ini", "switch.conf.xml", "callcenter.conf.xml", "odbc_cdr.conf.xml", "xml_curl.conf.xml");
        assertThat(dir.resolve("autoload_configs/pre_load_modules.conf.xml")).doesNotExist();

        Map<String, String> ini = iniSection(dir.resolve("odbc.ini"), "ominis");
        assertThat(ini).containsEntry("Driver", "PostgreSQL Unicode").containsEntry("Servername", "127.0.0.1")
                .containsEntry("Port", "5433").containsEntry("Database", "callcenter")
                .containsEntry("Username", "fs_user").containsEntry("Password", DB_PASSWORD.strip())
                .containsEntry("ReadOnly", "No").containsKey("Protocol");

        for (String conf : List.of("switch.conf.xml", "callcenter.conf.xml", "odbc_cdr.conf.xml")) {
            Document doc = parse(dir.resolve("autoload_configs").resolve(conf));
            String dsnParam = conf.startsWith("switch") ? "core-db-dsn" : "odbc-dsn";
            assertThat(param(doc, dsnParam)).as(conf).isEqualTo("odbc://ominis");
        }
        assertThat(Files.readString(dir.resolve("autoload_configs/switch.conf.xml"))).doesNotContain("p<a");
    }

    @Test
    void pgsqlStylePreloadsModPgsqlAndQuotesThePassword() throws Exception {
        Map<String, String> env = env();
        env.put("OMINIS_FREESWITCH_SWITCHNAME", "fs-queue-0");
        Cli run = Cli.run(env, "freeswitch-config", "--out", dir.toString(), "--dsn-style", "pgsql");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain(DB_PASSWORD);
        assertThat(dir.resolve("odbc.ini")).doesNotExist();
        Document preload = parse(dir.resolve("autoload_configs/pre_load_modules.conf.xml"));
        assertThat(((Element) preload.getElementsByTagName("load").item(0)).getAttribute("module")).isEqualTo("mod_pgsql");

        Document sw = parse(dir.resolve("autoload_configs/switch.conf.xml"));
        assertThat(param(sw, "switchname")).isEqualTo("fs-queue-0");
        String expected = "pgsql://hostaddr=127.0.0.1 port=5433 dbname=callcenter user=fs_user "
                + "password='p<a&s\"s\\' ;w#rd\\\\x' application_name=freeswitch";
        assertThat(param(sw, "core-db-dsn")).isEqualTo(expected);
        assertThat(param(parse(dir.resolve("autoload_configs/callcenter.conf.xml")), "odbc-dsn")).isEqualTo(expected);
        assertThat(param(parse(dir.resolve("autoload_configs/odbc_cdr.conf.xml")), "odbc-dsn")).isEqualTo(expected);
    }

    @Test
    void odbcCdrMapsEveryCdrColumnButCreatedAtAndJsonCdr() throws Exception {
        assertThat(Cli.run(env(), "freeswitch-config", "--out", dir.toString()).exitCode()).isZero();
        Document doc = parse(dir.resolve("autoload_configs/odbc_cdr.conf.xml"));

        Element table = (Element) doc.getElementsByTagName("table").item(0);
        assertThat(table.getAttribute("name")).isEqualTo("cdr");
        // both legs (no log-leg): the agent leg of a queue call is a B-leg, and QueueCallTest needs its record
        assertThat(table.hasAttribute("log-leg")).isFalse();
        assertThat(doc.getElementsByTagName("settings").item(0).getTextContent()).doesNotContain("log-leg");
        Map<String, String> fields = new LinkedHashMap<>();
        NodeList list = table.getElementsByTagName("field");
        for (int i = 0; i < list.getLength(); i++) {
            Element f = (Element) list.item(i);
            fields.put(f.getAttribute("name"), f.getAttribute("chan-var-name"));
        }
        Set<String> columns = cdrColumns();
        assertThat(columns).containsAll(fields.keySet());
        Set<String> unmapped = new TreeSet<>(columns);
        unmapped.removeAll(fields.keySet());
        assertThat(unmapped).containsExactly("created_at", "json_cdr");
        assertThat(fields).containsEntry("queue_name", "cc_queue").containsEntry("agent_name", "cc_agent")
                .containsEntry("member_session_uuid", "cc_member_session_uuid")
                .containsEntry("member_state", "cc_cause").containsEntry("switch_name", "hostname")
                .containsEntry("answer_stamp", "answer_stamp");
    }

    @Test
    void xmlCurlBindsDirectoryAndConfigurationWithCredentialsAndTimeout() throws Exception {
        Cli run = Cli.run(env(), "freeswitch-config", "--out", dir.toString(), "--xmlcurl-timeout", "7");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Document doc = parse(dir.resolve("autoload_configs/xml_curl.conf.xml"));

        NodeList bindings = doc.getElementsByTagName("binding");
        assertThat(bindings.getLength()).isEqualTo(2);
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < bindings.getLength(); i++) {
            Element binding = (Element) bindings.item(i);
            Map<String, Element> params = new HashMap<>();
            NodeList ps = binding.getElementsByTagName("param");
            for (int j = 0; j < ps.getLength(); j++) {
                params.put(((Element) ps.item(j)).getAttribute("name"), (Element) ps.item(j));
            }
            Element url = params.get("gateway-url");
            for (String section : url.getAttribute("bindings").split("\\|")) {
                assertThat(SECTIONS).as("binding section").contains(section);
            }
            urls.add(url.getAttribute("bindings") + " " + url.getAttribute("value"));
            assertThat(params.get("gateway-credentials").getAttribute("value")).isEqualTo("freeswitch:" + CURL_PASSWORD);
            assertThat(params.get("timeout").getAttribute("value")).isEqualTo("7");
            assertThat(params.get("disable-100-continue").getAttribute("value")).isEqualTo("true");
        }
        assertThat(urls).containsExactly("directory http://127.0.0.1:8123/v1/freeswitch/directory",
                "configuration http://127.0.0.1:8123/v1/freeswitch/configuration");
    }

    @Test
    void mergesIntoTheOperatorsSwitchConfAndModulesConfAndKeepsTheOriginals() throws Exception {
        Path autoload = Files.createDirectories(dir.resolve("autoload_configs"));
        String stockSwitch = """
                <configuration name="switch.conf" description="Core Configuration">
                  <settings>
                    <param name="max-sessions" value="3000"/>
                    <param name="core-db-dsn" value="sqlite-leftover"/>
                  </settings>
                </configuration>
                """;
        Files.writeString(autoload.resolve("switch.conf.xml"), stockSwitch);
        Files.writeString(autoload.resolve("modules.conf.xml"), """
                <configuration name="modules.conf" description="Modules">
                  <modules>
                    <load module="mod_console"/>
                    <load module="mod_sofia"/>
                  </modules>
                </configuration>
                """);

        Cli run = Cli.run(env(), "freeswitch-config", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("switch.conf.xml  (merged into the existing file")
                .contains("a new random auth-pass is in xml_rpc.conf.xml");
        Document sw = parse(autoload.resolve("switch.conf.xml"));
        assertThat(param(sw, "max-sessions")).isEqualTo("3000");
        assertThat(param(sw, "core-db-dsn")).isEqualTo("odbc://ominis");
        assertThat(sw.getElementsByTagName("param").getLength()).isEqualTo(4);
        assertThat(Files.readString(autoload.resolve("switch.conf.xml.before-ominis"))).isEqualTo(stockSwitch);
        String modules = Files.readString(autoload.resolve("modules.conf.xml"));
        assertThat(modules.indexOf("mod_xml_curl")).isLessThan(modules.indexOf("mod_sofia"));
        assertThat(modules).contains("mod_callcenter", "mod_odbc_cdr", "mod_xml_rpc");
        Document rpc = parse(autoload.resolve("xml_rpc.conf.xml"));
        assertThat(param(rpc, "auth-pass")).hasSizeGreaterThanOrEqualTo(12);
        assertThat(run.out()).doesNotContain(param(rpc, "auth-pass"));
    }

    @Test
    void refusesToOverwriteWithoutForce() throws Exception {
        assertThat(Cli.run(env(), "freeswitch-config", "--out", dir.toString()).exitCode()).isZero();
        Path cc = dir.resolve("autoload_configs/callcenter.conf.xml");
        Files.writeString(cc, "local edit");

        Cli again = Cli.run(env(), "freeswitch-config", "--out", dir.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).startsWith("ominis freeswitch-config: ").contains("exists; use --force").hasLineCount(1);
        assertThat(Files.readString(cc)).isEqualTo("local edit");

        assertThat(Cli.run(env(), "freeswitch-config", "--out", dir.toString(), "--force").exitCode()).isZero();
        assertThat(Files.readString(cc)).contains("odbc-dsn");
        try (var leftovers = Files.list(dir.resolve("autoload_configs"))) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void refusesValuesOdbcIniCannotHold() {
        Map<String, String> env = env();
        env.put("DB_PASS", "line1\nDriver = evil");
        Cli run = Cli.run(env, "freeswitch-config", "--out", dir.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("ominis freeswitch-config: DB_PASS: ").doesNotContain("evil");
        assertThat(dir.resolve("odbc.ini")).doesNotExist();

        env.put("DB_PASS", "#starts-like-a-comment");
        assertThat(Cli.run(env, "freeswitch-config", "--out", dir.toString()).err()).contains("DB_PASS");
    }

    @Test
    void asFreeswitchRoleLogsInAsTheDbRolesRole() throws Exception {
        Map<String, String> env = env();
        env.put("OMINIS_DB_FREESWITCH_PASSWORD", "fs-role-secret");
        Cli run = Cli.run(env, "freeswitch-config", "--out", dir.toString(), "--as-freeswitch-role");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("as ominis_freeswitch").doesNotContain("fs-role-secret");
        assertThat(iniSection(dir.resolve("odbc.ini"), "ominis")).containsEntry("Username", "ominis_freeswitch")
                .containsEntry("Password", "fs-role-secret");
    }

    @Test
    void refusesBadOptions() {
        assertThat(Cli.run(env(), "freeswitch-config", "--out", dir.toString(), "--dsn-style", "mysql").err())
                .startsWith("ominis freeswitch-config: --dsn-style: ");
        assertThat(Cli.run(env(), "freeswitch-config", "--out", dir.toString(), "--server-url", "ftp://x").err())
                .startsWith("ominis freeswitch-config: --server-url: ");
        Map<String, String> env = env();
        env.remove("OMINIS_XMLCURL_PASSWORD");
        assertThat(Cli.run(env, "freeswitch-config", "--out", dir.toString()).err())
                .contains("OMINIS_XMLCURL_PASSWORD");
    }

    /** Parses with DOCTYPEs refused: generated files must never need one (and FreeSWITCH would not read one). */
    static Document parse(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(file)));
    }

    private static String param(Document doc, String name) {
        NodeList params = doc.getElementsByTagName("param");
        for (int i = 0; i < params.getLength(); i++) {
            Element p = (Element) params.item(i);
            if (p.getAttribute("name").equals(name)) {
                return p.getAttribute("value");
            }
        }
        throw new AssertionError("no param " + name);
    }

    static Map<String, String> iniSection(Path file, String section) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("[")) {
                inSection = line.equals("[" + section + "]");
            } else if (inSection && line.contains("=") && !line.startsWith(";")) {
                values.put(line.substring(0, line.indexOf('=')).strip(), line.substring(line.indexOf('=') + 1).strip());
            }
        }
        return values;
    }

    private static Set<String> cdrColumns() throws Exception {
        Set<String> columns = new TreeSet<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("""
                        SELECT column_name
                          FROM information_schema.columns
                         WHERE table_schema = 'public' AND table_name = 'cdr'
                        """)) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        assertThat(columns).contains("uuid", "switch_name");
        return columns;
    }
}
