package io.ominis.api;

import io.ominis.testing.OminisDatabase;
import java.util.HashMap;
import java.util.Map;

/** Builds server settings that point at a test class's database. */
public final class ServerFixture {

    /** One scratch directory for prompt audio per test run; tests that check files set their own. */
    private static final java.nio.file.Path TTS_DIR;

    static {
        try {
            TTS_DIR = java.nio.file.Files.createTempDirectory("ominis-tts-test");
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ServerFixture() {
    }

    /** Environment for {@code db}, plus {@code extra} (later keys win). */
    public static Map<String, String> env(OminisDatabase db, Map<String, String> extra) {
        return env(db.host(), db.port(), db, extra);
    }

    /** Environment for {@code db} reached through another host and port (e.g. a {@link io.ominis.testing.fault.TcpProxy}). */
    public static Map<String, String> env(String host, int port, OminisDatabase db, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("DB_HOST", host);
        env.put("DB_PORT", Integer.toString(port));
        env.put("DB_NAME", db.databaseName());
        env.put("DB_USER", db.user());
        if (db.password() != null) {
            env.put("DB_PASS", db.password());
        }
        env.put("OMINIS_MIGRATE_ON_START", "false");
        env.put("OMINIS_TTS_DIR", TTS_DIR.toString());
        env.putAll(extra);
        return env;
    }

    public static ServerSettings settings(OminisDatabase db, Map<String, String> extra) {
        return ServerSettings.fromEnvironment(env(db, extra));
    }
}
