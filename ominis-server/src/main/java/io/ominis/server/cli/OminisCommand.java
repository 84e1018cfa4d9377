package io.ominis.server.cli;

import picocli.CommandLine.Command;

/** The top-level command: only groups the sub-commands and prints help. */
@Command(name = "ominis",
        mixinStandardHelpOptions = true,
        versionProvider = OminisCommand.Version.class,
        description = {
            "PostgreSQL as the single source of truth for a FreeSWITCH call-center cluster.",
            "Without a command, 'serve' runs.",
            "",
            "Database: DB_DSN (postgresql://, postgresql+asyncpg://, jdbc:postgresql://) or DB_HOST, DB_PORT,",
            "DB_NAME, DB_USER, DB_PASS; default postgres@127.0.0.1:5432/ominis, created if missing."
        })
public final class OminisCommand implements Runnable {

    @Override
    public void run() {
        // picocli prints usage for a command without a sub-command through Main's default of 'serve'
    }

    /** Reads the version from the jar manifest, falling back to "development". */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = OminisCommand.class.getPackage().getImplementationVersion();
            return new String[] {"ominis " + (v == null ? "development" : v)};
        }
    }
}
