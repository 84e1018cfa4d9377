package io.ominis.server.realswitch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.testing.OminisDatabase;
import io.ominis.testing.freeswitch.RealFreeSwitch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * IVR menus served through ivr.conf play on a real FreeSWITCH: a prompt synthesized by a local stand-in for the speech
 * API is played from the cache, and a prompt that could not be synthesized is still spoken (by mod_flite). What the
 * caller hears is recorded by the other end of a loopback call and measured.
 */
class IvrOnRealSwitchTest {

    /** The stand-in's "speech": a 1 kHz tone at OpenAI's 24 kHz, so that the recording tells it apart from flite. */
    static final double TONE_HZ = 1000;

    static final MockWebServer speech = startSpeech();
    static final AtomicInteger synthesized = new AtomicInteger();
    static final Path audioDir = tempDir();

    @RegisterExtension
    @Order(1)
    static final OminisDatabase db = OminisDatabase.migrated();

    static final SwitchFixture sw = SwitchFixture.create(db, RealFreeSwitch.builder(), Map.of(
            "OMINIS_TTS_DIR", audioDir.toString(),
            "OMINIS_TTS_BASE_URL", speech.url("/").toString().replaceAll("/$", ""),
            "OMINIS_OPENAI_API_KEY", "sk-test-default-key-000000"));

    @RegisterExtension
    @Order(2)
    static final OminisUnderTest ominis = sw.ominis;

    @RegisterExtension
    @Order(3)
    static final RealFreeSwitch fs = sw.fs;

    final Rest rest = sw.rest();

    @AfterAll
    static void stopSpeech() throws Exception {
        speech.shutdown();
    }

    @Test
    void aCachedPromptIsPlayedFromItsFile() throws Exception {
        createIvr("cached", "Welcome to the cached menu.");
        Rest.Reply warm = rest.post("/v1/ivrs/cached/tts/warm", "");
        assertThat(warm.code()).as(warm.text()).isEqualTo(200);
        assertThat(synthesized.get()).isPositive();

        Audio.Measure heard = callAndRecord("cached");
        assertThat(heard.loudSeconds()).as("seconds of sound in %s", heard).isGreaterThan(1.0);
        assertThat(heard.toneShare()).as("share of the cached 1 kHz tone in what the caller heard: %s", heard)
                .isGreaterThan(0.5);
    }

    @Test
    void aPromptNotYetSynthesizedIsStillSpoken() throws Exception {
        createIvr("fallback", "Nothing was synthesized for this menu, so flite speaks it.");
        Audio.Measure heard = callAndRecord("fallback");
        assertThat(heard.loudSeconds()).as("seconds of speech in %s", heard).isGreaterThan(1.0);
        assertThat(heard.toneShare()).as("flite speech, not the stand-in's tone: %s", heard).isLessThan(0.2);
    }

    @Test
    void theNamedRootMenuIsWhatFreeSwitchPlaysEvenBesideAMainMenu() throws Exception {
        assertThat(rest.post("/v1/ivrs", "{\"name\": \"rooted\"}").code()).isEqualTo(201);
        // the first menu becomes the root; main_menu, which the old guess would have picked, follows it
        assertThat(rest.post("/v1/ivrs/rooted/menus", "{\"menu_id\": \"intro\", \"prompt_text\": "
                + "\"Welcome to the named root.\", \"timeout_seconds\": 3}").code()).isEqualTo(201);
        assertThat(rest.post("/v1/ivrs/rooted/menus", "{\"menu_id\": \"main_menu\", \"prompt_text\": "
                + "\"Nothing was synthesized for the main menu.\", \"timeout_seconds\": 3}").code()).isEqualTo(201);
        assertThat(rest.get("/v1/ivrs/rooted").json().path("root_menu").asText()).isEqualTo("intro");
        rest.post("/v1/ivrs/rooted/tts/warm", "");

        Audio.Measure intro = callAndRecord("rooted");
        assertThat(intro.toneShare()).as("the cached tone of the root 'intro': %s", intro).isGreaterThan(0.5);

        Rest.Reply moved = rest.patch("/v1/ivrs/rooted", "{\"root_menu\": \"main_menu\"}");
        assertThat(moved.code()).as(moved.text()).isEqualTo(200);
        Audio.Measure main = callAndRecord("rooted");
        assertThat(main.loudSeconds()).as("speech of main_menu: %s", main).isGreaterThan(1.0);
        assertThat(main.toneShare()).as("flite speaking main_menu now, not intro's tone: %s", main).isLessThan(0.2);
    }

    private void createIvr(String name, String prompt) {
        assertThat(rest.post("/v1/ivrs", "{\"name\": \"" + name + "\"}").code()).isEqualTo(201);
        Rest.Reply menu = rest.post("/v1/ivrs/" + name + "/menus",
                "{\"menu_id\": \"main_menu\", \"prompt_text\": \"" + prompt + "\", \"timeout_seconds\": 3}");
        assertThat(menu.code()).as(menu.text()).isEqualTo(201);
    }

    /** Calls {@code ivr-<name>} over loopback; the originating end records what it hears for about 6 s. */
    private Audio.Measure callAndRecord(String ivr) throws Exception {
        Path recording = fs.home().resolve("recordings").resolve(ivr + ".wav");
        Files.deleteIfExists(recording);
        fs.clearLog();
        String reply = fs.api("originate", "{origination_caller_id_number=5550100}loopback/ivr-" + ivr
                + "/default &record(" + recording + ")", Duration.ofSeconds(30));
        assertThat(reply).startsWith("+OK");
        fs.awaitLog(Pattern.compile("Executing IVR menu " + Pattern.quote(ivr)), Duration.ofSeconds(10));
        Thread.sleep(6_000);
        fs.api("hupall", "NORMAL_CLEARING");
        // mod_sndfile fills in the WAV header's lengths when the recording is closed at hang-up
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !Audio.isComplete(recording)) {
            Thread.sleep(100);
        }
        assertThat(Audio.isComplete(recording)).as("%s closed", recording).isTrue();
        return Audio.measure(recording, TONE_HZ);
    }

    private static MockWebServer startSpeech() {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getBody().snapshot().utf8().contains("Nothing was synthesized")) {
                    return new MockResponse().setResponseCode(400)
                            .setBody("{\"error\": {\"message\": \"refused by the test\"}}");
                }
                synthesized.incrementAndGet();
                return new MockResponse().setHeader("Content-Type", "audio/wav")
                        .setBody(new Buffer().write(Audio.toneWav(24_000, TONE_HZ, 4)));
            }
        });
        try {
            server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return server;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("ominis-ivr-audio");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
