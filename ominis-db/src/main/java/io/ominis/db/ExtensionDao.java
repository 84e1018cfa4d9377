package io.ominis.db;

import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.Page;
import io.ominis.core.RejectedRowsException;
import io.ominis.core.WireValue;
import io.ominis.core.directory.ConflictMode;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.ExtensionStatus;
import io.ominis.core.directory.ImportReport;
import io.ominis.core.directory.ImportRow;
import io.ominis.core.directory.RowProblem;
import io.ominis.db.internal.JsonColumns;
import io.ominis.db.internal.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Reads and writes SIP users ({@code extensions}). Every write validates first and is atomic; constraint violations
 * arrive as the typed exceptions of {@code io.ominis.core}.
 */
public final class ExtensionDao {

    /** The most rows one listing may return. */
    public static final int MAX_LIMIT = 1000;

    private static final String COLUMNS = """
            number, password, display_name, email, department, status,
            call_forwarding_json::text AS call_forwarding_json, voicemail_json::text AS voicemail_json,
            features_json::text AS features_json, created_at, updated_at""";

    private static final String INSERT = """
            INSERT INTO extensions (number, password, display_name, email, department, status,
                                    call_forwarding_json, voicemail_json, features_json)
            VALUES (:number, :password, :displayName, :email, :department, :status,
                    :callForwarding, :voicemail, :features)
            RETURNING""" + " " + COLUMNS;

    private static final String UPDATE = """
            UPDATE extensions
            SET password = :password, display_name = :displayName, email = :email, department = :department,
                status = :status, call_forwarding_json = :callForwarding, voicemail_json = :voicemail,
                features_json = :features
            WHERE number = :number
            RETURNING""" + " " + COLUMNS;

    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM extensions WHERE number = :number";

    private static final String FILTER = """
            WHERE (CAST(:status AS varchar) IS NULL OR status = :status)
              AND (CAST(:department AS varchar) IS NULL OR department = :department)
              AND (CAST(:pattern AS varchar) IS NULL
                   OR number ILIKE :pattern OR display_name ILIKE :pattern OR email ILIKE :pattern)
            """;

    private static final String LIST = "SELECT " + COLUMNS + " FROM extensions " + FILTER + """
              AND (CAST(:after AS varchar) IS NULL OR number > :after)
            ORDER BY number
            LIMIT :limit""";

    private static final String COUNT_MATCHING = "SELECT count(*) FROM extensions " + FILTER;

    /** Rows an import writes with one statement, and commits at once in the modes that commit as they go. */
    public static final int IMPORT_BATCH = 1000;

    private static final String IMPORT_ROWS = """
            INSERT INTO extensions (number, password, display_name, email, department, status,
                                    call_forwarding_json, voicemail_json, features_json)
            SELECT n, p, d, e, dep, s, CAST(cf AS jsonb), CAST(vm AS jsonb), CAST(f AS jsonb)
              FROM unnest(:numbers, :passwords, :names, :emails, :departments, :statuses, :forwarding, :voicemail,
                          :features) AS t(n, p, d, e, dep, s, cf, vm, f)
            """;

    private static final String IMPORT_NEW_ONLY = IMPORT_ROWS + """
             ON CONFLICT (number) DO NOTHING
            RETURNING number, true AS inserted""";

    private static final String IMPORT_OVERWRITE = IMPORT_ROWS + """
             ON CONFLICT (number) DO UPDATE
               SET password = EXCLUDED.password, display_name = EXCLUDED.display_name, email = EXCLUDED.email,
                   department = EXCLUDED.department, status = EXCLUDED.status,
                   call_forwarding_json = EXCLUDED.call_forwarding_json, voicemail_json = EXCLUDED.voicemail_json,
                   features_json = EXCLUDED.features_json
            RETURNING number, (xmax = 0) AS inserted""";

    private final Jdbi jdbi;
    private final JsonColumns json;

    ExtensionDao(Jdbi jdbi, JsonColumns json) {
        this.jdbi = jdbi;
        this.json = json;
    }

    /**
     * Which extensions to list. Null components mean "any".
     *
     * @param text  case-insensitive substring of number, display name or email
     * @param after continue after this number (the previous page's cursor)
     * @param limit rows per page, 1 to {@link #MAX_LIMIT}
     */
    public record Query(ExtensionStatus status, String department, String text, String after, int limit) {
        public Query {
            Rows.limit(limit, MAX_LIMIT);
        }

        /** The first {@code limit} extensions in number order. */
        public static Query first(int limit) {
            return new Query(null, null, null, null, limit);
        }
    }

    /** Stores a new extension and returns it as stored (with timestamps). */
    public Extension create(Extension extension) {
        Extension e = extension.validate();
        return SqlErrors.guard(() -> jdbi.withHandle(h -> insert(h, e)));
    }

    /**
     * Stores every extension or none. All rows are checked first (rules, duplicates within the batch, numbers already
     * taken) and every bad row is reported in one {@link RejectedRowsException}.
     */
    public List<Extension> createAll(List<Extension> extensions) {
        List<RejectedRowsException.RowError> errors = new ArrayList<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < extensions.size(); i++) {
            Extension e = extensions.get(i);
            try {
                e.validate();
                Integer earlier = firstIndex.putIfAbsent(e.number(), i);
                if (earlier != null) {
                    errors.add(new RejectedRowsException.RowError(i, "number", "duplicates row " + earlier));
                }
            } catch (InvalidValueException bad) {
                errors.add(new RejectedRowsException.RowError(i, bad.field(), bad.reason()));
            }
        }
        return SqlErrors.guard(() -> jdbi.inTransaction(h -> {
            Set<String> taken = new HashSet<>(h.createQuery("SELECT number FROM extensions WHERE number = ANY(:numbers)")
                    .bindArray("numbers", String.class, (Object[]) firstIndex.keySet().toArray(String[]::new))
                    .mapTo(String.class)
                    .list());
            for (String number : taken) {
                errors.add(new RejectedRowsException.RowError(firstIndex.get(number), "number", "already exists"));
            }
            if (!errors.isEmpty()) {
                errors.sort((a, b) -> Integer.compare(a.index(), b.index()));
                throw new RejectedRowsException(errors);
            }
            List<Extension> stored = new ArrayList<>(extensions.size());
            for (Extension e : extensions) {
                stored.add(insert(h, e));
            }
            return stored;
        }));
    }

    /**
     * Stores the rows of a bulk import under {@code mode}, reading them one batch at a time so that a source of any
     * length is never held in memory. {@link ConflictMode#FAIL} runs in one transaction and rolls it back if any row
     * has a problem or a taken number (the report then says {@code committed=false}); {@link ConflictMode#SKIP} and
     * {@link ConflictMode#UPDATE} commit every {@code batchSize} rows, so an interrupted import keeps the batches
     * before it and can simply be run again. A number repeated in the source behaves as if the earlier row were
     * already stored. Rows are written in number order within a batch, so concurrent imports cannot deadlock on
     * each other.
     *
     * @param changed  told every number written (after its batch committed, or after the whole import for
     *                 {@link ConflictMode#FAIL}), e.g. to flush FreeSWITCH's cache of it
     * @param progress told the running totals after every batch
     */
    public ImportReport importRows(Iterator<ImportRow> rows, ConflictMode mode, int batchSize,
            Consumer<String> changed, Consumer<ImportReport> progress) {
        Rows.limit(batchSize, 10_000);
        Tally tally = new Tally(mode);
        if (mode == ConflictMode.FAIL) {
            List<String> written = new ArrayList<>();
            boolean ok = SqlErrors.guard(() -> jdbi.inTransaction(h -> {
                importBatches(h, rows, batchSize, tally, written::addAll, progress);
                if (tally.failed > 0) {
                    h.rollback();
                    return false;
                }
                return true;
            }));
            if (!ok) {
                return tally.report(false);
            }
            written.forEach(changed);
            return tally.report(true);
        }
        SqlErrors.guard(() -> {
            importBatches(null, rows, batchSize, tally, numbers -> numbers.forEach(changed), progress);
            return null;
        });
        return tally.report(true);
    }

    /** Where the numbers an import wrote go; a named type so a batch hands over a whole list at once. */
    private interface Written {
        void acceptAll(List<String> numbers);
    }

    private void importBatches(Handle handle, Iterator<ImportRow> rows, int batchSize, Tally tally, Written written,
            Consumer<ImportReport> progress) {
        Map<String, ImportRow> batch = new HashMap<>();
        while (rows.hasNext()) {
            ImportRow row = rows.next();
            tally.rows++;
            if (row.problem() != null) {
                tally.problem(row.problem());
                continue;
            }
            if (batch.containsKey(row.extension().number()) || batch.size() >= batchSize) {
                flush(handle, batch, tally, written);
                progress.accept(tally.running());
            }
            batch.put(row.extension().number(), row);
        }
        if (!batch.isEmpty()) {
            flush(handle, batch, tally, written);
        }
        progress.accept(tally.running());
    }

    private void flush(Handle handle, Map<String, ImportRow> batch, Tally tally, Written written) {
        List<ImportRow> sorted = batch.values().stream()
                .sorted((a, b) -> a.extension().number().compareTo(b.extension().number()))
                .toList();
        batch.clear();
        List<String> stored = handle != null ? writeBatch(handle, sorted, tally)
                : jdbi.inTransaction(h -> writeBatch(h, sorted, tally));
        written.acceptAll(stored);
    }

    private List<String> writeBatch(Handle h, List<ImportRow> sorted, Tally tally) {
        int n = sorted.size();
        String[][] columns = new String[9][n];
        for (int i = 0; i < n; i++) {
            Extension e = sorted.get(i).extension();
            columns[0][i] = e.number();
            columns[1][i] = e.password();
            columns[2][i] = e.displayName();
            columns[3][i] = e.email();
            columns[4][i] = e.department();
            columns[5][i] = e.status().wire();
            columns[6][i] = text(e.callForwarding());
            columns[7][i] = text(e.voicemail());
            columns[8][i] = text(e.features());
        }
        String[] names = {"numbers", "passwords", "names", "emails", "departments", "statuses", "forwarding",
            "voicemail", "features"};
        var query = h.createQuery(tally.mode == ConflictMode.UPDATE ? IMPORT_OVERWRITE : IMPORT_NEW_ONLY);
        for (int c = 0; c < names.length; c++) {
            query.bindArray(names[c], String.class, (Object[]) columns[c]);
        }
        Map<String, Boolean> stored = new HashMap<>();
        query.map((rs, ctx) -> Map.entry(rs.getString("number"), rs.getBoolean("inserted")))
                .forEach(entry -> stored.put(entry.getKey(), entry.getValue()));
        for (ImportRow row : sorted) {
            Boolean inserted = stored.get(row.extension().number());
            if (inserted == null) {
                if (tally.mode == ConflictMode.SKIP) {
                    tally.skipped++;
                } else {
                    tally.problem(new RowProblem(row.line(), "number",
                            "is already taken (in the database or on an earlier line)"));
                }
            } else if (inserted) {
                tally.created++;
            } else {
                tally.updated++;
            }
        }
        return List.copyOf(stored.keySet());
    }

    private String text(com.fasterxml.jackson.databind.JsonNode node) {
        var value = json.jsonb(node);
        return value == null ? null : value.getValue();
    }

    /** Running totals of one import. */
    private static final class Tally {
        final ConflictMode mode;
        long rows;
        long created;
        long updated;
        long skipped;
        long failed;
        final List<RowProblem> problems = new ArrayList<>();

        Tally(ConflictMode mode) {
            this.mode = mode;
        }

        void problem(RowProblem problem) {
            failed++;
            if (problems.size() < ImportReport.MAX_PROBLEMS) {
                problems.add(problem);
            }
        }

        /** The totals so far; under {@link ConflictMode#FAIL} nothing is committed until the end. */
        ImportReport running() {
            return new ImportReport(mode, rows, created, updated, skipped, failed, problems, mode != ConflictMode.FAIL);
        }

        /** The final totals; a rolled-back import created and updated nothing. */
        ImportReport report(boolean committed) {
            List<RowProblem> sorted = new ArrayList<>(problems);
            sorted.sort((a, b) -> Long.compare(a.line(), b.line()));
            return committed ? new ImportReport(mode, rows, created, updated, skipped, failed, sorted, true)
                    : new ImportReport(mode, rows, 0, 0, 0, failed, sorted, false);
        }
    }

    /**
     * Hands every extension matching the filters to {@code sink} in number order, a page at a time from one
     * repeatable-read snapshot: the export is consistent however long it runs and never holds more than a page.
     */
    public void exportAll(ExtensionStatus status, String department, String text, Consumer<Extension> sink) {
        SqlErrors.guard(() -> jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            String after = null;
            do {
                Page<Extension, String> page = page(h, new Query(status, department, text, after, MAX_LIMIT));
                page.items().forEach(sink);
                after = page.next();
            } while (after != null);
            return null;
        }));
    }

    /** The extension with this number, if any. */
    public Optional<Extension> find(String number) {
        if (number == null || !Extension.NUMBER.matcher(number).matches()) {
            return Optional.empty();
        }
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(SELECT_ONE)
                .bind("number", number)
                .map(this::map)
                .findOne()));
    }

    /** The extension with this number. @throws NotFoundException when there is none */
    public Extension get(String number) {
        return find(number).orElseThrow(() -> new NotFoundException("extension", number));
    }

    /** Replaces every writable field of an existing extension. @throws NotFoundException when there is none */
    public Extension update(Extension extension) {
        Extension e = extension.validate();
        return SqlErrors.guard(() -> jdbi.withHandle(h -> bindAll(h.createQuery(UPDATE), e)
                .map(this::map)
                .findOne()))
                .orElseThrow(() -> new NotFoundException("extension", e.number()));
    }

    /**
     * Reads the extension, applies {@code change} and stores the result, all in one transaction holding the row lock,
     * so two concurrent partial updates cannot lose each other's fields. The number cannot be changed this way.
     *
     * @throws NotFoundException when there is no such extension
     */
    public Extension modify(String number, java.util.function.UnaryOperator<Extension> change) {
        return RowLock.modify(jdbi, h -> h.createQuery(SELECT_ONE + " FOR UPDATE")
                        .bind("number", number)
                        .map(this::map)
                        .findOne(),
                () -> new NotFoundException("extension", number), change, (h, current, changed) -> {
                    if (!current.number().equals(changed.number())) {
                        throw new InvalidValueException("number", "cannot be changed; create a new extension instead");
                    }
                    changed.validate();
                    return bindAll(h.createQuery(UPDATE), changed).map(this::map).one();
                });
    }

    /** Sets a new SIP password. @throws NotFoundException when there is no such extension */
    public Extension changePassword(String number, String newPassword) {
        return update(get(number).withPassword(newPassword));
    }

    /** Deletes the extension; returns whether it existed. */
    public boolean delete(String number) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM extensions WHERE number = :number")
                .bind("number", number)
                .execute())) > 0;
    }

    /** One page of extensions in number order; the page's cursor is the last number on it. */
    public Page<Extension, String> list(Query query) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> page(h, query)));
    }

    /** How many extensions match the filters of {@code query} (its cursor and limit play no part). */
    public long countMatching(Query query) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> filtered(h.createQuery(COUNT_MATCHING), query)
                .mapTo(Long.class)
                .one()));
    }

    private static org.jdbi.v3.core.statement.Query filtered(org.jdbi.v3.core.statement.Query statement, Query query) {
        String pattern = query.text() == null || query.text().isEmpty() ? null
                : "%" + query.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return statement
                .bind("status", query.status() == null ? null : query.status().wire())
                .bind("department", query.department())
                .bind("pattern", pattern);
    }

    private Page<Extension, String> page(Handle h, Query query) {
        List<Extension> rows = filtered(h.createQuery(LIST), query)
                .bind("after", query.after())
                .bind("limit", query.limit() + 1)
                .map(this::map)
                .list();
        if (rows.size() > query.limit()) {
            List<Extension> page = rows.subList(0, query.limit());
            return new Page<>(page, page.get(page.size() - 1).number());
        }
        return new Page<>(rows, null);
    }

    /** How many extensions there are, optionally of one status. */
    public long count(ExtensionStatus status) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM extensions WHERE (CAST(:status AS varchar) IS NULL OR status = :status)")
                .bind("status", status == null ? null : status.wire())
                .mapTo(Long.class)
                .one()));
    }

    private Extension insert(Handle h, Extension e) {
        return bindAll(h.createQuery(INSERT), e).map(this::map).one();
    }

    private <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindAll(S statement, Extension e) {
        return statement
                .bind("number", e.number())
                .bind("password", e.password())
                .bind("displayName", e.displayName())
                .bind("email", e.email())
                .bind("department", e.department())
                .bind("status", e.status().wire())
                .bind("callForwarding", json.jsonb(e.callForwarding()))
                .bind("voicemail", json.jsonb(e.voicemail()))
                .bind("features", json.jsonb(e.features()));
    }

    private Extension map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Extension(
                rs.getString("number"),
                rs.getString("password"),
                rs.getString("display_name"),
                rs.getString("email"),
                rs.getString("department"),
                WireValue.parse(ExtensionStatus.class, rs.getString("status"), "status"),
                json.tree(rs.getString("call_forwarding_json")),
                json.tree(rs.getString("voicemail_json")),
                json.tree(rs.getString("features_json")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
