package io.ominis.api.rest;

import io.ominis.xmlrpc.SwitchControl;
import static io.ominis.api.rest.ApiClient.assertProblem;
import static io.ominis.api.rest.ApiClient.j;
import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.api.rest.ApiClient.Reply;
import io.ominis.testing.OminisDatabase;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /v1/ivrs/{name}/menus}: CRUD by menu_id, renames that sub_menu options follow, validation, conflicts. */
class IvrMenuRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    static final String MENUS = "/v1/ivrs/main/menus";

    @BeforeEach
    void seed() {
        Tables.execute(db, "DELETE FROM ivrs");
        Tables.execute(db, "INSERT INTO ivrs (name) VALUES ('main'), ('other')");
        Tables.execute(db, "INSERT INTO ivr_menus (ivr_name, menu_id, prompt_text) VALUES "
                + "('main', 'main_menu', 'Welcome'), ('main', 'sales', 'Sales'), ('other', 'main_menu', 'Other')");
        Tables.execute(db, "INSERT INTO ivr_menu_options (menu_id, digit, action_type, action_target) "
                + "SELECT id, '1', 'sub_menu', 'sales' FROM ivr_menus WHERE ivr_name = 'main' AND menu_id = 'main_menu'");
        Tables.execute(db, "UPDATE ivrs SET root_menu = 'main_menu'");
    }

    static String state() {
        return Tables.snapshot(db, "ivrs", "ivr_menus", "ivr_menu_options");
    }

    static void withApi(Consumer<ApiClient> test) {
        ApiClient.serve(db, Map.of(), SwitchControl.NONE, test);
    }

    @Test
    void createsListsReadsReplacesPatchesAndDeletes() {
        withApi(api -> {
            Reply created = api.post(MENUS, j("{'menu_id': 'support', 'prompt_text': 'Support. Press 1.', "
                    + "'tts_voice': 'nova', 'timeout_seconds': 10, 'max_retries': 2, 'invalid_prompt': 'Sorry'}"));
            assertThat(created.code()).as("%s", created).isEqualTo(201);
            assertThat(created.location()).isEqualTo(MENUS + "/support");
            assertThat(created.json().path("menu_id").asText()).isEqualTo("support");
            assertThat(created.json().path("timeout_seconds").asInt()).isEqualTo(10);
            assertThat(created.json().has("id")).isFalse();
            assertThat(created.json().has("ivr_name")).isFalse();

            Reply defaults = api.post(MENUS, j("{'menu_id': 'billing', 'prompt_text': 'Billing'}"));
            assertThat(defaults.json().path("timeout_seconds").asInt()).isEqualTo(5);
            assertThat(defaults.json().path("max_retries").asInt()).isEqualTo(3);

            Reply list = api.get(MENUS);
            assertThat(list.json()).extracting(n -> n.path("menu_id").asText())
                    .containsExactly("billing", "main_menu", "sales", "support");
            assertThat(api.get("/v1/ivrs/other/menus").json()).hasSize(1);

            assertThat(api.get(MENUS + "/support").json().path("invalid_prompt").asText()).isEqualTo("Sorry");

            Reply put = api.put(MENUS + "/support", j("{'prompt_text': 'Support, replaced'}"));
            assertThat(put.code()).as("%s", put).isEqualTo(200);
            assertThat(put.json().path("menu_id").asText()).isEqualTo("support");
            assertThat(put.json().path("tts_voice").isNull()).isTrue();
            assertThat(put.json().path("timeout_seconds").asInt()).isEqualTo(5);

            Reply patched = api.patch(MENUS + "/support", j("{'max_retries': 7, 'invalid_prompt': 'Again'}"));
            assertThat(patched.json().path("max_retries").asInt()).isEqualTo(7);
            assertThat(patched.json().path("prompt_text").asText()).isEqualTo("Support, replaced");

            assertThat(api.delete(MENUS + "/support").code()).isEqualTo(204);
            assertProblem(api.get(MENUS + "/support"), 404, null);
        });
    }

    @Test
    void theRootMenuCannotBeDeletedUntilAnotherIsTheRoot() {
        withApi(api -> {
            String before = state();
            Reply refused = api.delete(MENUS + "/main_menu");
            assertProblem(refused, 409, null);
            assertThat(refused.text()).contains("root menu");
            assertThat(state()).isEqualTo(before);

            assertProblem(api.patch("/v1/ivrs/main", j("{'root_menu': 'nowhere'}")), 400, "root_menu");
            assertProblem(api.patch("/v1/ivrs/main", j("{'root_menu': 'bad id!'}")), 400, "root_menu");
            assertThat(state()).isEqualTo(before);
            Reply moved = api.patch("/v1/ivrs/main", j("{'root_menu': 'sales'}"));
            assertThat(moved.code()).as("%s", moved).isEqualTo(200);
            assertThat(moved.json().path("root_menu").asText()).isEqualTo("sales");
            // the old root has no sub_menu leading to it, so it can go now; the new root cannot
            assertThat(api.delete(MENUS + "/main_menu").code()).isEqualTo(204);
            assertProblem(api.delete(MENUS + "/sales"), 409, null);
        });
    }

    @Test
    void aNewIvrsFirstMenuBecomesItsRoot() {
        withApi(api -> {
            assertProblem(api.post("/v1/ivrs", j("{'name': 'fresh', 'root_menu': 'start'}")), 400, "root_menu");
            assertThat(api.post("/v1/ivrs", j("{'name': 'fresh'}")).json().path("root_menu").isNull()).isTrue();
            api.post("/v1/ivrs/fresh/menus", j("{'menu_id': 'start', 'prompt_text': 'Hello'}"));
            api.post("/v1/ivrs/fresh/menus", j("{'menu_id': 'main_menu', 'prompt_text': 'Main'}"));
            assertThat(api.get("/v1/ivrs/fresh").json().path("root_menu").asText()).isEqualTo("start");
            // PUT without root_menu keeps it
            assertThat(api.put("/v1/ivrs/fresh", j("{'description': 'd'}")).json().path("root_menu").asText())
                    .isEqualTo("start");
        });
    }

    @Test
    void renamingAMenuTakesItsSubMenuOptionsAlong() {
        withApi(api -> {
            Reply renamed = api.patch(MENUS + "/sales", j("{'menu_id': 'sales_desk'}"));
            assertThat(renamed.code()).as("%s", renamed).isEqualTo(200);
            assertThat(renamed.json().path("menu_id").asText()).isEqualTo("sales_desk");
            assertThat(api.get(MENUS + "/main_menu/options/1").json().path("action_target").asText())
                    .isEqualTo("sales_desk");
            Reply back = api.put(MENUS + "/sales_desk", j("{'menu_id': 'sales', 'prompt_text': 'Sales'}"));
            assertThat(back.code()).isEqualTo(200);
            assertThat(Tables.query(db, "SELECT action_target FROM ivr_menu_options")).isEqualTo("sales");
        });
    }

    @Test
    void refusesInvalidValuesNamingTheFieldAndChangesNothing() {
        withApi(api -> {
            String before = state();
            String[][] cases = {
                    {"{'menu_id': 'bad id', 'prompt_text': 'p'}", "menu_id"},
                    {"{'menu_id': 'x', 'prompt_text': '  '}", "prompt_text"},
                    {"{'menu_id': 'x', 'prompt_text': 'Hi ${system(id)}'}", "prompt_text"},
                    {"{'menu_id': 'x', 'prompt_text': 'p', 'tts_voice': 'bad voice'}", "tts_voice"},
                    {"{'menu_id': 'x', 'prompt_text': 'p', 'timeout_seconds': 0}", "timeout_seconds"},
                    {"{'menu_id': 'x', 'prompt_text': 'p', 'timeout_seconds': 301}", "timeout_seconds"},
                    {"{'menu_id': 'x', 'prompt_text': 'p', 'max_retries': 0}", "max_retries"},
                    {"{'menu_id': 'x', 'prompt_text': 'p', 'max_retries': 11}", "max_retries"},
                    {"{'menu_id': 'x', 'prompt_text': 'p', 'invalid_prompt': '${api(x)}'}", "invalid_prompt"},
                    {"{'menu_id': 'x', 'prompt_text': 'p', 'timeout_seconds': 5.5}", "timeout_seconds"},
                    {"{'menu_id': 'x', 'prompt_text': 'p', 'timeout_seconds': '5'}", "timeout_seconds"},
            };
            for (String[] c : cases) {
                assertProblem(api.post(MENUS, j(c[0])), 400, c[1]);
                assertProblem(api.put(MENUS + "/sales", j(c[0].replace("'menu_id': 'x', ", ""))), 400, c[1]);
                // the patch carries only the faulty field
                String patch = c[0].replace("'menu_id': 'x', ", "").replace("'prompt_text': 'p', ", "");
                assertProblem(api.patch(MENUS + "/sales", j(patch)), 400, c[1]);
            }
            assertProblem(api.post(MENUS, j("{'prompt_text': 'p'}")), 400, "menu_id");
            assertProblem(api.patch(MENUS + "/sales", j("{'prompt_text': null}")), 400, "prompt_text");
            assertProblem(api.patch(MENUS + "/sales", j("{'menu_id': '-x'}")), 400, "menu_id");
            assertThat(state()).isEqualTo(before);
        });
    }

    @Test
    void answersNotFoundAndConflicts() {
        withApi(api -> {
            String before = state();
            assertProblem(api.get("/v1/ivrs/nope/menus"), 404, null);
            assertProblem(api.post("/v1/ivrs/nope/menus", j("{'menu_id': 'x', 'prompt_text': 'p'}")), 404, null);
            Reply missingIvr = api.get("/v1/ivrs/nope/menus/main_menu");
            assertProblem(missingIvr, 404, null);
            assertThat(missingIvr.json().path("detail").asText()).contains("ivr 'nope'");
            assertProblem(api.get(MENUS + "/nope"), 404, null);
            assertProblem(api.put(MENUS + "/nope", j("{'prompt_text': 'p'}")), 404, null);
            assertProblem(api.patch(MENUS + "/nope", j("{'prompt_text': 'p'}")), 404, null);
            assertProblem(api.delete(MENUS + "/nope"), 404, null);

            assertProblem(api.post(MENUS, j("{'menu_id': 'sales', 'prompt_text': 'p'}")), 409, null);
            assertProblem(api.put(MENUS + "/sales", j("{'menu_id': 'main_menu', 'prompt_text': 'p'}")), 409, null);
            assertProblem(api.patch(MENUS + "/sales", j("{'menu_id': 'main_menu'}")), 409, null);
            Reply referenced = api.delete(MENUS + "/sales");
            assertProblem(referenced, 409, null);
            assertThat(referenced.json().path("detail").asText()).contains("main_menu");
            assertThat(state()).isEqualTo(before);

            // a menu's own options do not hold it (once it is not the root)
            assertThat(api.patch("/v1/ivrs/main", j("{'root_menu': 'sales'}")).code()).isEqualTo(200);
            assertThat(api.delete(MENUS + "/main_menu").code()).isEqualTo(204);
            assertProblem(api.delete(MENUS + "/sales"), 409, null);
        });
    }

    @Test
    void refusesMalformedBodies() {
        withApi(api -> {
            String valid = j("{'menu_id': 'new', 'prompt_text': 'p'}");
            api.assertRejectsBadBodies("POST", MENUS, valid, "prompt_text", IvrMenuRoutesTest::state);
            api.assertRejectsBadBodies("PUT", MENUS + "/sales", valid, "prompt_text", IvrMenuRoutesTest::state);
            api.assertRejectsBadBodies("PATCH", MENUS + "/sales", valid, "prompt_text", IvrMenuRoutesTest::state);
        });
    }

    @Test
    void needsTheBearerTokenWhenOneIsSet() {
        ApiClient.assertNeedsToken(db, "PATCH", MENUS + "/sales", j("{'prompt_text': 'new'}"),
                IvrMenuRoutesTest::state);
    }

    @Test
    void concurrentPatchesOfDifferentFieldsLoseNone() {
        withApi(api -> ConcurrentPatches.assertNoLostField(api, MENUS + "/sales", Map.of(
                "prompt_text", k -> "\"Prompt " + k + "\"",
                "tts_voice", k -> "\"voice" + k + "\"",
                "timeout_seconds", k -> Integer.toString(100 + k),
                "max_retries", k -> Integer.toString(4 + k % 7),
                "invalid_prompt", k -> "\"Invalid " + k + "\"")));
    }

    @Test
    void sendsAnETagAndRefusesAStaleIfMatchWith412() {
        withApi(api -> ConcurrentPatches.assertIfMatch(api, MENUS + "/sales", j("{'prompt_text': 'One'}"),
                j("{'prompt_text': 'Two'}"), IvrMenuRoutesTest::state));
    }
}
