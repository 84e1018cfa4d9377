package io.ominis.xmlcurl.config;

import io.ominis.core.ConfigurationException;
import io.ominis.core.config.DatabaseSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The FreeSWITCH files that connect a node to Ominis: the ODBC data source, the core DB, mod_callcenter and
 * mod_odbc_cdr on PostgreSQL, and mod_xml_curl on Ominis's HTTP endpoints. Pure: it renders bytes, the command writes
 * them.
 *
 * @param db             where the database is (host, port, name, sslmode)
 * @param user           the role FreeSWITCH logs in as
 * @param password       its password, or null (trust/peer authentication)
 * @param style          how FreeSWITCH reaches PostgreSQL
 * @param odbcDsnName    the section name in odbc.ini
 * @param serverUrl      base URL of the Ominis server as the node sees it
 * @param xmlCurlUser    HTTP Basic user for mod_xml_curl, or null for none
 * @param xmlCurlPassword its password, or null
 * @param timeoutSeconds mod_xml_curl's request timeout (FreeSWITCH's default is none: a hung server stalls SIP)
 * @param switchName     switch.conf {@code switchname}, or null for the OS hostname
 * @param xmlRpc         how mod_xml_rpc listens and whom it lets in, so that Ominis can steer the node
 */
public record FreeSwitchConfig(
        DatabaseSettings db,
        String user,
        String password,
        DsnStyle style,
        String odbcDsnName,
        URI serverUrl,
        String xmlCurlUser,
        String xmlCurlPassword,
        int timeoutSeconds,
        String switchName,
        XmlRpc xmlRpc) {

    /**
     * mod_xml_rpc's listener. It binds every interface (1.10 has no bind setting), so it is always behind a password.
     *
     * @param port     {@code http-port}
     * @param user     {@code auth-user}
     * @param password {@code auth-pass}
     */
    public record XmlRpc(int port, String user, String password) {

        /** FreeSWITCH 1.10.12 decodes {@code Authorization} into an 80-byte buffer: longer credentials never match. */
        static final int MAX_CREDENTIALS = 57;

        public XmlRpc {
            if (port < 1 || port > 65535) {
                throw new ConfigurationException("--xmlrpc-port", "must be 1 to 65535, got " + port);
            }
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (!user.matches("[A-Za-z0-9._-]{1,32}")) {
                throw new ConfigurationException("OMINIS_FREESWITCH_XMLRPC_USER",
                        "must be 1-32 letters, digits, '.', '_' or '-'");
            }
            if (password.length() < 12 || password.contains("$${") || password.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new ConfigurationException("OMINIS_FREESWITCH_XMLRPC_PASSWORD",
                        "must be at least 12 printable ASCII characters without blanks or '$${'");
            }
            if (user.length() + 1 + password.length() > MAX_CREDENTIALS) {
                throw new ConfigurationException("OMINIS_FREESWITCH_XMLRPC_PASSWORD", "user:password must be at most "
                        + MAX_CREDENTIALS + " characters: FreeSWITCH 1.10.12 cuts longer ones and then refuses them");
            }
        }

        /** A fresh random password for {@link #user}, for when the operator gave none. */
        public static String randomPassword() {
            byte[] bytes = new byte[18];
            new java.security.SecureRandom().nextBytes(bytes);
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }

        @Override
        public String toString() {
            return "XmlRpc[port=" + port + ", user=" + user + "]";
        }
    }

    /**
     * One file this generator produces.
     *
     * @param path    relative to the FreeSWITCH conf directory
     * @param content its bytes
     * @param merged  true when the operator's own file was kept and only Ominis's settings were put into it
     */
    public record GeneratedFile(String path, byte[] content, boolean merged) {
    }

    /**
     * Modules a node served by Ominis loads, in order, when there is no modules.conf.xml to merge into. mod_xml_curl
     * comes right after the loggers, so that mod_sofia's and mod_callcenter's first lookups already reach Ominis.
     */
    public static final List<String> MODULES = List.of("mod_console", "mod_logfile", "mod_xml_curl", "mod_xml_rpc",
            "mod_odbc_cdr", "mod_sofia", "mod_loopback", "mod_commands", "mod_dptools", "mod_callcenter",
            "mod_dialplan_xml", "mod_sndfile", "mod_native_file", "mod_tone_stream", "mod_flite", "mod_say_en");

    /** Modules loaded before everything but the loggers, also in a merged modules.conf.xml. */
    static final List<String> EARLY_MODULES = List.of("mod_xml_curl");

    /** Modules a merged modules.conf.xml must load (the stock one comments out or lacks these). */
    static final List<String> REQUIRED_MODULES = List.of("mod_xml_curl", "mod_xml_rpc", "mod_odbc_cdr", "mod_sofia",
            "mod_commands", "mod_dptools", "mod_callcenter", "mod_dialplan_xml", "mod_tone_stream", "mod_flite");

    /** How FreeSWITCH opens the database (freeswitch-facts §6). */
    public enum DsnStyle {
        /** {@code odbc://<dsn>}: unixODBC with psqlODBC, credentials only in odbc.ini. Needs an ODBC-enabled build. */
        ODBC,
        /** {@code pgsql://<libpq keywords>}: mod_pgsql, which must be pre-loaded; odbc.ini is then unused. */
        PGSQL;

        /** Parses the {@code --dsn-style} option. */
        public static DsnStyle parse(String text) {
            for (DsnStyle s : values()) {
                if (s.name().equalsIgnoreCase(text)) {
                    return s;
                }
            }
            throw new ConfigurationException("--dsn-style", "must be odbc or pgsql, got '" + text + "'");
        }
    }

    /**
     * One column of our {@code cdr} table and the channel variable mod_odbc_cdr takes it from.
     *
     * @param column  the {@code cdr} column
     * @param channelVariable the variable (mod_odbc_cdr falls back to caller-profile fields, then globals)
     * @param why     a note for the generated file
     */
    public record CdrField(String column, String channelVariable, String why) {
    }

    /**
     * Every {@code cdr} column mod_odbc_cdr can fill. Left out: {@code created_at} (the database default stamps the
     * insert) and {@code json_cdr} (FreeSWITCH exposes no JSON CDR as a channel variable; only mod_json_cdr or
     * mod_xml_cdr can produce it).
     */
    public static final List<CdrField> CDR_FIELDS = List.of(
            new CdrField("uuid", "uuid", "the leg's UUID (caller-profile field)"),
            new CdrField("caller_id_name", "caller_id_name", "caller-profile field"),
            new CdrField("caller_id_number", "caller_id_number", "caller-profile field"),
            new CdrField("destination_number", "destination_number", "caller-profile field"),
            new CdrField("context", "context", "caller-profile field"),
            new CdrField("start_stamp", "start_stamp", "local time YYYY-MM-DD HH:MM:SS"),
            new CdrField("answer_stamp", "answer_stamp", "unset for unanswered calls, so the column stays NULL"),
            new CdrField("end_stamp", "end_stamp", "local time YYYY-MM-DD HH:MM:SS"),
            new CdrField("duration", "duration", "seconds, start to end"),
            new CdrField("billsec", "billsec", "seconds, answer to end"),
            new CdrField("hangup_cause", "hangup_cause", "e.g. NORMAL_CLEARING"),
            new CdrField("queue_name", "cc_queue", "mod_callcenter, member and agent legs"),
            new CdrField("agent_name", "cc_agent", "mod_callcenter, set once an agent took the call"),
            new CdrField("member_session_uuid", "cc_member_session_uuid",
                    "mod_callcenter sets it on the agent leg, which it originates without a parent session"),
            new CdrField("member_state", "cc_cause",
                    "mod_callcenter's outcome of the member leg: answered or cancel (reason in cc_cancel_reason)"),
            new CdrField("switch_name", "hostname", "global variable: the node's OS hostname"));

    /** The mod_xml_curl sections Ominis serves and their endpoints (freeswitch-facts §4.1 for the section names). */
    public static final Map<String, String> XML_CURL_BINDINGS = Map.of(
            "directory", "/v1/freeswitch/directory",
            "configuration", "/v1/freeswitch/configuration");

    public FreeSwitchConfig {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(odbcDsnName, "odbcDsnName");
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(xmlRpc, "xmlRpc");
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new ConfigurationException("--xmlcurl-timeout", "must be 1 to 3600 seconds, got " + timeoutSeconds);
        }
        if ((xmlCurlUser == null) != (xmlCurlPassword == null)) {
            throw new ConfigurationException(xmlCurlUser == null ? "OMINIS_XMLCURL_USER" : "OMINIS_XMLCURL_PASSWORD",
                    "set both OMINIS_XMLCURL_USER and OMINIS_XMLCURL_PASSWORD, or neither");
        }
        if (xmlCurlUser != null && xmlCurlUser.contains(":")) {
            throw new ConfigurationException("OMINIS_XMLCURL_USER", "must not contain ':' (gateway-credentials is user:pass)");
        }
        requireNoPreprocessorText("DB_PASS", password);
        requireNoPreprocessorText("OMINIS_XMLCURL_PASSWORD", xmlCurlPassword);
        if (switchName != null && !switchName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,254}")) {
            throw new ConfigurationException("OMINIS_FREESWITCH_SWITCHNAME", "must be a host-name-like word "
                    + "(letters, digits, '.', '_', '-'), got '" + switchName + "'");
        }
    }

    /** Parses {@code --server-url}: http or https, a host, no query; a trailing slash is dropped. */
    public static URI serverUrl(String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getQuery() != null
                    || uri.getFragment() != null || uri.getUserInfo() != null) {
                throw new ConfigurationException("--server-url", "must be http(s)://host[:port][/path] without user, "
                        + "query or fragment, got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException("--server-url", "is not a URL: " + e.getMessage());
        }
    }

    /** The {@code core-db-dsn}/{@code odbc-dsn} value every module gets. */
    public String dsn() {
        if (style == DsnStyle.ODBC) {
            // user and password stay in odbc.ini; psqlODBC takes them from there when FreeSWITCH passes none
            return "odbc://" + odbcDsnName;
        }
        StringBuilder dsn = new StringBuilder("pgsql://");
        dsn.append(isIpLiteral(db.host()) ? "hostaddr=" : "host=").append(libpqValue(db.host()));
        dsn.append(" port=").append(db.port());
        dsn.append(" dbname=").append(libpqValue(db.database()));
        dsn.append(" user=").append(libpqValue(user));
        dsn.append(" password=").append(libpqQuoted(password == null ? "" : password));
        String sslmode = db.parameters().get("sslmode");
        if (sslmode != null) {
            dsn.append(" sslmode=").append(libpqValue(sslmode));
        }
        dsn.append(" application_name=freeswitch");
        return dsn.toString();
    }

    /**
     * Every file, in a stable order. {@code existing} gives the operator's current content of a path (null when the
     * file does not exist): switch.conf.xml and modules.conf.xml are merged into it, the other files are Ominis's own.
     */
    public List<GeneratedFile> files(Function<String, byte[]> existing) {
        List<GeneratedFile> files = new ArrayList<>();
        if (style == DsnStyle.ODBC) {
            files.add(new GeneratedFile("odbc.ini", OdbcIni.render(odbcDsnName, db, user, password), false));
        } else {
            files.add(new GeneratedFile("autoload_configs/pre_load_modules.conf.xml", preLoadModules(), false));
        }
        String modules = "autoload_configs/modules.conf.xml";
        byte[] stockModules = existing.apply(modules);
        files.add(stockModules == null ? new GeneratedFile(modules, modulesConf(), false)
                : new GeneratedFile(modules, ConfigMerge.mergeModules(stockModules, EARLY_MODULES, REQUIRED_MODULES),
                        true));
        String switchConf = "autoload_configs/switch.conf.xml";
        byte[] stockSwitch = existing.apply(switchConf);
        files.add(stockSwitch == null ? new GeneratedFile(switchConf, switchConf(), false)
                : new GeneratedFile(switchConf, ConfigMerge.mergeSettings(switchConf, stockSwitch, coreParams()), true));
        files.add(new GeneratedFile("autoload_configs/callcenter.conf.xml", callcenterConf(), false));
        files.add(new GeneratedFile("autoload_configs/odbc_cdr.conf.xml", odbcCdrConf(), false));
        files.add(new GeneratedFile("autoload_configs/xml_curl.conf.xml", xmlCurlConf(), false));
        files.add(new GeneratedFile("autoload_configs/xml_rpc.conf.xml", xmlRpcConf(), false));
        return files;
    }

    /** The files for an empty conf directory. */
    public Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files(path -> null).forEach(f -> files.put(f.path(), f.content()));
        return files;
    }

    private byte[] preLoadModules() {
        ConfigXml xml = new ConfigXml("pre_load_modules.conf", "Modules loaded before the core database is opened");
        xml.start("modules");
        xml.comment("core-db-dsn pgsql:// needs mod_pgsql before the core DB opens; modules.conf is too late");
        xml.empty("load", "module", "mod_pgsql");
        return xml.finish();
    }

    /** What switch.conf must say for the core database to be Ominis's, merged or fresh. */
    private Map<String, String> coreParams() {
        Map<String, String> params = new LinkedHashMap<>();
        if (switchName != null) {
            params.put("switchname", switchName);
        }
        params.put("core-db-dsn", dsn());
        params.put("auto-create-schemas", "true");
        params.put("auto-clear-sql", "true");
        return params;
    }

    private byte[] switchConf() {
        ConfigXml xml = new ConfigXml("switch.conf", "Core Configuration");
        xml.start("settings");
        if (switchName != null) {
            xml.comment("rows in channels/calls/registrations carry this name; keep it stable per node");
        }
        xml.comment("Ominis's migrations create FreeSWITCH's tables in its exact shape, so the schema checks pass");
        coreParams().forEach(xml::param);
        xml.comment("the core's defaults without these are 1000 sessions and 30 new ones a second, "
                + "which a queue's burst of callers exceeds");
        xml.param("max-sessions", "1000");
        xml.param("sessions-per-second", "200");
        xml.param("max-db-handles", "50");
        xml.param("db-handle-timeout", "10");
        return xml.finish();
    }

    private byte[] modulesConf() {
        ConfigXml xml = new ConfigXml("modules.conf", "Modules");
        xml.start("modules");
        xml.comment("mod_xml_curl right after the loggers: mod_sofia's and mod_callcenter's first lookups need it");
        MODULES.forEach(m -> xml.empty("load", "module", m));
        return xml.finish();
    }

    private byte[] xmlRpcConf() {
        ConfigXml xml = new ConfigXml("xml_rpc.conf", "XML RPC");
        xml.start("settings");
        xml.comment("Ominis steers this node through freeswitch.api on /RPC2. mod_xml_rpc listens on every interface: "
                + "let only the Ominis servers reach this port");
        xml.param("http-port", Integer.toString(xmlRpc.port()));
        xml.comment("user and pass take effect only with a realm");
        xml.param("auth-realm", "freeswitch");
        xml.param("auth-user", xmlRpc.user());
        xml.param("auth-pass", xmlRpc.password());
        xml.param("virtual-host", "false");
        return xml.finish();
    }

    private byte[] callcenterConf() {
        ConfigXml xml = new ConfigXml("callcenter.conf", "CallCenter");
        xml.start("settings");
        xml.comment("without odbc-dsn mod_callcenter silently uses SQLite; queues come from Ominis over mod_xml_curl");
        xml.param("odbc-dsn", dsn());
        xml.end();
        xml.empty("queues");
        return xml.finish();
    }

    private byte[] odbcCdrConf() {
        ConfigXml xml = new ConfigXml("odbc_cdr.conf", "ODBC CDR Configuration");
        xml.start("settings");
        xml.param("odbc-dsn", dsn());
        xml.comment("mod_odbc_cdr never retries: keep a CSV of every insert that failed");
        xml.param("write-csv", "on-db-fail");
        xml.param("debug-sql", "false");
        xml.end();
        xml.start("tables");
        xml.comment("cdr.json_cdr is not mapped: no channel variable holds a JSON CDR (use mod_json_cdr for it); "
                + "cdr.created_at is filled by its DEFAULT");
        xml.comment("both legs: mod_callcenter joins the agent leg with uuid_bridge, which makes it a b-leg; "
                + "the queue statistics need it (cc_member_session_uuid tells agent legs apart)");
        xml.start("table", "name", "cdr");
        for (CdrField f : CDR_FIELDS) {
            xml.empty("field", "name", f.column(), "chan-var-name", f.channelVariable());
        }
        return xml.finish();
    }

    private byte[] xmlCurlConf() {
        ConfigXml xml = new ConfigXml("xml_curl.conf", "cURL XML Gateway");
        xml.start("bindings");
        for (String section : List.of("directory", "configuration")) {
            xml.start("binding", "name", "ominis-" + section);
            xml.empty("param", "name", "gateway-url", "value", serverUrl + XML_CURL_BINDINGS.get(section),
                    "bindings", section);
            if (xmlCurlUser != null) {
                xml.param("gateway-credentials", xmlCurlUser + ":" + xmlCurlPassword);
                xml.param("auth-scheme", "basic");
            }
            xml.comment("FreeSWITCH waits forever without a timeout; on failure it falls back to the static files");
            xml.param("timeout", Integer.toString(timeoutSeconds));
            xml.param("disable-100-continue", "true");
            if (serverUrl.getScheme().equalsIgnoreCase("https")) {
                xml.comment("mod_xml_curl checks neither the certificate nor the host name unless told to");
                xml.param("enable-cacert-check", "true");
                xml.param("enable-ssl-verifyhost", "true");
            }
            xml.end();
        }
        return xml.finish();
    }

    private static void requireNoPreprocessorText(String setting, String value) {
        if (value != null && value.contains("$${")) {
            throw new ConfigurationException(setting, "contains '$${', which FreeSWITCH's pre-processor would expand "
                    + "in the generated files; choose another password");
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || host.contains(":");
    }

    /** A libpq keyword value: bare when it is a plain word, else single-quoted. */
    private static String libpqValue(String value) {
        return value.matches("[A-Za-z0-9_.:-]+") ? value : libpqQuoted(value);
    }

    /** libpq's quoting: single quotes, with backslash and quote escaped by a backslash. */
    static String libpqQuoted(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
