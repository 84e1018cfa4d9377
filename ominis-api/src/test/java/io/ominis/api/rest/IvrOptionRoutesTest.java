package io.ominis.api.rest;

import io.ominis.xmlrpc.SwitchControl;
import static io.ominis.api.rest.ApiClient.assertProblem;
import static io.ominis.api.rest.ApiClient.j;
import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.api.rest.ApiClient.Reply;
import io.ominis.testing.OminisDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code …/menus/{menuId}/options}: digits in the path, the seven action types and their targets, conflicts. */
class IvrOptionRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    static final String OPTIONS = "/v1/ivrs/main/menus/main_menu/options";

    @BeforeEach
    void seed() {
        Tables.execute(db, "DELETE FROM ivrs");
        Tables.execute(db, "INSERT INTO ivrs (name) VALUES ('main'), ('other')");
        Tables.execute(db, "INSERT INTO ivr_menus (ivr_name, menu_id, prompt_text) VALUES "
                + "('main', 'main_menu', 'Welcome'), ('main', 'sales', 'Sales'), ('other', 'support', 'Other')");
        Tables.execute(db, "INSERT INTO ivr_menu_options (menu_id, digit, action_type, action_target) "
                + "SELECT id, '9', 'hangup', 'NORMAL_CLEARING' FROM ivr_menus WHERE menu_id = 'main_menu'");
    }

    static String state() {
        return Tables.snapshot(db, "ivrs", "ivr_menus", "ivr_menu_options");
    }

    static void withApi(Consumer<ApiClient> test) {
        withApi(Map.of("OMINIS_IVR_HTTP_ALLOWED_URLS", "https://example.com/balance"), test);
    }

    static void withApi(Map<String, String> env, Consumer<ApiClient> test) {
        ApiClient.serve(db, env, SwitchControl.NONE, test);
    }

    static String path(String digit) {
        return OPTIONS + "/" + URLEncoder.encode(digit, StandardCharsets.UTF_8);
    }

    @Test
    void bindsEveryActionTypeAndReadsDigitsBackFromThePath() {
        withApi(api -> {
            String[][] valid = {
                    {"1", "transfer_queue", "queue-sales@default"},
                    {"2", "transfer_extension", "1001"},
                    {"3", "sub_menu", "sales"},
                    {"4", "http_api_call", "https://example.com/balance?id=1"},
                    {"*", "hangup", "NORMAL_CLEARING"},
                    {"#", "play_audio", "ivr/ivr-thank_you.wav"},
                    {"timeout", "voicemail", "1001"},
                    {"/^[5-8]$/", "transfer_extension", "1002"},
            };
            for (String[] v : valid) {
                Reply created = api.post(OPTIONS, j("{'digit': '" + v[0] + "', 'action_type': '" + v[1]
                        + "', 'action_target': '" + v[2] + "', 'action_config': {'retries': 2}, "
                        + "'description': 'd'}").replace("\\\\", "\\"));
                assertThat(created.code()).as("%s", created).isEqualTo(201);
                assertThat(created.location()).isEqualTo(path(v[0]));
                Reply got = api.get(path(v[0]));
                assertThat(got.code()).as("GET %s: %s", v[0], got).isEqualTo(200);
                assertThat(got.json().path("digit").asText()).isEqualTo(v[0]);
                assertThat(got.json().path("action_type").asText()).isEqualTo(v[1]);
                assertThat(got.json().path("action_target").asText()).isEqualTo(v[2]);
                assertThat(got.json().path("action_config").path("retries").asInt()).isEqualTo(2);
                assertThat(got.json().has("id")).isFalse();
                assertThat(got.json().has("menu_id")).isFalse();
            }
            assertThat(api.get(OPTIONS).json()).hasSize(valid.length + 1);
        });
    }

    @Test
    void soundsStayUnderTheRootsAndUrlsInsideTheAllowlist() {
        Map<String, String> env = Map.of("OMINIS_IVR_SOUND_ROOTS", "/srv/prompts,/opt/sounds/",
                "OMINIS_IVR_HTTP_ALLOWED_URLS", "https://crm.example.com/api/, http://127.0.0.1:9000/hook,https://*.corp.test");
        withApi(env, api -> {
            String before = state();
            String[][] refused = {
                    {"play_audio", "shell_stream:///bin/sh -c id"},
                    {"play_audio", "SHELL_STREAM:///bin/sh"},
                    {"play_audio", "/etc/shadow"},
                    {"play_audio", "/srv/prompts-evil/a.wav"},
                    {"play_audio", "/srv/prompts/../../etc/shadow"},
                    {"play_audio", "../../../etc/passwd"},
                    {"play_audio", "ivr/../../x.wav"},
                    {"play_audio", "http://evil.example.com/a.wav"},
                    {"play_audio", "https://evil.example.com/a.mp3"},
                    {"play_audio", "file_string:///srv/prompts/a.wav!/etc/shadow"},
                    {"play_audio", "local_stream://moh"},
                    {"http_api_call", "http://127.0.0.1:8080/RPC2"},
                    {"http_api_call", "http://127.0.0.1:9000/other"},
                    {"http_api_call", "http://localhost/x"},
                    {"http_api_call", "http://[::1]/x"},
                    {"http_api_call", "http://169.254.169.254/latest/meta-data"},
                    {"http_api_call", "http://2130706433/"},
                    {"http_api_call", "http://0x7f.1/"},
                    {"http_api_call", "https://crm.example.com.evil.org/api/x"},
                    {"http_api_call", "https://crm.example.com/other"},
                    {"http_api_call", "https://crm.example.com:8443/api/x"},
                    {"http_api_call", "http://crm.example.com/api/x"},
                    {"http_api_call", "https://corp.test.evil.org/"},
            };
            for (String[] c : refused) {
                String body = j("{'digit': '1', 'action_type': '" + c[0] + "', 'action_target': '" + c[1] + "'}");
                assertProblem(api.post(OPTIONS, body), 400, "action_target");
                assertProblem(api.put(path("9"), body), 400, "action_target");
            }
            assertThat(state()).isEqualTo(before);
            String[][] accepted = {
                    {"play_audio", "/srv/prompts/welcome.wav"},
                    {"play_audio", "/opt/sounds/en/us/callie/ivr/8000/ivr-welcome.wav"},
                    {"play_audio", "ivr/ivr-welcome.wav"},
                    {"play_audio", "tone_stream://%(1000,0,350,440)"},
                    {"play_audio", "silence_stream://1000"},
                    {"play_audio", "say:Please wait... thank you"},
                    {"play_audio", "phrase:voicemail_hello"},
                    {"http_api_call", "https://crm.example.com/api/balance?id=1"},
                    {"http_api_call", "HTTPS://CRM.example.com/api/x"},
                    {"http_api_call", "http://127.0.0.1:9000/hook/x"},
                    {"http_api_call", "https://billing.corp.test/x"},
            };
            for (String[] c : accepted) {
                Reply put = api.put(path("9"), j("{'action_type': '" + c[0] + "', 'action_target': '" + c[1] + "'}"));
                assertThat(put.code()).as("%s %s: %s", c[0], c[1], put).isEqualTo(200);
            }
        });
        // by default, no URL is allowed and absolute sounds are limited to the TTS and FreeSWITCH sound directories
        withApi(Map.of(), api -> {
            assertProblem(api.put(path("9"), j("{'action_type': 'http_api_call', 'action_target': "
                    + "'https://example.com/x'}")), 400, "action_target");
            assertProblem(api.put(path("9"), j("{'action_type': 'play_audio', 'action_target': '/etc/shadow'}")),
                    400, "action_target");
            assertThat(api.put(path("9"), j("{'action_type': 'play_audio', 'action_target': "
                    + "'/usr/share/freeswitch/sounds/en/us/callie/ivr/8000/ivr-welcome.wav'}")).code()).isEqualTo(200);
        });
        // another writer meets the structural half in the schema
        for (String target : List.of("shell_stream:///bin/sh", "../../etc/passwd", "http://x/a.wav")) {
            try {
                Tables.execute(db, "UPDATE ivr_menu_options SET action_type = 'play_audio', action_target = '"
                        + target + "'");
                throw new AssertionError("accepted " + target);
            } catch (RuntimeException e) {
                assertThat(e).hasStackTraceContaining("ivr_menu_options_action_target_check");
            }
        }
    }

    @Test
    void replacesPatchesAndDeletes() {
        withApi(api -> {
            Reply put = api.put(path("9"), j("{'action_type': 'transfer_queue', 'action_target': 'support'}"));
            assertThat(put.code()).as("%s", put).isEqualTo(200);
            assertThat(put.json().path("digit").asText()).isEqualTo("9");
            assertThat(put.json().path("action_config").isNull()).isTrue();

            Reply patched = api.patch(path("9"), j("{'action_config': {'announce': 'yes'}, 'description': 'q'}"));
            assertThat(patched.json().path("action_target").asText()).isEqualTo("support");
            assertThat(patched.json().path("action_config").path("announce").asText()).isEqualTo("yes");

            Reply rebound = api.patch(path("9"), j("{'digit': '#'}"));
            assertThat(rebound.json().path("digit").asText()).isEqualTo("#");
            assertProblem(api.get(path("9")), 404, null);
            assertThat(api.get(path("#")).json().path("description").asText()).isEqualTo("q");

            assertThat(api.delete(path("#")).code()).isEqualTo(204);
            assertThat(api.get(OPTIONS).json()).isEmpty();
        });
    }

    @Test
    void refusesInvalidValuesNamingTheFieldAndChangesNothing() {
        withApi(api -> {
            String before = state();
            String[][] cases = {
                    {"12a", "hangup", "NORMAL_CLEARING", "digit"},
                    {"", "hangup", "NORMAL_CLEARING", "digit"},
                    {"/[/", "hangup", "NORMAL_CLEARING", "digit"},
                    {"1", "dance", "x", "action_type"},
                    {"1", "transfer_queue", "bad queue", "action_target"},
                    {"1", "transfer_extension", "-abc", "action_target"},
                    {"1", "sub_menu", "nope", "action_target"},
                    {"1", "sub_menu", "support", "action_target"},
                    {"1", "http_api_call", "ftp://example.com/x", "action_target"},
                    {"1", "http_api_call", "not a url", "action_target"},
                    {"1", "hangup", "normal", "action_target"},
                    {"1", "play_audio", "a\\nb", "action_target"},
                    {"1", "play_audio", "${system(id)}", "action_target"},
                    {"1", "voicemail", "x y", "action_target"},
                    {"1", "play_audio", "", "action_target"},
            };
            for (String[] c : cases) {
                String body = j("{'digit': '" + c[0] + "', 'action_type': '" + c[1] + "', 'action_target': '"
                        + c[2] + "'}");
                assertProblem(api.post(OPTIONS, body), 400, c[3]);
                assertProblem(api.put(path("9"), body), 400, c[3]);
                String patch = c[3].equals("digit") ? j("{'digit': '" + c[0] + "'}")
                        : j("{'action_type': '" + c[1] + "', 'action_target': '" + c[2] + "'}");
                assertProblem(api.patch(path("9"), patch), 400, c[3]);
            }
            assertProblem(api.post(OPTIONS, j("{'digit': '1', 'action_target': 'x'}")), 400, "action_type");
            assertProblem(api.post(OPTIONS, j("{'digit': '1', 'action_type': 'hangup'}")), 400, "action_target");
            assertProblem(api.post(OPTIONS, j("{'action_type': 'hangup', 'action_target': 'NORMAL_CLEARING'}")),
                    400, "digit");
            assertProblem(api.patch(path("9"), j("{'action_config': [1]}")), 400, "action_config");
            assertProblem(api.patch(path("9"), j("{'action_config': 'x'}")), 400, "action_config");
            assertProblem(api.patch(path("9"), j("{'description': 'bell\\u0007'}")), 400, "description");
            assertThat(state()).isEqualTo(before);
        });
    }

    @Test
    void answersNotFoundAndConflicts() {
        withApi(api -> {
            String before = state();
            String body = j("{'digit': '1', 'action_type': 'hangup', 'action_target': 'NORMAL_CLEARING'}");
            assertProblem(api.get("/v1/ivrs/nope/menus/main_menu/options"), 404, null);
            assertProblem(api.post("/v1/ivrs/main/menus/nope/options", body), 404, null);
            assertProblem(api.get(path("5")), 404, null);
            assertProblem(api.put(path("5"), body), 404, null);
            assertProblem(api.patch(path("5"), j("{'description': 'x'}")), 404, null);
            assertProblem(api.delete(path("5")), 404, null);
            // the menu_id of another IVR does not lead here
            assertProblem(api.get("/v1/ivrs/main/menus/support/options/9"), 404, null);

            assertProblem(api.post(OPTIONS, j("{'digit': '9', 'action_type': 'hangup', "
                    + "'action_target': 'USER_BUSY'}")), 409, null);
            assertThat(api.post(OPTIONS, body).code()).isEqualTo(201);
            String withTwo = state();
            assertProblem(api.patch(path("1"), j("{'digit': '9'}")), 409, null);
            assertThat(state()).isEqualTo(withTwo);
            assertThat(before).isNotEqualTo(withTwo);
        });
    }

    @Test
    void refusesMalformedBodies() {
        withApi(api -> {
            String valid = j("{'digit': '5', 'action_type': 'hangup', 'action_target': 'NORMAL_CLEARING'}");
            api.assertRejectsBadBodies("POST", OPTIONS, valid, "action_target", IvrOptionRoutesTest::state);
            api.assertRejectsBadBodies("PUT", path("9"), valid, "action_target", IvrOptionRoutesTest::state);
            api.assertRejectsBadBodies("PATCH", path("9"), valid, "action_target", IvrOptionRoutesTest::state);
        });
    }

    @Test
    void needsTheBearerTokenWhenOneIsSet() {
        ApiClient.assertNeedsToken(db, "DELETE", path("9"), null, IvrOptionRoutesTest::state);
    }

    /** Hangup causes other than the seeded option's NORMAL_CLEARING. */
    static final String[] CAUSES = {"USER_BUSY", "NO_ANSWER", "CALL_REJECTED", "ORIGINATOR_CANCEL", "NO_USER_RESPONSE"};

    @Test
    void concurrentPatchesOfDifferentFieldsLoseNone() {
        withApi(api -> ConcurrentPatches.assertNoLostField(api, path("9"), Map.of(
                "action_target", k -> "\"" + CAUSES[k % CAUSES.length] + "\"",
                "action_config", k -> "{\"retries\": " + k + "}",
                "description", k -> "\"Option " + k + "\"")));
    }

    @Test
    void sendsAnETagAndRefusesAStaleIfMatchWith412() {
        withApi(api -> ConcurrentPatches.assertIfMatch(api, path("9"), j("{'description': 'one'}"),
                j("{'description': 'two'}"), IvrOptionRoutesTest::state));
    }
}
