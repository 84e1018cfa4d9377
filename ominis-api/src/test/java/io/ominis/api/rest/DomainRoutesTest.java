package io.ominis.api.rest;

import static io.ominis.api.rest.ApiClient.assertProblem;
import static io.ominis.api.rest.ApiClient.j;
import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.directory.A1Hash;
import io.ominis.testing.OminisDatabase;
import io.ominis.xmlrpc.SwitchControl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /v1/domains} over HTTP, and extensions written in the a1-hash storage: problems naming the field, ETags,
 * concurrent writers, and no hash or password in any answer.
 */
class DomainRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final Map<String, String> A1 = Map.of("OMINIS_SIP_PASSWORD_STORAGE", "a1-hash");

    @BeforeEach
    void clean() throws SQLException {
        Api.sql(db, "DELETE FROM extensions", "DELETE FROM domains");
    }

    @Test
    void createReadChangeAndDeleteADomain() {
        ApiClient.serve(db, Map.of(), SwitchControl.NONE, api -> {
            ApiClient.Reply created = api.post("/v1/domains", j("{'name':'PBX.Example.com','description':'hq'}"));
            assertThat(created.code()).as(created.text()).isEqualTo(201);
            assertThat(created.location()).isEqualTo("/v1/domains/pbx.example.com");
            assertThat(created.json().path("name").asText()).isEqualTo("pbx.example.com");
            assertThat(created.json().path("extensions_without_hash").asLong()).isZero();

            ApiClient.Reply got = api.get("/v1/domains/Pbx.Example.Com");
            assertThat(got.code()).isEqualTo(200);
            assertThat(got.etag()).isNotNull();
            ApiClient.Reply patched = api.patchIfMatch("/v1/domains/pbx.example.com", j("{'description':'sales'}"),
                    got.etag());
            assertThat(patched.code()).as(patched.text()).isEqualTo(200);
            assertThat(patched.json().path("description").asText()).isEqualTo("sales");
            assertProblem(api.patchIfMatch("/v1/domains/pbx.example.com", j("{'description':'late'}"), got.etag()),
                    412, "If-Match");
            assertProblem(api.put("/v1/domains/pbx.example.com", j("{'name':'other.example.com'}")), 400, "name");
            ApiClient.Reply put = api.put("/v1/domains/pbx.example.com", j("{'description':null}"));
            assertThat(put.code()).as(put.text()).isEqualTo(200);
            assertThat(put.json().path("description").isNull()).isTrue();

            assertThat(api.get("/v1/domains").json().path("items").get(0).path("name").asText())
                    .isEqualTo("pbx.example.com");
            assertThat(api.delete("/v1/domains/pbx.example.com").code()).isEqualTo(204);
            assertProblem(api.delete("/v1/domains/pbx.example.com"), 404, null);
            assertThat(api.get("/v1/domains").json().path("items").size()).isZero();
        });
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndWritesNothing() throws SQLException {
        ApiClient.serve(db, Map.of(), SwitchControl.NONE, api -> {
            assertProblem(api.post("/v1/domains", j("{'name':'bad_name.example'}")), 400, "name");
            assertProblem(api.post("/v1/domains", j("{'name':'$${domain}'}")), 400, "name");
            assertProblem(api.post("/v1/domains", j("{'description':'no name'}")), 400, "name");
            assertProblem(api.post("/v1/domains", j("{'name':'ok.example','description':'${system(id)}'}")), 400,
                    "description");
            assertProblem(api.post("/v1/domains", j("{'name':'ok.example','unknown':1}")), 400, "unknown");
            assertThat(api.post("/v1/domains", j("{'name':'ok.example'}")).code()).isEqualTo(201);
            assertProblem(api.post("/v1/domains", j("{'name':'OK.example'}")), 409, null);
            assertProblem(api.get("/v1/domains/missing.example"), 404, null);
            assertProblem(api.patch("/v1/domains/ok.example", j("{'name':null}")), 400, "name");
        });
        assertThat(strings("SELECT name FROM domains")).containsExactly("ok.example");
    }

    @Test
    void concurrentCreatesOfOneDomainGiveOne201AndConflicts() throws Exception {
        ApiClient.serve(db, Map.of(), SwitchControl.NONE, api -> {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    calls.add(() -> api.post("/v1/domains", j("{'name':'race.example'}")).code());
                }
                List<Integer> codes = new ArrayList<>();
                for (Future<Integer> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                    codes.add(f.get());
                }
                assertThat(codes).containsOnly(201, 409);
                assertThat(codes.stream().filter(c -> c == 201).count()).isEqualTo(1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                pool.shutdownNow();
            }
        });
    }

    @Test
    void inA1HashStorageTheApiTakesPasswordsKeepsOnlyHashesAndShowsNeither() throws Exception {
        ApiClient.serve(db, A1, SwitchControl.NONE, api -> {
            // no served domain: nothing to hash for
            assertProblem(api.post("/v1/extensions", j("{'number':'1001','password':'Secret-1001-pass'}")), 409,
                    null);
            assertThat(api.post("/v1/domains", j("{'name':'a.example'}")).code()).isEqualTo(201);
            // the password policy still applies
            assertProblem(api.post("/v1/extensions", j("{'number':'1001','password':'weak'}")), 400, "password");
            ApiClient.Reply created = api.post("/v1/extensions",
                    j("{'number':'1001','password':'Secret-1001-pass','display_name':'Ann'}"));
            assertThat(created.code()).as(created.text()).isEqualTo(201);
            String hash = A1Hash.of("1001", "a.example", "Secret-1001-pass");
            assertThat(created.text()).doesNotContain("Secret-1001-pass").doesNotContain(hash)
                    .doesNotContain("password");
            // a change without a password keeps the hashes; PUT and PATCH alike
            assertThat(api.patch("/v1/extensions/1001", j("{'display_name':'Anna'}")).code()).isEqualTo(200);
            assertThat(api.put("/v1/extensions/1001", j("{'display_name':'Anne'}")).code()).isEqualTo(200);
            assertProblem(api.patch("/v1/extensions/1001", j("{'password':null}")), 400, "password");
            assertThat(api.get("/v1/extensions/1001").text()).doesNotContain(hash).contains("Anne");

            assertThat(api.post("/v1/domains", j("{'name':'b.example'}")).json().path("extensions_without_hash")
                    .asLong()).isEqualTo(1);
            assertThat(api.patch("/v1/extensions/1001", j("{'password':'Second-1001-pass'}")).code()).isEqualTo(200);
            assertThat(api.get("/v1/domains/b.example").json().path("extensions_without_hash").asLong()).isZero();
            assertThat(api.get("/v1/domains").text()).doesNotContain(A1Hash.of("1001", "b.example",
                    "Second-1001-pass"));
        });
        assertThat(strings("SELECT coalesce(password, 'none') FROM extensions")).containsExactly("none");
        assertThat(strings("SELECT realm || ' ' || a1_hash FROM extension_a1_hashes ORDER BY realm")).containsExactly(
                "a.example " + A1Hash.of("1001", "a.example", "Second-1001-pass"),
                "b.example " + A1Hash.of("1001", "b.example", "Second-1001-pass"));
    }

    @Test
    void concurrentPasswordWritesInA1HashStorageLeaveTheHashesOfExactlyOnePassword() throws Exception {
        Api.sql(db, "INSERT INTO domains (name) VALUES ('a.example'), ('b.example')");
        ApiClient.serve(db, A1, SwitchControl.NONE, api -> {
            assertThat(api.post("/v1/extensions", j("{'number':'1002','password':'Secret-1002-pass'}")).code())
                    .isEqualTo(201);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    String body = j("{'password':'Rotated-1002-pass-" + i + "'}");
                    calls.add(() -> api.patch("/v1/extensions/1002", body).code());
                }
                for (Future<Integer> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                    assertThat(f.get()).isEqualTo(200);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                pool.shutdownNow();
            }
        });
        List<String> hashes = strings("SELECT realm || ' ' || a1_hash FROM extension_a1_hashes ORDER BY realm");
        assertThat(hashes).hasSize(2);
        boolean onePassword = false;
        for (int i = 0; i < 16; i++) {
            String p = "Rotated-1002-pass-" + i;
            onePassword |= hashes.equals(List.of("a.example " + A1Hash.of("1002", "a.example", p),
                    "b.example " + A1Hash.of("1002", "b.example", p)));
        }
        assertThat(onePassword).as("both realms hashed from the same, last, password").isTrue();
    }

    private static List<String> strings(String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
