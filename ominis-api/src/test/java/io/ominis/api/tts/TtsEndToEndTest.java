package io.ominis.api.tts;

import static io.ominis.api.ApiCalls.postForm;
import static io.ominis.api.ApiCalls.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.api.ContractCheck;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.javalin.testtools.JavalinTest;
import io.ominis.testing.OminisDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Create an IVR with menus over the REST API, warm it against a stand-in for OpenAI, fetch ivr.conf over HTTP, and
 * find every prompt as an existing WAV file in the document.
 */
class TtsEndToEndTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void warmedPromptsAreServedAsWavFilesInIvrConf(@TempDir Path audio) throws Exception {
        try (MockWebServer openAi = new MockWebServer()) {
            openAi.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    // a header of 16-bit PCM without samples is enough: the cache checks the header, FreeSWITCH plays it
                    byte[] wav = new byte[44];
                    java.nio.ByteBuffer.wrap(wav).order(java.nio.ByteOrder.LITTLE_ENDIAN).put("RIFF".getBytes())
                            .putInt(36).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                            .putShort((short) 1).putInt(24_000).putInt(48_000).putShort((short) 2)
                            .putShort((short) 16).put("data".getBytes()).putInt(0);
                    return new MockResponse().setHeader("Content-Type", "audio/wav").setBody(new Buffer().write(wav));
                }
            });
            openAi.start();
            Map<String, String> env = new HashMap<>();
            env.put("OMINIS_TTS_DIR", audio.toString());
            env.put("OMINIS_TTS_BASE_URL", openAi.url("/").toString().replaceAll("/$", ""));
            env.put("OMINIS_OPENAI_API_KEY", "sk-test-default-key-000000");
            try (OminisServer server = OminisServer.create(ServerFixture.settings(db, env), db.dataSource())) {
                ContractCheck.test(server.app(), (srv, client) -> {
                    assertThat(send(client, "POST", "/v1/ivrs", "{\"name\": \"support\"}").code()).isEqualTo(201);
                    assertThat(send(client, "POST", "/v1/ivrs/support/menus", """
                            {"menu_id": "main_menu", "prompt_text": "Welcome to support. Press 1 for billing.",
                             "invalid_prompt": "Sorry, that is not an option."}""").code()).isEqualTo(201);
                    assertThat(send(client, "POST", "/v1/ivrs/support/menus", """
                            {"menu_id": "billing", "prompt_text": "Billing. Press 0 to hang up."}""").code())
                            .isEqualTo(201);
                    assertThat(send(client, "POST", "/v1/ivrs/support/menus/main_menu/options", """
                            {"digit": "1", "action_type": "sub_menu", "action_target": "billing"}""").code())
                            .isEqualTo(201);

                    var warm = send(client, "POST", "/v1/ivrs/support/tts/warm", "");
                    assertThat(warm.code()).as(warm.body().string()).isEqualTo(200);
                    JsonNode report = JSON.readTree(warm.body().string());
                    assertThat(report.get("prompts")).hasSize(3);
                    report.get("prompts").forEach(p -> assertThat(p.get("outcome").asText()).isNotEqualTo("FAILED"));

                    String conf = postForm(client, "/v1/freeswitch/configuration",
                            "hostname=fs1&section=configuration&tag_name=configuration&key_name=name&key_value=ivr.conf"
                                    + "&Menu-Name=support").body().string();
                    Matcher wav = Pattern.compile("\"(/[^\"]+\\.wav)\"").matcher(conf);
                    int files = 0;
                    while (wav.find()) {
                        assertThat(Path.of(wav.group(1))).exists().startsWith(audio);
                        assertThat(Files.size(Path.of(wav.group(1)))).isEqualTo(44);
                        files++;
                    }
                    assertThat(files).as(conf).isGreaterThanOrEqualTo(3);
                    assertThat(conf).doesNotContain("say:Welcome").doesNotContain("say:Billing");

                    JsonNode cache = JSON.readTree(client.get("/v1/tts/cache").body().string());
                    assertThat(cache.get("entries").asInt()).isEqualTo(3);
                    assertThat(cache.get("total_bytes").asLong()).isEqualTo(3 * 44);
                    assertThat(cache.get("recent")).hasSize(3);
                });
                assertThat(openAi.getRequestCount()).isEqualTo(3);
            }
        }
    }
}
