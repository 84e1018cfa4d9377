package io.ominis.server.ops;

import io.ominis.core.OperationFailedException;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.core.config.SettingsReader;
import io.ominis.db.admin.AtomicFiles;
import io.ominis.xmlcurl.config.FreeSwitchConfig;
import io.ominis.xmlcurl.config.OdbcIni;
import io.ominis.server.ops.internal.OpsCommand;
import io.ominis.db.admin.RoleSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freeswitch-config}: writes the FreeSWITCH files that point a node at Ominis's database and HTTP endpoints
 * (odbc.ini or mod_pgsql, modules.conf, switch.conf, callcenter.conf, odbc_cdr.conf, xml_curl.conf, xml_rpc.conf).
 * An existing switch.conf.xml or modules.conf.xml is merged into, not replaced. Secrets go into the files only; the
 * command prints the list of files.
 */
@Command(name = "freeswitch-config", mixinStandardHelpOptions = true,
        description = {
            "Write FreeSWITCH's ODBC, core DB, callcenter, odbc_cdr and xml_curl configuration for Ominis.",
            "Write FreeSWITCH configuration for this database and server: odbc.ini (or pre_load_modules.conf with",
            "mod_pgsql), autoload_configs/{modules,switch,callcenter,odbc_cdr,xml_curl,xml_rpc}.conf.xml.",
            "An existing modules.conf.xml or switch.conf.xml is merged into (original kept as *.before-ominis).",
            "mod_xml_rpc credentials from OMINIS_FREESWITCH_XMLRPC_USER (default ominis) and",
            "OMINIS_FREESWITCH_XMLRPC_PASSWORD (a random one when unset).",
            "Database from DB_DSN or DB_HOST/DB_PORT/DB_NAME/DB_USER/DB_PASS; with --as-freeswitch-role from",
            "OMINIS_DB_FREESWITCH_ROLE/OMINIS_DB_FREESWITCH_PASSWORD. xml_curl credentials from OMINIS_XMLCURL_USER",
            "and OMINIS_XMLCURL_PASSWORD; switchname from OMINIS_FREESWITCH_SWITCHNAME (optional)."
        })
public final class FreeSwitchConfigCommand extends OpsCommand {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "FreeSWITCH conf directory to write into")
    private Path out;

    @Option(names = "--dsn-style", defaultValue = "odbc", paramLabel = "odbc|pgsql",
            description = "odbc:// through unixODBC (default) or pgsql:// through mod_pgsql")
    private String dsnStyle;

    @Option(names = "--server-url", paramLabel = "URL",
            description = "Ominis as FreeSWITCH reaches it (default http://127.0.0.1:${PORT:-8000})")
    private String serverUrl;

    @Option(names = "--odbc-dsn-name", defaultValue = "ominis", paramLabel = "NAME",
            description = "data source name in odbc.ini (default ${DEFAULT-VALUE})")
    private String odbcDsnName;

    @Option(names = "--xmlcurl-timeout", defaultValue = "5", paramLabel = "SECONDS",
            description = "mod_xml_curl request timeout (default ${DEFAULT-VALUE})")
    private int timeout;

    @Option(names = "--xmlrpc-port", defaultValue = "8080", paramLabel = "PORT",
            description = "mod_xml_rpc's http-port (default ${DEFAULT-VALUE})")
    private int xmlRpcPort;

    @Option(names = "--as-freeswitch-role",
            description = "log FreeSWITCH in as the db-roles FreeSWITCH role instead of DB_USER")
    private boolean asFreeSwitchRole;

    @Option(names = "--force", description = "overwrite existing files")
    private boolean force;

    public FreeSwitchConfigCommand(Map<String, String> env) {
        super(env);
    }

    @Override
    protected int execute(PrintWriter stdout) {
        SettingsReader settings = new SettingsReader(env);
        DatabaseSettings db = DatabaseSettings.fromEnvironment(env);
        String user = db.user();
        String password = db.password();
        if (asFreeSwitchRole) {
            RoleSettings.Role role = RoleSettings.fromEnvironment(env).freeswitch();
            user = role.name();
            password = role.password();
        }
        String url = serverUrl != null ? serverUrl
                : "http://127.0.0.1:" + settings.integer("PORT", 8000, 1, 65535);
        String rpcPassword = emptyToNull(env.get("OMINIS_FREESWITCH_XMLRPC_PASSWORD"));
        boolean rpcPasswordMade = rpcPassword == null;
        FreeSwitchConfig.XmlRpc xmlRpc = new FreeSwitchConfig.XmlRpc(xmlRpcPort,
                settings.string("OMINIS_FREESWITCH_XMLRPC_USER", "ominis"),
                rpcPasswordMade ? FreeSwitchConfig.XmlRpc.randomPassword() : rpcPassword);
        FreeSwitchConfig config = new FreeSwitchConfig(db, user, password,
                FreeSwitchConfig.DsnStyle.parse(dsnStyle), odbcDsnName, FreeSwitchConfig.serverUrl(url),
                settings.string("OMINIS_XMLCURL_USER"), emptyToNull(env.get("OMINIS_XMLCURL_PASSWORD")), timeout,
                settings.string("OMINIS_FREESWITCH_SWITCHNAME"), xmlRpc);
        List<FreeSwitchConfig.GeneratedFile> files = config.files(this::existing);
        Map<String, byte[]> own = new LinkedHashMap<>();
        files.stream().filter(f -> !f.merged()).forEach(f -> own.put(f.path(), f.content()));
        AtomicFiles.writeAll(out, own, force);
        for (FreeSwitchConfig.GeneratedFile f : files) {
            if (f.merged()) {
                Path target = out.resolve(f.path());
                Path before = target.resolveSibling(target.getFileName() + ".before-ominis");
                if (!Files.exists(before)) {
                    AtomicFiles.write(before, existing(f.path()), false);
                }
                AtomicFiles.write(target, f.content(), true);
            }
        }
        stdout.println("Wrote FreeSWITCH configuration (" + config.style().name().toLowerCase(Locale.ROOT)
                + ") for database " + db.database() + " on " + db.host() + ":" + db.port() + " as " + user + ":");
        files.forEach(f -> stdout.println("  " + out.resolve(f.path()) + (f.merged()
                ? "  (merged into the existing file; the original is kept as " + out.resolve(f.path()).getFileName()
                        + ".before-ominis)" : "")));
        if (config.style() == FreeSwitchConfig.DsnStyle.ODBC) {
            stdout.println("Point FreeSWITCH at it: ODBCINI=" + out.resolve("odbc.ini").toAbsolutePath()
                    + " (driver '" + OdbcIni.DRIVER + "' from package odbc-postgresql)");
        }
        if (files.stream().noneMatch(f -> f.merged() && f.path().endsWith("modules.conf.xml"))) {
            stdout.println("modules.conf.xml loads: " + String.join(" ", FreeSwitchConfig.MODULES));
        }
        stdout.println("Steer it from Ominis: OMINIS_FREESWITCH_NODES=<name>=http://" + xmlRpc.user()
                + ":<auth-pass>@<this node>:" + xmlRpc.port() + (rpcPasswordMade
                ? " (a new random auth-pass is in xml_rpc.conf.xml; set OMINIS_FREESWITCH_XMLRPC_PASSWORD to choose it)"
                : " (auth-pass is OMINIS_FREESWITCH_XMLRPC_PASSWORD)"));
        return 0;
    }

    /** The operator's current file at {@code path} under {@code --out}, or null. */
    private byte[] existing(String path) {
        Path file = out.resolve(path);
        try {
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
