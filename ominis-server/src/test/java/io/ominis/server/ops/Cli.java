package io.ominis.server.ops;

import io.ominis.server.Main;
import java.io.PrintWriter;
import io.ominis.testing.OminisDatabase;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/** Runs the real command line (through {@link Main#run}) with an explicit environment and captures both streams. */
record Cli(int exitCode, String out, String err) {

    static Cli run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    /** A mutable environment whose DB_* settings point at the test class's database. */
    static Map<String, String> databaseEnv(OminisDatabase db) {
        return databaseEnv(db, db.databaseName());
    }

    /** The same server and login, another database on it. */
    static Map<String, String> databaseEnv(OminisDatabase db, String databaseName) {
        Map<String, String> env = new HashMap<>();
        env.put("DB_HOST", db.host());
        env.put("DB_PORT", Integer.toString(db.port()));
        env.put("DB_NAME", databaseName);
        env.put("DB_USER", db.user());
        if (db.password() != null) {
            env.put("DB_PASS", db.password());
        }
        return env;
    }
}
