package io.ominis.db;

import static io.ominis.db.PlainSql.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.AlreadyExistsException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.Page;
import io.ominis.core.ivr.TtsCacheEntry;
import io.ominis.db.internal.SqlErrors;
import io.ominis.testing.OminisDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TtsCacheDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final PlainSql sql = new PlainSql(db);

    private Database database;
    private TtsCacheDao cache;

    @BeforeEach
    void clean() throws SQLException {
        database = Database.create(db.dataSource());
        cache = database.ttsCache();
        sql.run("DELETE FROM ivr_tts_cache");
    }

    @Test
    void upsertStoresANewEntryAndReadsBackEveryField() {
        TtsCacheEntry stored = cache.upsert(entry("Welcome", "/cache/a.mp3", 1234));
        assertThat(stored.id()).isNotNull();
        assertThat(stored.textHash()).isEqualTo(hash("Welcome"));
        assertThat(stored.text()).isEqualTo("Welcome");
        assertThat(stored.fileSizeBytes()).isEqualTo(1234);
        assertThat(stored.accessCount()).isZero();
        assertThat(stored.createdAt()).isNotNull();
        assertThat(stored.lastAccessedAt()).isNotNull();
        assertThat(cache.findByHash(hash("Welcome"))).contains(stored);
        assertThat(cache.findByHash(hash("nothing"))).isEmpty();
        assertThat(cache.findByHash("not a hash")).isEmpty();
        assertThat(cache.upsert(entry("Unknown size", "/cache/b.mp3", null)).fileSizeBytes()).isNull();
    }

    @Test
    void upsertOfACachedHashMovesTheFileAndKeepsTheCounters() throws SQLException {
        TtsCacheEntry first = cache.upsert(entry("Welcome", "/cache/a.mp3", 100));
        cache.recordHits(Map.of(first.textHash(), 4));
        TtsCacheEntry second = cache.upsert(entry("Welcome", "/cache/a2.mp3", 200));
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.filePath()).isEqualTo("/cache/a2.mp3");
        assertThat(second.fileSizeBytes()).isEqualTo(200);
        assertThat(second.accessCount()).isEqualTo(4);
        assertThat(second.createdAt()).isEqualTo(first.createdAt());
        assertThat(sql.number("SELECT count(*) FROM ivr_tts_cache")).isEqualTo(1);
    }

    @Test
    void refusesBadValuesBeforeWritingAnything() throws SQLException {
        assertInvalid(() -> cache.upsert(withHash(entry("x", "/a", 1), "ABC")), "text_hash");
        assertInvalid(() -> cache.upsert(withHash(entry("x", "/a", 1), hash("x").toUpperCase())), "text_hash");
        assertInvalid(() -> cache.upsert(entry("x", "/a", -1)), "file_size_bytes");
        assertInvalid(() -> cache.upsert(entry("x", " ", 1)), "file_path");
        TtsCacheEntry e = entry("x", "/a", 1);
        assertInvalid(() -> cache.upsert(new TtsCacheEntry(null, e.textHash(), "x", "en", "alloy", "tts-1", "/a", 1,
                null, null, -1)), "access_count");
        assertInvalid(() -> cache.upsert(new TtsCacheEntry(null, e.textHash(), null, "en", "alloy", "tts-1", "/a", 1,
                null, null, 0)), "text");
        assertInvalid(() -> cache.upsert(new TtsCacheEntry(null, e.textHash(), "x", "english", "alloy", "tts-1", "/a",
                1, null, null, 0)), "language");
        assertThat(sql.number("SELECT count(*) FROM ivr_tts_cache")).isZero();
    }

    @Test
    void theDatabaseItselfRefusesWhatOurValidationRefuses() throws SQLException {
        String insert = "INSERT INTO ivr_tts_cache (text_hash, text, language, voice, model, file_path, "
                + "file_size_bytes, access_count) VALUES (";
        String h = "'" + hash("x") + "'";
        sql.assertRefused(insert + "'ABC', 'x', 'en', 'alloy', 'tts-1', '/a', 1, 0)", "ivr_tts_cache_text_hash_check");
        sql.assertRefused(insert + "'" + hash("x").toUpperCase() + "', 'x', 'en', 'alloy', 'tts-1', '/a', 1, 0)",
                "ivr_tts_cache_text_hash_check");
        sql.assertRefused(insert + h + ", 'x', 'en', 'alloy', 'tts-1', '/a', -1, 0)",
                "ivr_tts_cache_file_size_bytes_check");
        sql.assertRefused(insert + h + ", 'x', 'en', 'alloy', 'tts-1', '/a', 1, -1)",
                "ivr_tts_cache_access_count_check");
        sql.run(insert + h + ", 'x', 'en', 'alloy', 'tts-1', '/a', 1, 0)");
        sql.assertRefused(insert + h + ", 'x', 'en', 'alloy', 'tts-1', '/b', 1, 0)", "ivr_tts_cache_text_hash_key");
        assertThat(sql.number("SELECT count(*) FROM ivr_tts_cache")).isEqualTo(1);
    }

    @Test
    void constraintViolationsThatSlipPastValidationStillArriveTyped() {
        var jdbi = database.jdbi();
        assertThatThrownBy(() -> SqlErrors.guard(() -> jdbi.withHandle(h -> h.execute(
                "INSERT INTO ivr_tts_cache (text_hash, text, language, voice, model, file_path, access_count) "
                        + "VALUES (?, 'x', 'en', 'alloy', 'tts-1', '/a', -5)", hash("x")))))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.field()).isEqualTo("access_count"));
        jdbi.useHandle(h -> h.execute("INSERT INTO ivr_tts_cache (text_hash, text, language, voice, model, file_path) "
                + "VALUES (?, 'x', 'en', 'alloy', 'tts-1', '/a')", hash("x")));
        assertThatThrownBy(() -> SqlErrors.guard(() -> jdbi.withHandle(h -> h.execute(
                "INSERT INTO ivr_tts_cache (text_hash, text, language, voice, model, file_path) "
                        + "VALUES (?, 'x', 'en', 'alloy', 'tts-1', '/a')", hash("x")))))
                .isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void recordsHitsForManyHashesInOneStatement() throws Exception {
        TtsCacheEntry a = cache.upsert(entry("a", "/a", 1));
        TtsCacheEntry b = cache.upsert(entry("b", "/b", 1));
        TtsCacheEntry c = cache.upsert(entry("c", "/c", 1));
        Thread.sleep(5);
        Map<String, Integer> hits = new LinkedHashMap<>();
        hits.put(a.textHash(), 3);
        hits.put(b.textHash(), 1);
        hits.put(hash("evicted meanwhile"), 7);
        assertThat(cache.recordHits(hits)).isEqualTo(2);
        assertThat(cache.recordHits(Map.of(a.textHash(), 2))).isEqualTo(1);

        TtsCacheEntry a2 = cache.findByHash(a.textHash()).orElseThrow();
        assertThat(a2.accessCount()).isEqualTo(5);
        assertThat(a2.lastAccessedAt()).isAfter(a.lastAccessedAt());
        assertThat(cache.findByHash(b.textHash()).orElseThrow().accessCount()).isEqualTo(1);
        TtsCacheEntry c2 = cache.findByHash(c.textHash()).orElseThrow();
        assertThat(c2.accessCount()).isZero();
        assertThat(c2.lastAccessedAt()).isEqualTo(c.lastAccessedAt());
        assertThat(cache.recordHits(Map.of())).isZero();
    }

    @Test
    void hitCountsSaturateInsteadOfOverflowing() throws SQLException {
        TtsCacheEntry a = cache.upsert(entry("a", "/a", 1));
        sql.run("UPDATE ivr_tts_cache SET access_count = 2147483600");
        cache.recordHits(Map.of(a.textHash(), 1000));
        assertThat(cache.findByHash(a.textHash()).orElseThrow().accessCount()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void refusesHitBatchesWithBadCountsAndWritesNothing() {
        TtsCacheEntry a = cache.upsert(entry("a", "/a", 1));
        Map<String, Integer> hits = new LinkedHashMap<>();
        hits.put(a.textHash(), 2);
        hits.put(hash("b"), 0);
        assertInvalid(() -> cache.recordHits(hits), "access_count");
        Map<String, Integer> nullHash = new LinkedHashMap<>();
        nullHash.put(null, 1);
        assertInvalid(() -> cache.recordHits(nullHash), "text_hash");
        assertThat(cache.findByHash(a.textHash()).orElseThrow().accessCount()).isZero();
    }

    @Test
    void evictionCandidatesComeLeastUsedThenLongestUnusedFirst() throws SQLException {
        TtsCacheEntry popular = cache.upsert(entry("popular", "/p", 1));
        TtsCacheEntry oldUnused = cache.upsert(entry("old", "/o", 1));
        TtsCacheEntry newUnused = cache.upsert(entry("new", "/n", 1));
        TtsCacheEntry once = cache.upsert(entry("once", "/1", 1));
        sql.run("UPDATE ivr_tts_cache SET last_accessed_at = now() - interval '2 days' WHERE text_hash = '"
                + oldUnused.textHash() + "'");
        cache.recordHits(Map.of(popular.textHash(), 10, once.textHash(), 1));
        assertThat(cache.evictionCandidates(3)).extracting(TtsCacheEntry::text).containsExactly("old", "new", "once");
        assertThat(cache.evictionCandidates(100)).hasSize(4);
        assertThat(newUnused.accessCount()).isZero();
        assertInvalid(() -> cache.evictionCandidates(0), "limit");
    }

    @Test
    void countsAndSumsAndDeletes() {
        assertThat(cache.totalBytes()).isZero();
        assertThat(cache.count()).isZero();
        TtsCacheEntry a = cache.upsert(entry("a", "/a", 100));
        TtsCacheEntry b = cache.upsert(entry("b", "/b", 250));
        TtsCacheEntry c = cache.upsert(entry("c", "/c", null));
        cache.upsert(entry("d", "/d", 1));
        assertThat(cache.totalBytes()).isEqualTo(351);
        assertThat(cache.count()).isEqualTo(4);

        assertThat(cache.delete(a.textHash())).isTrue();
        assertThat(cache.delete(a.textHash())).isFalse();
        assertThat(cache.delete(null)).isFalse();
        assertThat(cache.deleteAll(List.of(b.textHash(), c.textHash(), hash("gone")))).isEqualTo(2);
        assertThat(cache.deleteAll(List.of())).isZero();
        assertThat(cache.count()).isEqualTo(1);
        assertThat(cache.totalBytes()).isEqualTo(1);
    }

    @Test
    void listsInKeysetPages() {
        for (int i = 0; i < 7; i++) {
            cache.upsert(entry("prompt " + i, "/p" + i, i));
        }
        Page<TtsCacheEntry, Integer> first = cache.list(3, null);
        assertThat(first.items()).extracting(TtsCacheEntry::text).containsExactly("prompt 0", "prompt 1", "prompt 2");
        Page<TtsCacheEntry, Integer> second = cache.list(3, first.next());
        assertThat(second.items()).extracting(TtsCacheEntry::text).containsExactly("prompt 3", "prompt 4", "prompt 5");
        Page<TtsCacheEntry, Integer> last = cache.list(3, second.next());
        assertThat(last.items()).extracting(TtsCacheEntry::text).containsExactly("prompt 6");
        assertThat(last.hasNext()).isFalse();
        assertInvalid(() -> cache.list(TtsCacheDao.MAX_LIMIT + 1, null), "limit");
    }

    private static TtsCacheEntry entry(String text, String path, Integer size) {
        return new TtsCacheEntry(null, hash(text), text, "en", "alloy", "tts-1", path, size, null, null, 0);
    }

    private static TtsCacheEntry withHash(TtsCacheEntry e, String hash) {
        return new TtsCacheEntry(null, hash, e.text(), e.language(), e.voice(), e.model(), e.filePath(),
                e.fileSizeBytes(), null, null, e.accessCount());
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
