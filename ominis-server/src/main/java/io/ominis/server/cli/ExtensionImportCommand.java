package io.ominis.server.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.OminisException;
import io.ominis.core.WireValue;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.core.directory.ConflictMode;
import io.ominis.core.directory.ExtensionCsv;
import io.ominis.core.directory.ExtensionIntake;
import io.ominis.core.directory.ImportReport;
import io.ominis.core.directory.PasswordPolicy;
import io.ominis.core.directory.RowProblem;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Database;
import io.ominis.db.ExtensionDao;
import io.ominis.api.rest.JsonBodies;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code extensions import FILE}: streams a CSV file of any size into {@code extensions} in batches, printing a
 * progress line as it goes and every row left out by line, field and reason. Exit 0 when every row was written, 1 when
 * some were left out (skip, update), 2 when nothing was written (fail mode, a broken header, the database).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {
            "Import extensions from a CSV file ('-' reads standard input); the first line names the columns:",
            "number,password,display_name,email,department,status,call_forwarding_json,voicemail_json,features_json",
            "(number and password required, any order). Passwords meet OMINIS_SIP_PASSWORD_MIN_LENGTH/_CLASSES.",
            "--mode fail (default): one transaction, nothing written if any row fails.",
            "--mode skip / update: taken numbers left alone / overwritten; committed every --batch rows."
        })
public final class ExtensionImportCommand implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the CSV file, UTF-8; '-' for standard input")
    private String file;

    @Option(names = "--mode", defaultValue = "fail", description = "fail, skip or update (default: ${DEFAULT-VALUE})")
    private String mode;

    @Option(names = "--batch", defaultValue = "" + ExtensionDao.IMPORT_BATCH,
            description = "rows per statement and, in skip and update, per commit (default: ${DEFAULT-VALUE})")
    private int batch;

    @Option(names = "--progress-interval-ms", defaultValue = "1000",
            description = "least time between two progress lines (default: ${DEFAULT-VALUE})")
    private long progressInterval;

    public ExtensionImportCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ConflictMode conflicts = WireValue.parse(ConflictMode.class, mode, "--mode");
            if (batch < 1 || batch > 10_000) {
                err.println("ominis extensions import: --batch must be 1 to 10000");
                return 2;
            }
            ExtensionCsv csv = new ExtensionCsv(new ExtensionIntake(PasswordPolicy.fromEnvironment(env)),
                    JsonBodies.apiMapper());
            DatabaseSettings database = DatabaseSettings.fromEnvironment(env);
            try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file));
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8
                            .newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
                    HikariDataSource pool = ConnectionPool.open(database.withPoolSize(2))) {
                err.println("importing " + file + " into " + database.describe() + ", mode " + conflicts.wire());
                long started = System.nanoTime();
                long[] lastLine = {started};
                ImportReport report = Database.create(pool).extensions()
                        .storing(io.ominis.core.directory.SipPasswordStorage.fromEnvironment(env))
                        .importRows(csv.rows(reader), conflicts,
                        batch, number -> { }, running -> {
                            long now = System.nanoTime();
                            if (now - lastLine[0] >= progressInterval * 1_000_000L) {
                                lastLine[0] = now;
                                err.println(progress(running, now - started));
                            }
                        });
                err.println(progress(report, System.nanoTime() - started));
                for (RowProblem p : report.problems()) {
                    out.println("line " + p.line() + ": " + p.field() + ": " + p.message());
                }
                if (report.failed() > report.problems().size()) {
                    out.println("… and " + (report.failed() - report.problems().size()) + " more row(s) left out");
                }
                if (!report.committed()) {
                    out.println("Nothing written: " + report.failed() + " row(s) refused (mode fail)");
                    return 2;
                }
                out.printf("Done: %d row(s) read, %d created, %d updated, %d skipped, %d left out%n", report.rows(),
                        report.created(), report.updated(), report.skipped(), report.failed());
                return report.failed() > 0 ? 1 : 0;
            }
        } catch (OminisException e) {
            err.println("ominis extensions import: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            err.println("ominis extensions import: cannot read " + file + ": " + e.getMessage());
            return 2;
        }
    }

    private static String progress(ImportReport r, long nanos) {
        double seconds = Math.max(nanos / 1e9, 0.001);
        return String.format("  %,d row(s) read: %,d created, %,d updated, %,d skipped, %,d left out (%.1f s, %,.0f rows/s)%s",
                r.rows(), r.created(), r.updated(), r.skipped(), r.failed(), seconds, r.rows() / seconds,
                r.committed() ? "" : ", not committed yet");
    }
}
