package io.ominis.db;

import io.ominis.core.InvalidValueException;
import io.ominis.core.Page;
import io.ominis.core.ivr.TtsCacheEntry;
import io.ominis.db.internal.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads and writes the content-addressed cache of synthesized prompts ({@code ivr_tts_cache}), keyed by the hash of
 * everything that changes the audio. Hits are counted in batches so that serving a prompt costs no write.
 */
public final class TtsCacheDao {

    /** The most rows one listing or eviction query may return. */
    public static final int MAX_LIMIT = 1000;

    private static final String COLUMNS = """
            id, text_hash, text, language, voice, model, file_path, file_size_bytes, created_at, last_accessed_at,
            access_count""";

    // A second synthesis of the same hash (two nodes racing, or a re-render after the file was lost) only moves
    // the file; the text and voice are the same by construction of the hash, and the hit history is kept.
    private static final String UPSERT = """
            INSERT INTO ivr_tts_cache (text_hash, text, language, voice, model, file_path, file_size_bytes,
                                       access_count)
            VALUES (:textHash, :text, :language, :voice, :model, :filePath, :fileSizeBytes, :accessCount)
            ON CONFLICT (text_hash) DO UPDATE
            SET file_path = EXCLUDED.file_path, file_size_bytes = EXCLUDED.file_size_bytes
            RETURNING""" + " " + COLUMNS;

    // One statement for any number of hashes; the sum saturates at the column's maximum instead of failing the
    // whole batch on overflow.
    private static final String RECORD_HITS = """
            UPDATE ivr_tts_cache c
            SET access_count = LEAST(c.access_count::bigint + h.hits, 2147483647)::integer,
                last_accessed_at = now()
            FROM unnest(CAST(:hashes AS varchar[]), CAST(:hits AS integer[])) AS h(text_hash, hits)
            WHERE c.text_hash = h.text_hash""";

    private static final String EVICTION_CANDIDATES = "SELECT " + COLUMNS + """
             FROM ivr_tts_cache
            ORDER BY access_count, last_accessed_at, id
            LIMIT :limit""";

    private static final String LIST = "SELECT " + COLUMNS + """
             FROM ivr_tts_cache
            WHERE (CAST(:after AS integer) IS NULL OR id > :after)
            ORDER BY id
            LIMIT :limit""";

    private final Jdbi jdbi;

    TtsCacheDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores an entry, or when its hash is already cached, points the existing entry at the new file (path and size)
     * and keeps its counters; returns the row as stored.
     */
    public TtsCacheEntry upsert(TtsCacheEntry entry) {
        TtsCacheEntry e = entry.validate();
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(UPSERT)
                .bind("textHash", e.textHash())
                .bind("text", e.text())
                .bind("language", e.language())
                .bind("voice", e.voice())
                .bind("model", e.model())
                .bind("filePath", e.filePath())
                .bind("fileSizeBytes", e.fileSizeBytes())
                .bind("accessCount", e.accessCount())
                .map(TtsCacheDao::map)
                .one()));
    }

    /** The entry with this hash, if any. */
    public Optional<TtsCacheEntry> findByHash(String textHash) {
        if (textHash == null || !TtsCacheEntry.HASH.matcher(textHash).matches()) {
            return Optional.empty();
        }
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM ivr_tts_cache WHERE text_hash = :textHash")
                .bind("textHash", textHash)
                .map(TtsCacheDao::map)
                .findOne()));
    }

    /**
     * Adds {@code hits.get(hash)} to each entry's access count and marks it accessed now, all in one statement.
     * Hashes no longer cached (evicted meanwhile) are skipped.
     *
     * @return how many entries were updated
     * @throws InvalidValueException naming {@code access_count} for a count below 1, or {@code text_hash} for a
     *                               null hash; nothing is written then
     */
    public int recordHits(Map<String, Integer> hits) {
        if (hits.isEmpty()) {
            return 0;
        }
        List<String> hashes = new ArrayList<>(hits.size());
        List<Integer> counts = new ArrayList<>(hits.size());
        hits.forEach((hash, count) -> {
            if (hash == null) {
                throw new InvalidValueException("text_hash", "is required");
            }
            if (count == null || count < 1) {
                throw new InvalidValueException("access_count", "hits to add must be at least 1, got " + count);
            }
            hashes.add(hash);
            counts.add(count);
        });
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createUpdate(RECORD_HITS)
                .bindArray("hashes", String.class, hashes)
                .bindArray("hits", Integer.class, counts)
                .execute()));
    }

    /** The {@code limit} entries least worth keeping: fewest hits first, then longest unused. */
    public List<TtsCacheEntry> evictionCandidates(int limit) {
        Rows.limit(limit, MAX_LIMIT);
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(EVICTION_CANDIDATES)
                .bind("limit", limit)
                .map(TtsCacheDao::map)
                .list()));
    }

    /** The summed size of all cached files whose size is known. */
    public long totalBytes() {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT COALESCE(sum(file_size_bytes), 0) FROM ivr_tts_cache")
                .mapTo(Long.class)
                .one()));
    }

    /** How many entries there are. */
    public long count() {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM ivr_tts_cache")
                .mapTo(Long.class)
                .one()));
    }

    /** Deletes the entry with this hash; returns whether it existed. The audio file is the caller's to remove. */
    public boolean delete(String textHash) {
        return deleteAll(textHash == null ? List.of() : List.of(textHash)) > 0;
    }

    /** Deletes the entries with these hashes in one statement; returns how many existed. */
    public int deleteAll(Collection<String> textHashes) {
        if (textHashes.isEmpty()) {
            return 0;
        }
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM ivr_tts_cache WHERE text_hash = ANY(:hashes)")
                .bindArray("hashes", String.class, textHashes)
                .execute()));
    }

    /** One page of entries in the order they were cached; the page's cursor is the last id on it. */
    public Page<TtsCacheEntry, Integer> list(int limit, Integer after) {
        Rows.limit(limit, MAX_LIMIT);
        List<TtsCacheEntry> rows = SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(LIST)
                .bind("after", after)
                .bind("limit", limit + 1)
                .map(TtsCacheDao::map)
                .list()));
        return Rows.page(rows, limit, TtsCacheEntry::id);
    }

    private static TtsCacheEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new TtsCacheEntry(
                rs.getInt("id"),
                rs.getString("text_hash"),
                rs.getString("text"),
                rs.getString("language"),
                rs.getString("voice"),
                rs.getString("model"),
                rs.getString("file_path"),
                Rows.integer(rs, "file_size_bytes"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "last_accessed_at"),
                rs.getInt("access_count"));
    }
}
