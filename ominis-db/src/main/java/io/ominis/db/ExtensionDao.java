package io.ominis.db;

import io.ominis.core.ConflictException;
import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.Page;
import io.ominis.core.RejectedRowsException;
import io.ominis.core.WireValue;
import io.ominis.core.directory.A1Hash;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.ExtensionStatus;
import io.ominis.core.directory.SipPasswordStorage;
import io.ominis.core.directory.SipUser;
import io.ominis.core.directory.ConflictMode;
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
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Reads and writes SIP users ({@code extensions}). Every write validates first and is atomic; constraint violations
 * arrive as the typed exceptions of {@code io.ominis.core}. A password written is kept as {@link #storage()} says:
 * in plain text, or ({@link SipPasswordStorage#A1_HASH}) only as {@link A1Hash}es for every served domain, in the
 * same transaction; a write without a password keeps the stored credentials as they are.
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

    /** The same without the password: the stored credentials stay. */
    private static final String UPDATE_KEEPING_CREDENTIALS = """
            UPDATE extensions
            SET display_name = :displayName, email = :email, department = :department,
                status = :status, call_forwarding_json = :callForwarding, voicemail_json = :voicemail,
                features_json = :features
            WHERE number = :number
            RETURNING""" + " " + COLUMNS;

    /** What the directory serves of one user, read over plain JDBC (see {@link JdbcReads}): positional parameter. */
    private static final String SELECT_SIP_USER = """
            SELECT password, display_name, email, department, status,
                   call_forwarding_json::text, voicemail_json::text, features_json::text,
                   ARRAY(SELECT realm || ' ' || a1_hash FROM extension_a1_hashes h WHERE h.number = e.number)
              FROM extensions e
             WHERE number = ?""";

    /** Key-share locked, so a domain cannot be deleted between reading it and hashing for it. */
    private static final String SERVED_REALMS = "SELECT name FROM domains ORDER BY name FOR KEY SHARE";

    private static final String INSERT_HASH =
            "INSERT INTO extension_a1_hashes (number, realm, a1_hash) VALUES (:number, :realm, :hash)";

    /** The name the directory lookup's metrics carry. */
    private static final String SIP_USER_QUERY = "ExtensionDao.findSipUser";

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
    private final JdbcReads reads;
    private final SipPasswordStorage storage;

    ExtensionDao(Jdbi jdbi, JsonColumns json, JdbcReads reads) {
        this(jdbi, json, reads, SipPasswordStorage.PLAIN);
    }

    private ExtensionDao(Jdbi jdbi, JsonColumns json, JdbcReads reads, SipPasswordStorage storage) {
        this.jdbi = jdbi;
        this.json = json;
        this.reads = reads;
        this.storage = java.util.Objects.requireNonNull(storage, "storage");
    }

    /** This DAO writing passwords as {@code storage} says ({@code OMINIS_SIP_PASSWORD_STORAGE}). */
    public ExtensionDao storing(SipPasswordStorage storage) {
        return storage == this.storage ? this : new ExtensionDao(jdbi, json, reads, storage);
    }

    /** How this DAO keeps the passwords it writes. */
    public SipPasswordStorage storage() {
        return storage;
    }

    /**
     * What {@link #hashStoredPasswords} did or, on a dry run, would do.
     *
     * @param realms  the served domains hashed for
     * @param numbers the extensions whose password was (or would be) replaced by hashes, in number order
     * @param dryRun  whether nothing was changed
     */
    public record PasswordHashing(List<String> realms, List<String> numbers, boolean dryRun) {
        /** Copies the lists. */
        public PasswordHashing {
            realms = List.copyOf(realms);
            numbers = List.copyOf(numbers);
        }
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
        FieldCheck.required("password", e.password(), 255);
        return SqlErrors.guard(() -> jdbi.inTransaction(h -> insert(h, e)));
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
                FieldCheck.required("password", e.password(), 255);
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
            // in the a1-hash storage the row keeps no password: keepCredentials below hashes it per served realm
            columns[1][i] = storage == SipPasswordStorage.A1_HASH ? null : e.password();
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
            } else {
                keepCredentials(h, row.extension().number(), row.extension().password());
                if (inserted) {
                    tally.created++;
                } else {
                    tally.updated++;
                }
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

    /**
     * The extension with this number and the digest hashes kept for it, as the directory serves it; empty when there
     * is no such extension. Its timestamps are not read: the directory does not serve them.
     */
    public Optional<SipUser> findSipUser(String number) {
        return findStoredSipUser(number).map(this::sipUser);
    }

    /**
     * The user with this number as its row holds it, for a cache that keeps many: see {@link StoredSipUser}. Read over
     * plain JDBC, the hottest query of a directory with a cold cache.
     */
    public Optional<StoredSipUser> findStoredSipUser(String number) {
        return findStored(number, null);
    }

    /**
     * As {@link #findStoredSipUser(String)}, giving up once {@code within} has passed, waiting for a pooled connection
     * included, on the caller's thread: for a request that must be answered within a bound (FreeSWITCH holds a SIP
     * thread for it) without handing the lookup to another thread.
     *
     * @throws io.ominis.core.UnavailableException when the bound passed or the database failed
     */
    public Optional<StoredSipUser> findStoredSipUser(String number, java.time.Duration within) {
        return findStored(number, java.util.Objects.requireNonNull(within, "within"));
    }

    /** The lookup, bounded by {@code within} unless it is null. */
    private Optional<StoredSipUser> findStored(String number, java.time.Duration within) {
        if (number == null || !Extension.NUMBER.matcher(number).matches()) {
            return Optional.empty();
        }
        JdbcReads.Binder bind = st -> st.setString(1, number);
        JdbcReads.Reader<Optional<StoredSipUser>> read =
                rows -> rows.next() ? Optional.of(stored(number, rows)) : Optional.empty();
        return within == null ? reads.query(SIP_USER_QUERY, SELECT_SIP_USER, bind, read)
                : reads.query(SIP_USER_QUERY, SELECT_SIP_USER, bind, read, within);
    }

    /** Parses a stored user's JSON settings and hashes into the {@link SipUser} that answers are rendered from. */
    public SipUser sipUser(StoredSipUser stored) {
        Map<String, String> hashes = new HashMap<>();
        for (String pair : stored.a1Hashes()) {
            int space = pair.indexOf(' ');
            hashes.put(pair.substring(0, space), pair.substring(space + 1));
        }
        return new SipUser(new Extension(stored.number(), stored.password(), stored.displayName(), stored.email(),
                stored.department(), stored.status(), json.tree(stored.callForwardingJson()),
                json.tree(stored.voicemailJson()), json.tree(stored.featuresJson()), null, null), hashes);
    }

    /** The row of {@code number}; the number is the one asked for (equal to the column), already held by the caller. */
    private static StoredSipUser stored(String number, ResultSet rows) throws SQLException {
        return new StoredSipUser(number, rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                WireValue.parse(ExtensionStatus.class, rows.getString(5), "status"), rows.getString(6),
                rows.getString(7), rows.getString(8), List.of((String[]) rows.getArray(9).getArray()));
    }

    /** The extension with this number. @throws NotFoundException when there is none */
    public Extension get(String number) {
        return find(number).orElseThrow(() -> new NotFoundException("extension", number));
    }

    /** Replaces every writable field of an existing extension. @throws NotFoundException when there is none */
    public Extension update(Extension extension) {
        Extension e = extension.validate();
        return SqlErrors.guard(() -> jdbi.inTransaction(h -> store(h, e)))
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
                    return store(h, changed).orElseThrow();
                });
    }

    /**
     * Replaces every stored password by its {@link A1Hash} for each served domain and clears it, in one transaction
     * (rows locked, so concurrent writers queue up and a second run finds nothing left); with {@code dryRun} only
     * reports what it would do. Rows already without a password are left alone; their hashes stay as they are.
     *
     * @throws ConflictException when no domain is served: there is no realm to hash for
     */
    public PasswordHashing hashStoredPasswords(boolean dryRun) {
        return SqlErrors.guard(() -> jdbi.inTransaction(h -> {
            List<String> realms = h.createQuery(dryRun ? "SELECT name FROM domains ORDER BY name" : SERVED_REALMS)
                    .mapTo(String.class).list();
            if (realms.isEmpty()) {
                throw new ConflictException("no domain is served, so there is no realm to hash passwords for; add the"
                        + " domains first (POST /v1/domains or OMINIS_DOMAINS)");
            }
            List<Map.Entry<String, String>> rows = h.createQuery("SELECT number, password FROM extensions"
                            + " WHERE password IS NOT NULL ORDER BY number" + (dryRun ? "" : " FOR UPDATE"))
                    .map((rs, ctx) -> Map.entry(rs.getString("number"), rs.getString("password")))
                    .list();
            if (!dryRun && !rows.isEmpty()) {
                PreparedBatch clear = h.prepareBatch("DELETE FROM extension_a1_hashes WHERE number = :number");
                rows.forEach(r -> clear.bind("number", r.getKey()).add());
                clear.execute();
                PreparedBatch insert = h.prepareBatch(INSERT_HASH);
                for (Map.Entry<String, String> r : rows) {
                    for (String realm : realms) {
                        insert.bind("number", r.getKey()).bind("realm", realm)
                                .bind("hash", A1Hash.of(r.getKey(), realm, r.getValue())).add();
                    }
                }
                insert.execute();
                PreparedBatch forget = h.prepareBatch("UPDATE extensions SET password = NULL WHERE number = :number");
                rows.forEach(r -> forget.bind("number", r.getKey()).add());
                forget.execute();
            }
            return new PasswordHashing(realms, rows.stream().map(Map.Entry::getKey).toList(), dryRun);
        }));
    }

    /** Updates the row (keeping its credentials when {@code e} has no password); empty when there is no such row. */
    private Optional<Extension> store(Handle h, Extension e) {
        if (e.password() == null) {
            return bindAll(h.createQuery(UPDATE_KEEPING_CREDENTIALS), e).map(this::map).findOne();
        }
        Optional<Extension> stored = bindAll(h.createQuery(UPDATE), e).map(this::map).findOne();
        stored.ifPresent(x -> keepCredentials(h, e.number(), e.password()));
        return stored;
    }

    /**
     * Keeps {@code password} as {@link #storage} says, after the row itself was written (with a NULL password in the
     * a1-hash storage): hashes of an earlier password are always dropped.
     */
    private void keepCredentials(Handle h, String number, String password) {
        h.createUpdate("DELETE FROM extension_a1_hashes WHERE number = :number").bind("number", number).execute();
        if (storage != SipPasswordStorage.A1_HASH) {
            return;
        }
        List<String> realms = h.createQuery(SERVED_REALMS).mapTo(String.class).list();
        if (realms.isEmpty()) {
            throw new ConflictException("password: no domain is served, so there is no realm to hash it for"
                    + " (OMINIS_SIP_PASSWORD_STORAGE=a1-hash); add a domain first (POST /v1/domains)");
        }
        PreparedBatch insert = h.prepareBatch(INSERT_HASH);
        for (String realm : realms) {
            insert.bind("number", number).bind("realm", realm).bind("hash", A1Hash.of(number, realm, password)).add();
        }
        insert.execute();
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
        Extension stored = bindAll(h.createQuery(INSERT), e).map(this::map).one();
        keepCredentials(h, e.number(), e.password());
        return stored;
    }

    private <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindAll(S statement, Extension e) {
        return statement
                .bind("number", e.number())
                .bind("password", storage == SipPasswordStorage.A1_HASH ? null : e.password())
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
