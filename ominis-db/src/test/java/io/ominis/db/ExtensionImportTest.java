package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.core.directory.ConflictMode;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.ExtensionCsv;
import io.ominis.core.directory.ExtensionIntake;
import io.ominis.core.directory.ImportReport;
import io.ominis.core.directory.ImportRow;
import io.ominis.core.directory.PasswordPolicy;
import io.ominis.testing.OminisDatabase;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExtensionImportTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final String HEADER = "number,password,display_name,status,voicemail_json\n";
    private static final String GOOD = "Good-Pass-1234";

    private final ExtensionCsv csv = new ExtensionCsv(new ExtensionIntake(PasswordPolicy.DEFAULT), new ObjectMapper());
    private ExtensionDao extensions;

    @BeforeEach
    void clean() throws SQLException {
        extensions = Database.create(db.dataSource()).extensions();
        sql("DELETE FROM extensions");
    }

    private ImportReport run(String text, ConflictMode mode, int batch, List<String> changed) {
        return extensions.importRows(csv.rows(new StringReader(text)), mode, batch, changed::add, r -> { });
    }

    @Test
    void failModeWritesNothingWhenAnyRowIsBadAndReportsEveryProblemByLineAndField() throws SQLException {
        extensions.create(Extension.of("1005", GOOD));
        String text = HEADER
                + "1001," + GOOD + ",Ann,active,\n"
                + "1002,short,Bob,active,\n"                       // line 3: password policy
                + "1003," + GOOD + ",Cy,sleeping,\n"               // line 4: status
                + "\"1004\"," + GOOD + ",\"Dee\nSecond\",active,\n" // line 5: display name spans two lines
                + "1005," + GOOD + ",Taken,active,\n"              // line 7: number exists
                + "1006," + GOOD + ",Ed,active,[1]\n"              // line 8: not a JSON object
                + "1007," + GOOD + ",Fay,active\n";                // line 9: too few fields
        List<String> changed = new ArrayList<>();
        ImportReport report = run(text, ConflictMode.FAIL, 2, changed);

        assertThat(report.committed()).isFalse();
        assertThat(report.rows()).isEqualTo(7);
        assertThat(report.created()).isZero();
        assertThat(report.problems()).extracting(p -> p.line() + " " + p.field()).containsExactly(
                "3 password", "4 status", "5 display_name", "7 number", "8 voicemail_json", "9 csv");
        assertThat(report.problems().get(0).message()).doesNotContain("short");
        assertThat(count()).isEqualTo(1);
        assertThat(changed).isEmpty();
    }

    @Test
    void failModeCommitsEverythingWhenEveryRowIsGood() throws SQLException {
        List<String> changed = new ArrayList<>();
        ImportReport report = run(HEADER + "1001," + GOOD + ",Ann,,\"{\"\"enabled\"\":true}\"\n1002," + GOOD + ",,inactive,\n",
                ConflictMode.FAIL, 1, changed);
        assertThat(report.committed()).isTrue();
        assertThat(report.created()).isEqualTo(2);
        assertThat(changed).containsExactlyInAnyOrder("1001", "1002");
        assertThat(extensions.get("1001").voicemail().get("enabled").asBoolean()).isTrue();
        assertThat(extensions.get("1002").status().wire()).isEqualTo("inactive");
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void skipLeavesTakenNumbersAloneAndUpdateOverwritesThem() {
        extensions.create(Extension.of("1001", GOOD));
        String text = HEADER + "1001," + GOOD + "x,New Name,suspended,\n1002," + GOOD + ",Bob,,\n1002," + GOOD
                + ",Bob again,,\nbad number!," + GOOD + ",,,\n";

        ImportReport skip = run(text, ConflictMode.SKIP, 1000, new ArrayList<>());
        assertThat(skip.committed()).isTrue();
        assertThat(List.of(skip.rows(), skip.created(), skip.skipped(), skip.updated(), skip.failed()))
                .containsExactly(4L, 1L, 2L, 0L, 1L);
        assertThat(skip.problems()).extracting(p -> p.line() + " " + p.field()).containsExactly("5 number");
        assertThat(extensions.get("1001").displayName()).isNull();
        assertThat(extensions.get("1002").displayName()).isEqualTo("Bob");

        List<String> changed = new ArrayList<>();
        ImportReport update = run(text, ConflictMode.UPDATE, 1000, changed);
        assertThat(List.of(update.created(), update.updated(), update.skipped(), update.failed()))
                .containsExactly(0L, 3L, 0L, 1L);
        Extension updated = extensions.get("1001");
        assertThat(updated.displayName()).isEqualTo("New Name");
        assertThat(updated.password()).isEqualTo(GOOD + "x");
        assertThat(updated.status().wire()).isEqualTo("suspended");
        assertThat(extensions.get("1002").displayName()).isEqualTo("Bob again");
        assertThat(changed).contains("1001", "1002");
    }

    @Test
    void streamsALargeSourceInBatchesReportingProgressWithoutHoldingIt() throws SQLException {
        int total = 25_000;
        Reader generated = new Reader() {
            private int row = -1;
            private String current = "";
            private int at;

            @Override
            public int read(char[] buf, int off, int len) {
                if (at == current.length()) {
                    row++;
                    if (row > total) {
                        return -1;
                    }
                    current = row == 0 ? "number,password\n" : "u" + row + "," + GOOD + "\n";
                    at = 0;
                }
                int n = Math.min(len, current.length() - at);
                current.getChars(at, at + n, buf, off);
                at += n;
                return n;
            }

            @Override
            public void close() {
            }
        };
        List<ImportReport> progress = new ArrayList<>();
        Iterator<ImportRow> rows = csv.rows(generated);
        ImportReport report = extensions.importRows(rows, ConflictMode.SKIP, ExtensionDao.IMPORT_BATCH, n -> { },
                progress::add);
        assertThat(report.created()).isEqualTo(total);
        assertThat(count()).isEqualTo(total);
        assertThat(progress).hasSizeGreaterThanOrEqualTo(total / ExtensionDao.IMPORT_BATCH);
        assertThat(progress).extracting(ImportReport::created).isSorted();
    }

    @Test
    void concurrentImportsOfOverlappingNumbersCreateEachOnceAndAgreeOnTheCounts() throws Exception {
        StringBuilder forward = new StringBuilder("number,password\n");
        StringBuilder backward = new StringBuilder("number,password\n");
        for (int i = 0; i < 3000; i++) {
            forward.append("c").append(i).append(',').append(GOOD).append('\n');
            backward.append("c").append(2999 - i).append(',').append(GOOD).append('\n');
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<ImportReport>> jobs = List.of(
                    () -> run(forward.toString(), ConflictMode.SKIP, 500, new ArrayList<>()),
                    () -> run(backward.toString(), ConflictMode.SKIP, 500, new ArrayList<>()),
                    () -> run(forward.toString(), ConflictMode.UPDATE, 700, new ArrayList<>()),
                    () -> run(backward.toString(), ConflictMode.UPDATE, 300, new ArrayList<>()));
            long created = 0;
            for (Future<ImportReport> f : pool.invokeAll(jobs)) {
                ImportReport r = f.get();
                assertThat(r.failed()).isZero();
                assertThat(r.created() + r.updated() + r.skipped()).isEqualTo(3000);
                created += r.created();
            }
            assertThat(created).isEqualTo(3000);
            assertThat(count()).isEqualTo(3000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailModeImportRacingAnotherWriterRollsBackWhenItLosesANumber() throws Exception {
        StringBuilder text = new StringBuilder("number,password\n");
        for (int i = 0; i < 2000; i++) {
            text.append("r").append(i).append(',').append(GOOD).append('\n');
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<ImportReport> importing = pool.submit(() -> run(text.toString(), ConflictMode.FAIL, 100,
                    new ArrayList<>()));
            Future<Boolean> single = pool.submit(() -> {
                try {
                    extensions.create(Extension.of("r1999", GOOD));
                    return true;
                } catch (io.ominis.core.AlreadyExistsException lost) {
                    return false;
                }
            });
            ImportReport report = importing.get();
            boolean singleWon = single.get();
            if (singleWon) {
                assertThat(report.committed()).isFalse();
                assertThat(report.problems()).extracting(p -> p.line() + " " + p.field())
                        .containsExactly("2001 number");
                assertThat(count()).isEqualTo(1);
            } else {
                assertThat(report.committed()).isTrue();
                assertThat(count()).isEqualTo(2000);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void exportWalksEveryMatchingRowInNumberOrder() {
        StringBuilder text = new StringBuilder("number,password\n");
        for (int i = 0; i < 2500; i++) {
            text.append(String.format("%05d", i)).append(',').append(GOOD).append('\n');
        }
        assertThat(run(text.toString(), ConflictMode.FAIL, 1000, new ArrayList<>()).created()).isEqualTo(2500);
        List<String> seen = new ArrayList<>();
        extensions.exportAll(null, null, null, e -> seen.add(e.number()));
        assertThat(seen).hasSize(2500).isSorted();
        List<String> some = new ArrayList<>();
        extensions.exportAll(null, null, "0249", e -> some.add(e.number()));
        assertThat(some).containsExactly("00249", "02490", "02491", "02492", "02493", "02494", "02495", "02496", "02497",
                "02498", "02499");
    }

    private static long count() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM extensions")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
