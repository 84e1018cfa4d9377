package io.ominis.api.rest;

import io.ominis.xmlrpc.SwitchControl;
import static io.ominis.api.rest.ApiClient.assertProblem;
import static io.ominis.api.rest.ApiClient.j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.api.rest.ApiClient.Reply;
import io.ominis.db.secrets.IvrApiKeys;
import io.ominis.db.secrets.SecretBox;
import io.ominis.db.secrets.SecretBoxException;
import io.ominis.testing.OminisDatabase;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /v1/ivrs}: CRUD, validation, the write-only OpenAI key and its encryption at rest. */
class IvrRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    static final String KEY = "sk-proj-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0UvWxYz";
    static final String SECRET_KEY;

    static {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        SECRET_KEY = Base64.getEncoder().encodeToString(bytes);
    }

    @BeforeEach
    void clean() {
        Tables.execute(db, "DELETE FROM ivrs");
    }

    static String state() {
        return Tables.snapshot(db, "ivrs", "ivr_menus", "ivr_menu_options");
    }

    static void withApi(Map<String, String> env, Consumer<ApiClient> test) {
        ApiClient.serve(db, env, SwitchControl.NONE, test);
    }

    static void withApi(Consumer<ApiClient> test) {
        withApi(Map.of("OMINIS_SECRET_KEY", SECRET_KEY), test);
    }

    @Test
    void createsReadsListsReplacesPatchesAndDeletes() {
        withApi(api -> {
            Reply created = api.post("/v1/ivrs", j("{'name': 'main', 'description': 'Front desk', "
                    + "'default_language': 'en-US'}"));
            assertThat(created.code()).as("%s", created).isEqualTo(201);
            assertThat(created.location()).isEqualTo("/v1/ivrs/main");
            assertThat(created.json().path("name").asText()).isEqualTo("main");
            assertThat(created.json().path("status").asText()).isEqualTo("pending");
            assertThat(created.json().path("default_voice").asText()).isEqualTo("alloy");
            assertThat(created.json().path("openai_api_key_set").asBoolean()).isFalse();
            assertThat(created.json().has("menus")).isFalse();
            assertThat(api.post("/v1/ivrs", j("{'name': 'second'}")).code()).isEqualTo(201);

            Reply got = api.get("/v1/ivrs/main");
            assertThat(got.code()).isEqualTo(200);
            assertThat(got.json().path("description").asText()).isEqualTo("Front desk");
            assertThat(got.json().path("default_language").asText()).isEqualTo("en-US");

            Reply page = api.get("/v1/ivrs?limit=1");
            assertThat(page.json().path("items")).hasSize(1);
            assertThat(page.json().path("items").get(0).path("name").asText()).isEqualTo("main");
            Reply next = api.get("/v1/ivrs?limit=1&cursor=" + page.json().path("next_cursor").asText());
            assertThat(next.json().path("items").get(0).path("name").asText()).isEqualTo("second");
            assertThat(next.json().path("next_cursor").isNull()).isTrue();
            assertThat(page.json().path("total").isNull()).isTrue();
            assertThat(api.get("/v1/ivrs?limit=1&total=true").json().path("total").asLong()).isEqualTo(2);

            Tables.execute(db, "UPDATE ivrs SET status = 'running', pod_name = 'ivr-main-0' WHERE name = 'main'");
            assertThat(api.get("/v1/ivrs?status=running").json().path("items")).hasSize(1);
            assertThat(api.get("/v1/ivrs?status=stopped").json().path("items")).isEmpty();
            assertThat(api.get("/v1/ivrs?status=running&limit=1&total=true").json().path("total").asLong())
                    .isEqualTo(1);
            assertThat(api.get("/v1/ivrs?status=stopped&total=true").json().path("total").asLong()).isZero();

            Reply put = api.put("/v1/ivrs/main", j("{'description': 'Replaced', 'default_voice': 'nova'}"));
            assertThat(put.code()).as("%s", put).isEqualTo(200);
            assertThat(put.json().path("description").asText()).isEqualTo("Replaced");
            assertThat(put.json().path("default_language").asText()).isEqualTo("en");
            // the pod's fields belong to whoever runs the pods
            assertThat(put.json().path("status").asText()).isEqualTo("running");
            assertThat(put.json().path("pod_name").asText()).isEqualTo("ivr-main-0");

            Reply patched = api.patch("/v1/ivrs/main", j("{'tts_model': 'tts-1-hd', 'description': null}"));
            assertThat(patched.code()).as("%s", patched).isEqualTo(200);
            assertThat(patched.json().path("tts_model").asText()).isEqualTo("tts-1-hd");
            assertThat(patched.json().path("default_voice").asText()).isEqualTo("nova");
            assertThat(patched.json().path("description").isNull()).isTrue();

            assertThat(api.delete("/v1/ivrs/main").code()).isEqualTo(204);
            assertProblem(api.get("/v1/ivrs/main"), 404, null);
            assertThat(Tables.query(db, "SELECT count(*) FROM ivrs")).isEqualTo("1");
        });
    }

    @Test
    void showsTheWholeTreeOnRequest() {
        withApi(api -> {
            api.post("/v1/ivrs", j("{'name': 'main'}"));
            api.post("/v1/ivrs/main/menus", j("{'menu_id': 'main_menu', 'prompt_text': 'Press 1 for sales'}"));
            api.post("/v1/ivrs/main/menus", j("{'menu_id': 'sales', 'prompt_text': 'Sales'}"));
            api.post("/v1/ivrs/main/menus/main_menu/options", j("{'digit': '1', 'action_type': 'sub_menu', "
                    + "'action_target': 'sales', 'action_config': {'announce': true}}"));
            Reply tree = api.get("/v1/ivrs/main?include=menus");
            assertThat(tree.code()).as("%s", tree).isEqualTo(200);
            assertThat(tree.json().path("menus")).hasSize(2);
            assertThat(tree.json().path("menus").get(0).path("menu_id").asText()).isEqualTo("main_menu");
            assertThat(tree.json().path("menus").get(0).path("options").get(0).path("action_config")
                    .path("announce").asBoolean()).isTrue();
            assertThat(tree.json().path("menus").get(1).path("options")).isEmpty();
            assertProblem(api.get("/v1/ivrs/main?include=everything"), 400, "include");
            assertProblem(api.get("/v1/ivrs/nope?include=menus"), 404, null);
        });
    }

    @Test
    void storesTheKeyEncryptedAndShowsOnlyAHint() {
        withApi(api -> {
            Reply created = api.post("/v1/ivrs", j("{'name': 'main', 'openai_api_key': '" + KEY + "'}"));
            assertThat(created.code()).as("%s", created).isEqualTo(201);
            assertThat(created.text()).doesNotContain(KEY).doesNotContain("Ab1Cd2");
            assertThat(created.json().path("openai_api_key_set").asBoolean()).isTrue();
            assertThat(created.json().path("openai_api_key_hint").asText()).isEqualTo("sk-…WxYz");
            assertThat(created.json().has("openai_api_key")).isFalse();

            String stored = Tables.query(db, "SELECT openai_api_key FROM ivrs WHERE name = 'main'");
            assertThat(stored).startsWith("v1:").doesNotContain(KEY).doesNotContain("Ab1Cd2");
            IvrApiKeys keys = IvrApiKeys.of(SecretBox.parseKey(SECRET_KEY));
            assertThat(keys.open("main", stored)).isEqualTo(KEY);

            for (String path : new String[] {"/v1/ivrs/main", "/v1/ivrs", "/v1/ivrs/main?include=menus"}) {
                Reply r = api.get(path);
                assertThat(r.text()).doesNotContain(KEY).doesNotContain(stored).contains("sk-…WxYz");
            }

            // the ciphertext is bound to its IVR: copied onto another row it does not open
            api.post("/v1/ivrs", j("{'name': 'other'}"));
            Tables.execute(db, "UPDATE ivrs SET openai_api_key = '" + stored + "' WHERE name = 'other'");
            String moved = Tables.query(db, "SELECT openai_api_key FROM ivrs WHERE name = 'other'");
            assertThatThrownBy(() -> keys.open("other", moved)).isInstanceOf(SecretBoxException.Unauthentic.class);
        });
    }

    @Test
    void keepsReplacesOrRemovesTheKeyOnPutAndPatch() {
        withApi(api -> {
            api.post("/v1/ivrs", j("{'name': 'main', 'openai_api_key': '" + KEY + "'}"));
            String first = Tables.query(db, "SELECT openai_api_key FROM ivrs WHERE name = 'main'");

            assertThat(api.put("/v1/ivrs/main", j("{'description': 'kept'}")).json()
                    .path("openai_api_key_hint").asText()).isEqualTo("sk-…WxYz");
            assertThat(api.patch("/v1/ivrs/main", j("{'description': 'still kept'}")).json()
                    .path("openai_api_key_set").asBoolean()).isTrue();
            assertThat(Tables.query(db, "SELECT openai_api_key FROM ivrs WHERE name = 'main'")).isEqualTo(first);

            Reply rotated = api.patch("/v1/ivrs/main", j("{'openai_api_key': 'sk-rotated-0000000000000000009876'}"));
            assertThat(rotated.json().path("openai_api_key_hint").asText()).isEqualTo("sk-…9876");
            Reply replaced = api.put("/v1/ivrs/main", j("{'openai_api_key': 'sk-put-000000000000000000005555'}"));
            assertThat(replaced.json().path("openai_api_key_hint").asText()).isEqualTo("sk-…5555");

            Reply removed = api.patch("/v1/ivrs/main", j("{'openai_api_key': null}"));
            assertThat(removed.json().path("openai_api_key_set").asBoolean()).isFalse();
            assertThat(removed.json().path("openai_api_key_hint").isNull()).isTrue();
            assertThat(Tables.query(db, "SELECT openai_api_key FROM ivrs WHERE name = 'main'")).isNull();

            api.put("/v1/ivrs/main", j("{'openai_api_key': '" + KEY + "'}"));
            assertThat(api.put("/v1/ivrs/main", j("{'openai_api_key': null}")).json()
                    .path("openai_api_key_set").asBoolean()).isFalse();
        });
    }

    @Test
    void refusesToStoreAKeyWithoutASecretKey() {
        withApi(Map.of(), api -> {
            assertThat(api.post("/v1/ivrs", j("{'name': 'main'}")).code()).isEqualTo(201);
            String before = state();
            Reply refused = api.post("/v1/ivrs", j("{'name': 'keyed', 'openai_api_key': '" + KEY + "'}"));
            assertProblem(refused, 400, "openai_api_key");
            assertThat(refused.json().path("detail").asText()).contains("set OMINIS_SECRET_KEY to store keys");
            assertThat(refused.text()).doesNotContain(KEY);
            assertProblem(api.put("/v1/ivrs/main", j("{'openai_api_key': '" + KEY + "'}")), 400, "openai_api_key");
            assertProblem(api.patch("/v1/ivrs/main", j("{'openai_api_key': '" + KEY + "'}")), 400, "openai_api_key");
            assertThat(state()).isEqualTo(before);
            assertThat(api.patch("/v1/ivrs/main", j("{'description': 'fine', 'openai_api_key': null}")).code())
                    .isEqualTo(200);
        });
    }

    @Test
    void refusesInvalidValuesNamingTheFieldAndChangesNothing() {
        withApi(api -> {
            api.post("/v1/ivrs", j("{'name': 'main'}"));
            String before = state();
            String[][] cases = {
                    {"{}", "name"},
                    {"{'name': '-bad'}", "name"},
                    {"{'name': '" + "n".repeat(65) + "'}", "name"},
                    {"{'name': 'x', 'default_language': 'english!'}", "default_language"},
                    {"{'name': 'x', 'default_voice': 'two words'}", "default_voice"},
                    {"{'name': 'x', 'tts_model': ''}", "tts_model"},
                    {"{'name': 'x', 'description': 'bell\\u0007'}", "description"},
                    {"{'name': 'x', 'openai_api_key': 'sk-short'}", "openai_api_key"},
                    {"{'name': 'x', 'openai_api_key': 'sk-with spaces 0123456789abcdef'}", "openai_api_key"},
                    {"{'name': 'x', 'status': 'running'}", "status"},
            };
            for (String[] c : cases) {
                assertProblem(api.post("/v1/ivrs", j(c[0])), 400, c[1]);
                if (!c[1].equals("name")) {
                    String body = j(c[0].replace("'name': 'x', ", ""));
                    assertProblem(api.put("/v1/ivrs/main", body), 400, c[1]);
                    assertProblem(api.patch("/v1/ivrs/main", body), 400, c[1]);
                }
                assertThat(state()).as("after %s", c[0]).isEqualTo(before);
            }
            assertProblem(api.put("/v1/ivrs/main", j("{'name': 'other'}")), 400, "name");
            assertProblem(api.patch("/v1/ivrs/main", j("{'name': 'other'}")), 400, "name");
            assertProblem(api.patch("/v1/ivrs/main", j("{'default_language': 'x'}")), 400, "default_language");
            assertProblem(api.patch("/v1/ivrs/main", "[]"), 400, "body");
            assertThat(state()).isEqualTo(before);

            assertProblem(api.get("/v1/ivrs?status=sleeping"), 400, "status");
            assertProblem(api.get("/v1/ivrs?limit=0"), 400, "limit");
            assertProblem(api.get("/v1/ivrs?cursor=forged"), 400, "cursor");
        });
    }

    @Test
    void answersNotFoundAndConflict() {
        withApi(api -> {
            api.post("/v1/ivrs", j("{'name': 'main'}"));
            String before = state();
            assertProblem(api.post("/v1/ivrs", j("{'name': 'main'}")), 409, null);
            assertProblem(api.get("/v1/ivrs/nope"), 404, null);
            assertProblem(api.put("/v1/ivrs/nope", j("{'description': 'x'}")), 404, null);
            assertProblem(api.patch("/v1/ivrs/nope", j("{'description': 'x'}")), 404, null);
            assertProblem(api.delete("/v1/ivrs/nope"), 404, null);
            assertThat(state()).isEqualTo(before);
        });
    }

    @Test
    void refusesMalformedBodies() {
        withApi(api -> {
            api.post("/v1/ivrs", j("{'name': 'main'}"));
            api.assertRejectsBadBodies("POST", "/v1/ivrs", j("{'name': 'new'}"), "description", IvrRoutesTest::state);
            api.assertRejectsBadBodies("PUT", "/v1/ivrs/main", j("{'description': 'd'}"), "description",
                    IvrRoutesTest::state);
            api.assertRejectsBadBodies("PATCH", "/v1/ivrs/main", j("{'description': 'd'}"), "description",
                    IvrRoutesTest::state);
        });
    }

    @Test
    void documentsEveryRouteWithoutTheKeyInAnyView() {
        withApi(api -> {
            Reply doc = api.get("/openapi.json");
            assertThat(doc.code()).isEqualTo(200);
            assertThat(doc.json().path("paths").has("/v1/ivrs/{name}/menus/{menuId}/options/{digit}")).isTrue();
            assertThat(doc.json().path("paths").path("/v1/acl/reload").path("post").path("responses").has("502"))
                    .isTrue();
            assertThat(doc.json().path("components").path("schemas").path("IvrInput").path("properties")
                    .has("openai_api_key")).isTrue();
            assertThat(doc.json().path("components").path("schemas").path("IvrView").path("properties")
                    .has("openai_api_key")).isFalse();
        });
    }

    @Test
    void needsTheBearerTokenWhenOneIsSet() {
        ApiClient.assertNeedsToken(db, "POST", "/v1/ivrs", j("{'name': 'main'}"), IvrRoutesTest::state);
    }

    @Test
    void concurrentPatchesOfDifferentFieldsLoseNone() {
        withApi(api -> {
            assertThat(api.post("/v1/ivrs", j("{'name': 'main'}")).code()).isEqualTo(201);
            ConcurrentPatches.assertNoLostField(api, "/v1/ivrs/main", Map.of(
                    "description", k -> "\"desc " + k + "\"",
                    "default_language", k -> "\"en-x" + k + "\"",
                    "default_voice", k -> "\"voice" + k + "\"",
                    "tts_model", k -> "\"model" + k + "\""));
        });
    }

    @Test
    void sendsAnETagAndRefusesAStaleIfMatchWith412() {
        withApi(api -> {
            assertThat(api.post("/v1/ivrs", j("{'name': 'main'}")).code()).isEqualTo(201);
            ConcurrentPatches.assertIfMatch(api, "/v1/ivrs/main", j("{'description': 'one'}"),
                    j("{'description': 'two'}"), IvrRoutesTest::state);
            assertProblem(api.patchIfMatch("/v1/ivrs/nope", j("{'description': 'x'}"), "*"), 404, null);
        });
    }
}
