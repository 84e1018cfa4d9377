package io.ominis.server.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.OminisException;
import io.ominis.core.WireValue;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.core.csv.CsvWriter;
import io.ominis.core.directory.ExtensionCsv;
import io.ominis.core.directory.ExtensionIntake;
import io.ominis.core.directory.ExtensionStatus;
import io.ominis.core.directory.PasswordPolicy;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Database;
import io.ominis.api.rest.JsonBodies;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code extensions export}: writes every extension (or those matching the filters) as CSV from one consistent
 * snapshot, a page at a time, without passwords, in the columns {@code extensions import} reads back.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export extensions as CSV (never their passwords), from one snapshot, in number order.")
public final class ExtensionExportCommand implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", description = "file to write (default: standard output)")
    private Path outFile;

    @Option(names = "--status", description = "only this status: active, inactive or suspended")
    private String status;

    @Option(names = "--department", description = "only this department")
    private String department;

    @Option(names = "--q", description = "only those with this text in number, display name or email")
    private String text;

    public ExtensionExportCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            ExtensionStatus only = status == null ? null : WireValue.parse(ExtensionStatus.class, status, "--status");
            ExtensionCsv csv = new ExtensionCsv(new ExtensionIntake(PasswordPolicy.DEFAULT), JsonBodies.apiMapper());
            DatabaseSettings database = DatabaseSettings.fromEnvironment(env);
            try (HikariDataSource pool = ConnectionPool.open(database.withPoolSize(2))) {
                long[] rows = {0};
                if (outFile == null) {
                    PrintWriter out = spec.commandLine().getOut();
                    write(pool, only, csv, out, rows);
                    out.flush();
                } else {
                    try (OutputStream file = Files.newOutputStream(outFile);
                            Writer out = new BufferedWriter(new OutputStreamWriter(file, StandardCharsets.UTF_8))) {
                        write(pool, only, csv, out, rows);
                    }
                }
                err.println("exported " + rows[0] + " extension(s)" + (outFile == null ? "" : " to " + outFile));
                return 0;
            }
        } catch (OminisException e) {
            err.println("ominis extensions export: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            err.println("ominis extensions export: cannot write " + outFile + ": " + e.getMessage());
            return 2;
        }
    }

    private void write(HikariDataSource pool, ExtensionStatus only, ExtensionCsv csv, Writer out, long[] rows) {
        CsvWriter writer = new CsvWriter(out);
        writer.row(ExtensionCsv.exportHeader());
        Database.create(pool).extensions().exportAll(only, department, text, e -> {
            writer.row(csv.exportRow(e));
            rows[0]++;
        });
    }
}
