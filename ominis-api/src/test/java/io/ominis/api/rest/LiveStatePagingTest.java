package io.ominis.api.rest;

import static io.ominis.api.rest.Api.badParameter;
import static io.ominis.api.rest.Api.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keyset paging of the live-state listings: 2,500 rows of each table read 1,000 at a time, cursors refused when they
 * come from another listing or were altered, totals that follow the filters, and rows that come and go between pages.
 */
class LiveStatePagingTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final int ROWS = 2500;

    private OminisServer server;

    @BeforeAll
    static void load() throws Exception {
        // ten channels share each created_epoch, so the uuid and switch decide the order within a second; the uuids
        // are inserted in an order unlike the listing's
        Api.sql(db,
                "INSERT INTO channels (uuid, direction, created_epoch, hostname, state, callstate, context) "
                        + "SELECT md5(i::text), CASE WHEN i % 2 = 0 THEN 'inbound' ELSE 'outbound' END, "
                        + "1700000000 + i / 10, 'fs' || (i % 3), 'CS_EXECUTE', 'ACTIVE', 'default' "
                        + "FROM generate_series(1, " + ROWS + ") i",
                // every second channel the caller of a bridge whose callee is a channel of its own
                "INSERT INTO channels (uuid, direction, created_epoch, hostname, state) "
                        + "SELECT 'callee-' || md5(i::text), 'outbound', 1700000000 + i / 10, 'fs' || (i % 3), "
                        + "'CS_EXECUTE' FROM generate_series(2, " + ROWS + ", 2) i",
                "INSERT INTO calls (call_uuid, call_created_epoch, caller_uuid, callee_uuid, hostname) "
                        + "SELECT md5(i::text), 1700000000 + i / 10, md5(i::text), 'callee-' || md5(i::text), "
                        + "'fs' || (i % 3) FROM generate_series(2, " + ROWS + ", 2) i",
                // several devices per user and realm, each on its own switch or with its own token
                "INSERT INTO registrations (reg_user, realm, token, url, expires, hostname) "
                        + "SELECT 'u' || (i % 400), 'pbx.example.com', 'call-' || i, 'sofia/internal/sip:x@h', "
                        + "2000000000 - i, 'fs' || (i % 2) FROM generate_series(1, " + ROWS + ") i",
                "INSERT INTO agents (name, instance_id, type, status, state) "
                        + "SELECT i || '@default', 'single_box', 'callback', "
                        + "CASE WHEN i % 5 = 0 THEN 'Available' ELSE 'Logged Out' END, 'Waiting' "
                        + "FROM generate_series(1, " + ROWS + ") i",
                "INSERT INTO tiers (queue, agent, state, level, position) "
                        + "SELECT 'q' || (i % 3) || '@default', i || '@default', 'Ready', i % 4, i % 7 "
                        + "FROM generate_series(1, " + ROWS + ") i",
                // joined in bursts of seven callers per second, so the uuid orders callers of equal score
                "INSERT INTO members (queue, instance_id, uuid, session_uuid, system_epoch, joined_epoch, base_score, "
                        + "skill_score, state) "
                        + "SELECT 'support@default', 'single_box', md5('m' || i), md5('s' || i), 0, "
                        + "1700000000 + i / 7, 0, 0, CASE WHEN i % 4 = 0 THEN 'Trying' ELSE 'Waiting' END "
                        + "FROM generate_series(1, " + ROWS + ") i");
    }

    @BeforeEach
    void start() {
        server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void pagesThroughEveryListingReturningEachRowOnceInOrder() {
        JavalinTest.test(server.app(), (srv, client) -> {
            assertPagedExactly(client, "/v1/channels?context=default&limit=1000", n -> n.path("uuid").asText(),
                    "SELECT uuid FROM channels WHERE context = 'default' ORDER BY created_epoch, uuid, hostname");
            assertPagedExactly(client, "/v1/calls?limit=1000", n -> n.path("caller").path("uuid").asText(),
                    "SELECT uuid FROM detailed_calls ORDER BY created_epoch, uuid, hostname");
            assertPagedExactly(client, "/v1/registrations?limit=1000",
                    n -> n.path("reg_user").asText() + "/" + n.path("token").asText(),
                    "SELECT reg_user || '/' || token FROM registrations ORDER BY reg_user, realm, hostname, token");
            assertPagedExactly(client, "/v1/callcenter/agents?limit=1000", n -> n.path("name").asText(),
                    "SELECT name FROM agents ORDER BY name");
            assertPagedExactly(client, "/v1/callcenter/tiers?limit=1000",
                    n -> n.path("queue").asText() + "/" + n.path("agent").asText(),
                    "SELECT queue || '/' || agent FROM tiers ORDER BY queue, level, position, agent");
            assertPagedExactly(client, "/v1/callcenter/members?queue=support@default&limit=1000",
                    n -> n.path("uuid").asText(), "SELECT uuid FROM members WHERE queue = 'support@default' "
                            + "ORDER BY base_score + skill_score - joined_epoch DESC, uuid");
        });
    }

    @Test
    void refusesACursorOfAnotherListingOrOneThatWasAltered() {
        JavalinTest.test(server.app(), (srv, client) -> {
            String channels = ok(client, "/v1/channels?limit=5").path("next_cursor").asText();
            String agents = ok(client, "/v1/callcenter/agents?limit=5").path("next_cursor").asText();
            String extensions = Cursors.encode("1001");
            ok(client, "/v1/channels?limit=5&cursor=" + channels);
            badParameter(client, "/v1/callcenter/agents?cursor=" + channels, "cursor");
            badParameter(client, "/v1/calls?cursor=" + channels, "cursor");
            badParameter(client, "/v1/channels?cursor=" + agents, "cursor");
            badParameter(client, "/v1/channels?cursor=" + extensions, "cursor");
            badParameter(client, "/v1/extensions?cursor=" + channels, "cursor");
            badParameter(client, "/v1/callcenter/members?cursor=" + agents, "cursor");
            // altered: a character changed, a column dropped, a number that is not one, plain garbage
            badParameter(client, "/v1/channels?cursor=" + channels.substring(0, channels.length() - 3) + "!!!",
                    "cursor");
            badParameter(client, "/v1/channels?cursor=" + Cursors.encode("channels", List.of("1700000000", "x")),
                    "cursor");
            badParameter(client, "/v1/channels?cursor="
                    + Cursors.encode("channels", List.of("soon", "x", "fs1")), "cursor");
            badParameter(client, "/v1/callcenter/tiers?cursor="
                    + Cursors.encode("tiers", List.of("q0@default", "one", "1", "a")), "cursor");
            badParameter(client, "/v1/callcenter/members?cursor="
                    + Cursors.encode("members", List.of("1e9", "x")), "cursor");
            badParameter(client, "/v1/registrations?cursor=v2:registrations", "cursor");
            badParameter(client, "/v1/channels?limit=1001", "limit");
            badParameter(client, "/v1/channels?limit=0", "limit");
            badParameter(client, "/v1/channels?total=yes", "total");
        });
    }

    @Test
    void totalCountsEveryMatchOfTheFiltersOnlyWhenAskedFor() throws Exception {
        JavalinTest.test(server.app(), (srv, client) -> {
            assertTotal(client, "/v1/channels?hostname=fs1&direction=inbound",
                    "SELECT count(*) FROM channels WHERE hostname = 'fs1' AND direction = 'inbound'");
            assertTotal(client, "/v1/calls?hostname=fs2", "SELECT count(*) FROM detailed_calls WHERE hostname = 'fs2'");
            assertTotal(client, "/v1/registrations?user=u7", "SELECT count(*) FROM registrations WHERE reg_user = 'u7'");
            assertTotal(client, "/v1/registrations?hostname=fs1",
                    "SELECT count(*) FROM registrations WHERE hostname = 'fs1'");
            assertTotal(client, "/v1/callcenter/agents?status=Available",
                    "SELECT count(*) FROM agents WHERE status = 'Available'");
            assertTotal(client, "/v1/callcenter/tiers?queue=q1@default",
                    "SELECT count(*) FROM tiers WHERE queue = 'q1@default'");
            assertTotal(client, "/v1/callcenter/members?state=Trying",
                    "SELECT count(*) FROM members WHERE state = 'Trying'");
            JsonNode without = ok(client, "/v1/callcenter/agents?limit=1");
            assertThat(without.path("total").isNull()).isTrue();
            assertThat(ok(client, "/v1/callcenter/agents?limit=1&total=false").path("total").isNull()).isTrue();
        });
    }

    /**
     * Waits until the channel routes' in-memory copy holds what this test just wrote: FreeSWITCH's writes reach it
     * through notifications a moment after they commit, as they reach a read replica after its replay.
     */
    private void caughtUp() throws InterruptedException {
        assertThat(server.channelMirror().catchUp(java.time.Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void rowsComingAndGoingBetweenPagesNeitherRepeatNorBreakPaging() throws Exception {
        // a switch of its own, so that the other tests' listings do not see these rows
        Api.sql(db, "INSERT INTO channels (uuid, direction, created_epoch, hostname, context) "
                + "SELECT 'live-' || lpad(i::text, 4, '0'), 'inbound', 1800000000 + i / 3, 'fs9', 'live' "
                + "FROM generate_series(1, " + ROWS + ") i");
        caughtUp();
        JavalinTest.test(server.app(), (srv, client) -> {
            JsonNode first = ok(client, "/v1/channels?hostname=fs9&limit=1000");
            List<String> seen = new ArrayList<>(uuids(first));
            assertThat(seen).hasSize(1000).startsWith("live-0001");
            // gone: one already seen and one not yet; new: one before the cursor and one after, one tying the
            // last row's creation second
            Api.sql(db, "DELETE FROM channels WHERE uuid IN ('live-0500', 'live-2000')",
                    "INSERT INTO channels (uuid, direction, created_epoch, hostname, context) VALUES "
                            + "('new-early', 'inbound', 1700000000, 'fs9', 'live'), "
                            + "('new-late', 'inbound', 1900000000, 'fs9', 'live'), "
                            + "('live-1000a', 'inbound', " + (1800000000 + 1000 / 3) + ", 'fs9', 'live')");
            caughtUp();
            // the same first page asked again is answered from the changed rows, not from the bytes of the first ask
            List<String> again = uuids(ok(client, "/v1/channels?hostname=fs9&limit=1000"));
            assertThat(again).hasSize(1000).startsWith("new-early").doesNotContain("live-0500");
            String cursor = first.path("next_cursor").asText();
            while (true) {
                JsonNode page = ok(client, "/v1/channels?hostname=fs9&limit=1000&cursor=" + cursor);
                seen.addAll(uuids(page));
                if (page.path("next_cursor").isNull()) {
                    break;
                }
                cursor = page.path("next_cursor").asText();
            }
            assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
            assertThat(seen).contains("live-0500", "live-1000a", "new-late", "live-2500")
                    .doesNotContain("live-2000", "new-early");
            assertThat(seen).hasSize(ROWS - 1 + 2);
        });
    }

    @Test
    void reRegisteringAndCallersJoiningBetweenPagesMoveNoRow() throws Exception {
        Api.sql(db, "INSERT INTO registrations (reg_user, realm, token, url, expires, hostname) "
                        + "SELECT 'r' || lpad(i::text, 4, '0'), 'moving.example.com', 'call-' || i, 'sofia/x', "
                        + "2000000000, 'fs1' FROM generate_series(1, " + ROWS + ") i",
                "INSERT INTO members (queue, instance_id, uuid, session_uuid, system_epoch, joined_epoch, base_score, "
                        + "skill_score, state) SELECT 'moving@default', 'single_box', 'mem-' || lpad(i::text, 4, '0'), "
                        + "'s', 0, 1700000000 + i, 0, 0, 'Waiting' FROM generate_series(1, " + ROWS + ") i");
        JavalinTest.test(server.app(), (srv, client) -> {
            String registrations = "/v1/registrations?realm=moving.example.com&limit=1000";
            JsonNode first = ok(client, registrations);
            List<String> seen = new ArrayList<>(Api.texts(first.path("items"), "reg_user"));
            // every device re-registers (expires moves), one unregisters, one new user registers
            Api.sql(db, "UPDATE registrations SET expires = expires + 3600 - (random() * 7200)::int "
                            + "WHERE realm = 'moving.example.com'",
                    "DELETE FROM registrations WHERE reg_user = 'r2400'",
                    "INSERT INTO registrations (reg_user, realm, token, url, expires, hostname) "
                            + "VALUES ('r9999', 'moving.example.com', 'call-new', 'sofia/x', 2000000000, 'fs2')");
            seen.addAll(rest(client, registrations, first, "reg_user"));
            assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
            assertThat(seen).hasSize(ROWS).contains("r9999", "r0001", "r2500").doesNotContain("r2400");

            String members = "/v1/callcenter/members?queue=moving@default&limit=1000";
            JsonNode head = ok(client, members);
            List<String> callers = new ArrayList<>(uuids(head));
            assertThat(callers.get(0)).isEqualTo("mem-0001");
            // the first caller is served and leaves, a caller yet to be listed hangs up, a new one joins at the end
            Api.sql(db, "DELETE FROM members WHERE uuid IN ('mem-0001', 'mem-1800')",
                    "INSERT INTO members (queue, instance_id, uuid, session_uuid, system_epoch, joined_epoch, "
                            + "base_score, skill_score, state) VALUES ('moving@default', 'single_box', 'mem-new', 's', "
                            + "0, 1800000000, 0, 0, 'Waiting')");
            callers.addAll(rest(client, members, head, "uuid"));
            assertThat(new HashSet<>(callers)).hasSameSizeAs(callers);
            assertThat(callers).hasSize(ROWS).endsWith("mem-new").contains("mem-0001", "mem-2500")
                    .doesNotContain("mem-1800");
        });
    }

    /** The {@code field} of every row on the pages after {@code first}. */
    private static List<String> rest(HttpClient client, String path, JsonNode first, String field) {
        List<String> seen = new ArrayList<>();
        JsonNode page = first;
        while (!page.path("next_cursor").isNull()) {
            page = ok(client, path + "&cursor=" + page.path("next_cursor").asText());
            seen.addAll(Api.texts(page.path("items"), field));
        }
        return seen;
    }

    private static List<String> uuids(JsonNode page) {
        return Api.texts(page.path("items"), "uuid");
    }

    /** Follows next_cursor from {@code path} to the end, asserting what it saw is what {@code sql} lists. */
    private static void assertPagedExactly(HttpClient client, String path, Function<JsonNode, String> id, String sql)
            throws SQLException {
        List<String> seen = new ArrayList<>();
        int pages = 0;
        String cursor = null;
        do {
            JsonNode page = ok(client, path + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.path("items").size()).as(path).isLessThanOrEqualTo(1000);
            page.path("items").forEach(n -> seen.add(id.apply(n)));
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            pages++;
        } while (cursor != null);
        List<String> expected = column(sql);
        assertThat(expected).as(sql).hasSizeGreaterThanOrEqualTo(ROWS);
        assertThat(seen).as(path).containsExactlyElementsOf(expected);
        assertThat(pages).as(path).isEqualTo((expected.size() + 999) / 1000);
    }

    private static void assertTotal(HttpClient client, String path, String sql) throws SQLException {
        long expected = Long.parseLong(column(sql).get(0));
        assertThat(expected).as(sql).isPositive();
        JsonNode page = ok(client, path + "&total=true&limit=3");
        assertThat(page.path("total").asLong()).as(path).isEqualTo(expected);
        assertThat(page.path("items").size()).isEqualTo(3);
    }

    private static List<String> column(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
