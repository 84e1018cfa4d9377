package io.ominis.api.rest;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.Page;
import io.ominis.core.RejectedRowsException;
import io.ominis.core.WireValue;
import io.ominis.core.csv.CsvReader;
import io.ominis.core.csv.CsvWriter;
import io.ominis.core.directory.ConflictMode;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.ExtensionCsv;
import io.ominis.core.directory.ExtensionIntake;
import io.ominis.core.directory.ImportRefusedException;
import io.ominis.core.directory.ImportReport;
import io.ominis.core.directory.PasswordPolicy;
import io.ominis.core.directory.RowProblem;
import io.ominis.core.directory.ExtensionStatus;
import io.ominis.db.ExtensionDao;
import io.javalin.http.HttpResponseException;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code /v1/extensions}: the SIP directory. Passwords are write-only: accepted on create, PUT and PATCH, never
 * returned, and kept as the DAO's storage says (plain, or only digest hashes, which are never shown either). A write
 * without a password keeps the stored credentials. Changes reach FreeSWITCH through the directory cache's change
 * notifications.
 */
public final class ExtensionRoutes {

    /** Most rows one bulk create may carry. */
    public static final int MAX_BULK = 1000;

    /** Most data rows one CSV import over the API may carry; larger files go through {@code ominis extensions import}. */
    public static final int MAX_CSV_ROWS = 10_000;

    /** The media type of CSV bodies, in and out. */
    public static final String CSV = "text/csv";

    /**
     * An extension as clients send it. On PUT, an absent password keeps the current one.
     */
    @NullMarked
    public record ExtensionInput(
            String number,
            @Nullable String password,
            @Nullable String displayName,
            @Nullable String email,
            @Nullable String department,
            @OneOf(ExtensionStatus.class) @Nullable String status,
            @Nullable JsonNode callForwardingJson,
            @Nullable JsonNode voicemailJson,
            @Nullable JsonNode featuresJson) {
    }

    /** An extension as the API shows it: everything but the password. */
    @NullMarked
    public record ExtensionView(
            String number,
            @Nullable String displayName,
            @Nullable String email,
            @Nullable String department,
            @OneOf(ExtensionStatus.class) String status,
            @Nullable JsonNode callForwardingJson,
            @Nullable JsonNode voicemailJson,
            @Nullable JsonNode featuresJson,
            Instant createdAt,
            Instant updatedAt) {

        static ExtensionView of(Extension e) {
            return new ExtensionView(e.number(), e.displayName(), e.email(), e.department(), e.status().wire(),
                    e.callForwarding(), e.voicemail(), e.features(), e.createdAt(), e.updatedAt());
        }
    }

    /**
     * One page of extensions; pass {@code next_cursor} back as {@code cursor} for the next. {@code total} counts every
     * match (not only this page) and is there only when asked for with {@code total=true}, since it costs a count.
     */
    @NullMarked
    public record ExtensionPage(List<ExtensionView> items, @Nullable String nextCursor, @Nullable Long total) {
    }

    /**
     * What a CSV import did; {@code errors} lists the first {@value ImportReport#MAX_PROBLEMS} rows left out, by line.
     */
    @NullMarked
    public record ImportResult(String mode, long rows, long created, long updated, long skipped, long failed,
            List<RowProblem> errors) {

        static ImportResult of(ImportReport r) {
            return new ImportResult(r.mode().wire(), r.rows(), r.created(), r.updated(), r.skipped(), r.failed(),
                    r.problems());
        }
    }

    private final ExtensionDao extensions;
    private final JsonBodies bodies;
    private final Consumer<String> changed;
    private final ETags etags;
    private final PasswordPolicy passwords;
    private final ExtensionIntake intake;
    private final ExtensionCsv csv;

    /**
     * @param changed told the number of every extension written, e.g. to flush FreeSWITCH's own cache of it
     */
    public ExtensionRoutes(ExtensionDao extensions, JsonBodies bodies, Consumer<String> changed) {
        this(extensions, bodies, changed, PasswordPolicy.DEFAULT);
    }

    /** @param passwords what a password set through the API must meet ({@code OMINIS_SIP_PASSWORD_*}) */
    public ExtensionRoutes(ExtensionDao extensions, JsonBodies bodies, Consumer<String> changed,
            PasswordPolicy passwords) {
        this.passwords = passwords;
        this.intake = new ExtensionIntake(passwords);
        this.csv = new ExtensionCsv(intake, JsonBodies.apiMapper());
        this.extensions = extensions;
        this.bodies = bodies;
        this.changed = changed;
        this.etags = new ETags(bodies);
    }

    public void register(ApiRouter router) {
        String tag = "extensions";
        router.add(Operation.json(GET, "/v1/extensions", tag,
                        "List extensions (keyset pages); with Accept: text/csv, every match as CSV without passwords",
                        ExtensionPage.class)
                .query("status", ExtensionStatus.class, "the extension status")
                .query("department", "string", "exact department")
                .query("q", "string", "case-insensitive text in number, display name or email")
                .query("limit", "integer", "rows per page, 1-" + ExtensionDao.MAX_LIMIT + ", default 100")
                .query("cursor", "string", "next_cursor of the previous page")
                .query("total", "boolean", "true adds total, the count of every match")
                .orAnswers(CSV, "every match (no paging), UTF-8, header row first; columns "
                        + String.join(",", ExtensionCsv.EXPORT_COLUMNS) + " (passwords are never exported)"),
                this::list);
        router.add(Operation.json(POST, "/v1/extensions", tag,
                        "Create an extension, or several at once (all or nothing) from a JSON array", ExtensionView.class)
                .withRequest(ExtensionInput.class).orRequestList().status(201).errors(409), this::create);
        router.add(Operation.json(POST, "/v1/extensions/import", tag,
                        "Import extensions from a text/csv body (header row first; at most " + MAX_CSV_ROWS
                                + " rows and 1 MiB); mode fail writes nothing if any row fails", ImportResult.class)
                .query("mode", "string", "fail (default), skip or update: what a taken number does")
                .withTextRequest(CSV, "UTF-8; a header row naming columns in any order from "
                        + String.join(",", ExtensionCsv.COLUMNS) + " (number and password required), then one"
                        + " extension a row (an empty cell is an absent value; the JSON columns hold objects as text),"
                        + " at most " + MAX_CSV_ROWS + " rows and 1 MiB")
                .errors(413, 415), this::importCsv);
        router.add(Operation.json(GET, "/v1/extensions/{number}", tag, "Get an extension", ExtensionView.class)
                .errors(404), this::get);
        router.add(Operation.json(PUT, "/v1/extensions/{number}", tag,
                        "Replace an extension (an absent password keeps the current one)", ExtensionView.class)
                .withRequest(ExtensionInput.class).errors(404, 412), this::put);
        router.add(Operation.json(PATCH, "/v1/extensions/{number}", tag,
                        "Change some fields (JSON merge patch; null clears a field), e.g. rotate the password",
                        ExtensionView.class)
                .withRequest(ExtensionInput.class).errors(404, 412), this::patch);
        router.add(Operation.json(DELETE, "/v1/extensions/{number}", tag, "Delete an extension", null)
                .status(204).errors(404), this::delete);
    }

    private void list(Context ctx) {
        String accept = ctx.header("Accept");
        if (accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains(CSV)) {
            exportCsv(ctx);
            return;
        }
        String status = QueryParams.string(ctx, "status");
        ExtensionDao.Query query = new ExtensionDao.Query(
                status == null ? null : WireValue.parse(ExtensionStatus.class, status, "status"),
                QueryParams.string(ctx, "department"),
                QueryParams.string(ctx, "q"),
                Cursors.decode(QueryParams.string(ctx, "cursor")),
                QueryParams.limit(ctx, 100, ExtensionDao.MAX_LIMIT));
        Page<Extension, String> page = extensions.list(query);
        Long total = QueryParams.flag(ctx, "total") ? extensions.countMatching(query) : null;
        bodies.send(ctx, new ExtensionPage(page.items().stream().map(ExtensionView::of).toList(),
                Cursors.encode(page.next()), total));
    }

    private void create(Context ctx) {
        JsonNode body = bodies.tree(ctx);
        if (body.isArray()) {
            if (body.size() == 0 || body.size() > MAX_BULK) {
                throw new InvalidValueException("body", "a bulk create takes 1 to " + MAX_BULK + " extensions");
            }
            List<Extension> batch = new ArrayList<>(body.size());
            List<RejectedRowsException.RowError> errors = new ArrayList<>();
            for (int i = 0; i < body.size(); i++) {
                try {
                    batch.add(newExtension(bodies.convert(body.get(i), ExtensionInput.class, "")));
                } catch (InvalidValueException e) {
                    errors.add(new RejectedRowsException.RowError(i, e.field(), e.reason()));
                }
            }
            if (!errors.isEmpty()) {
                throw new RejectedRowsException(errors);
            }
            List<Extension> stored = extensions.createAll(batch);
            stored.forEach(e -> changed.accept(e.number()));
            bodies.send(ctx.status(201), stored.stream().map(ExtensionView::of).toList());
            return;
        }
        Extension stored = extensions.create(newExtension(bodies.convert(body, ExtensionInput.class, "")));
        changed.accept(stored.number());
        bodies.send(ctx.status(201).header("Location", "/v1/extensions/" + stored.number()), ExtensionView.of(stored));
    }

    /** Streams every matching extension as CSV from one snapshot, a page at a time; never the password. */
    private void exportCsv(Context ctx) {
        ExtensionStatus status = QueryParams.wire(ctx, "status", ExtensionStatus.class);
        String department = QueryParams.string(ctx, "department");
        String text = QueryParams.string(ctx, "q");
        ctx.contentType(CSV + "; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"extensions.csv\"");
        try (Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8))) {
            CsvWriter writer = new CsvWriter(out);
            writer.row(ExtensionCsv.exportHeader());
            extensions.exportAll(status, department, text, e -> writer.row(csv.exportRow(e)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void importCsv(Context ctx) {
        ConflictMode mode = QueryParams.wire(ctx, "mode", ConflictMode.class);
        byte[] body = bodies.checkedBytes(ctx, "CSV", CSV);
        if (body.length == 0) {
            throw new InvalidValueException("body", "a CSV body is required, its first line naming the columns");
        }
        // the body (at most 1 MiB) is in memory already: counting its records first refuses broken text and too
        // many rows before anything is written, in every mode, not only in fail
        CsvReader counting = new CsvReader(utf8(body));
        long records = 0;
        while (counting.next() != null) {
            if (++records > MAX_CSV_ROWS + 1) {
                throw new HttpResponseException(413, "a CSV import over the API takes at most " + MAX_CSV_ROWS
                        + " rows; import larger files with 'ominis extensions import'");
            }
        }
        ImportReport report = extensions.importRows(csv.rows(utf8(body)), mode == null ? ConflictMode.FAIL : mode,
                ExtensionDao.IMPORT_BATCH, changed, r -> { });
        if (!report.committed()) {
            throw new ImportRefusedException(report);
        }
        bodies.send(ctx, ImportResult.of(report));
    }

    private static Reader utf8(byte[] body) {
        return new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    private void get(Context ctx) {
        etags.send(ctx, ExtensionView.of(extensions.get(ctx.pathParam("number"))));
    }

    private void put(Context ctx) {
        String number = ctx.pathParam("number");
        ExtensionInput input = bodies.read(ctx, ExtensionInput.class);
        write(ctx, current -> strong(toExtension(input, number, false), current.password()));
    }

    private void patch(Context ctx) {
        String number = ctx.pathParam("number");
        ObjectNode patch = bodies.patch(ctx, ExtensionInput.class);
        if (patch.has("password") && patch.get("password").isNull()) {
            throw new InvalidValueException("password", "cannot be removed; send a new one to rotate it");
        }
        write(ctx, current -> {
            // the current credentials are not part of the merge: without a password in the patch they stay as stored
            ExtensionInput merged = bodies.merge(inputOf(current), patch, ExtensionInput.class);
            return strong(toExtension(merged, number, false), current.password());
        });
    }

    /**
     * Applies {@code change} to the extension of the path under its row lock, after the {@code If-Match} check.
     */
    private void write(Context ctx, UnaryOperator<Extension> change) {
        String number = ctx.pathParam("number");
        Extension stored = extensions.modify(number, etags.guard(ctx, ExtensionView::of, change));
        changed.accept(number);
        etags.send(ctx, ExtensionView.of(stored));
    }

    private void delete(Context ctx) {
        String number = ctx.pathParam("number");
        if (!extensions.delete(number)) {
            throw new NotFoundException("extension", number);
        }
        changed.accept(number);
        ctx.status(204);
    }

    /** A new extension under the rules every way in shares (the JSON object, the JSON array, the CSV row). */
    private Extension newExtension(ExtensionInput in) {
        return intake.newExtension(in.number(), in.password(), in.displayName(), in.email(), in.department(),
                in.status(), in.callForwardingJson(), in.voicemailJson(), in.featuresJson());
    }

    private static ExtensionInput inputOf(Extension e) {
        return new ExtensionInput(e.number(), null, e.displayName(), e.email(), e.department(),
                e.status().wire(), e.callForwarding(), e.voicemail(), e.features());
    }

    /**
     * @param pathNumber the number in the path, which a body may repeat but not contradict; null on create
     * @param passwordRequired whether the body must carry a password (create); otherwise an absent one keeps the
     *                         stored credentials (a null password in the record)
     */
    private Extension toExtension(ExtensionInput in, String pathNumber, boolean passwordRequired) {
        String number = QueryParams.key("number", in.number(), pathNumber);
        String password = in.password();
        if (password == null && passwordRequired) {
            throw new InvalidValueException("password", "is required");
        }
        ExtensionStatus status = in.status() == null ? ExtensionStatus.ACTIVE
                : WireValue.parse(ExtensionStatus.class, in.status(), "status");
        Extension extension = new Extension(number, password, in.displayName(), in.email(), in.department(), status,
                nullIfJsonNull(in.callForwardingJson()), nullIfJsonNull(in.voicemailJson()),
                nullIfJsonNull(in.featuresJson()), null, null).validate();
        return extension;
    }

    /** Applies the password policy to a password being set (not to one kept from before it existed). */
    private Extension strong(Extension extension, String currentPassword) {
        if (extension.password() != null && !extension.password().equals(currentPassword)) {
            passwords.check("password", extension.password());
        }
        return extension;
    }

    private static JsonNode nullIfJsonNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}
