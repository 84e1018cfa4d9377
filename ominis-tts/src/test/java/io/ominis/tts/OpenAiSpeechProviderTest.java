package io.ominis.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiSpeechProviderTest {

    private static final String IVR_KEY = "sk-ivr-0123456789abcdefSECRET";
    private static final String DEFAULT_KEY = "sk-default-9876543210zyxwvuSECRET";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private OpenAiSpeechProvider.Builder provider() {
        return OpenAiSpeechProvider.builder()
                .baseUrl(server.url("/").toString())
                .defaultApiKey(DEFAULT_KEY)
                .readTimeout(Duration.ofMillis(500))
                .callTimeout(Duration.ofSeconds(5))
                .initialBackoff(Duration.ofMillis(10))
                .maxRetries(2);
    }

    static MockResponse audio(byte[] bytes) {
        return new MockResponse().setHeader("Content-Type", "audio/wav").setBody(new Buffer().write(bytes));
    }

    static MockResponse error(int code, String message) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody("{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\"}}");
    }

    private static final SpeechRequest HELLO = SpeechRequest.of("Hello caller", "en", "alloy", "tts-1");

    @Test
    void postsTheSpeechRequestWithTheAccountsKey() throws Exception {
        server.enqueue(audio("RIFFaudio".getBytes()));
        SpeechRequest request = new SpeechRequest("  Press one for sales. ", "en", "nova", "gpt-4o-mini-tts",
                SpeechFormat.MP3, 1.25, "Speak calmly");

        byte[] bytes = provider().build().synthesize(request, SpeechAccount.of("sales", IVR_KEY));

        assertThat(bytes).asString().isEqualTo("RIFFaudio");
        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getPath()).isEqualTo("/v1/audio/speech");
        assertThat(recorded.getHeader("Authorization")).isEqualTo("Bearer " + IVR_KEY);
        assertThat(recorded.getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree(recorded.getBody().readUtf8());
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini-tts");
        assertThat(body.path("voice").asText()).isEqualTo("nova");
        assertThat(body.path("input").asText()).isEqualTo("Press one for sales.");
        assertThat(body.path("response_format").asText()).isEqualTo("mp3");
        assertThat(body.path("speed").asDouble()).isEqualTo(1.25);
        assertThat(body.path("instructions").asText()).isEqualTo("Speak calmly");
        assertThat(body.size()).isEqualTo(6);
    }

    @Test
    void usesTheDefaultKeyAndOmitsUnsetOptions() throws Exception {
        server.enqueue(audio(new byte[] {1, 2, 3}));

        provider().build().synthesize(HELLO, SpeechAccount.of("sales", null));

        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.getHeader("Authorization")).isEqualTo("Bearer " + DEFAULT_KEY);
        JsonNode body = JSON.readTree(recorded.getBody().readUtf8());
        assertThat(body.path("response_format").asText()).isEqualTo("wav");
        assertThat(body.has("speed")).isFalse();
        assertThat(body.has("instructions")).isFalse();
    }

    @Test
    void withoutAnyKeyNothingIsSent() {
        OpenAiSpeechProvider p = provider().defaultApiKey(null).build();

        assertThatThrownBy(() -> p.synthesize(HELLO, SpeechAccount.of("sales", null)))
                .isInstanceOf(TtsAuthenticationException.class)
                .hasMessageContaining("IVR 'sales'");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void badRequestIsRejectedNamingTheIvrAndNotRetried() {
        server.enqueue(error(400, "Invalid voice 'robot'"));

        assertThatThrownBy(() -> provider().build().synthesize(HELLO, SpeechAccount.of("sales", IVR_KEY)))
                .isInstanceOf(TtsRejectedException.class)
                .hasMessageContaining("IVR 'sales'")
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("Invalid voice 'robot'")
                .satisfies(e -> assertThat(((TtsException) e).httpStatus()).isEqualTo(400));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void refusedKeysAreTypedNotRetriedAndNeverQuoted(int status) {
        // OpenAI's real 401 text quotes the refused key, partly masked; none of it may reach our message.
        server.enqueue(error(status, "Incorrect API key provided: " + IVR_KEY + " and sk-ivr-0***CRET."));

        assertThatThrownBy(() -> provider().build().synthesize(HELLO, SpeechAccount.of("sales", IVR_KEY)))
                .isInstanceOf(TtsAuthenticationException.class)
                .hasMessageContaining("HTTP " + status)
                .hasMessageContaining("IVR 'sales'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(IVR_KEY).doesNotContain("sk-")
                        .doesNotContain("SECRET").doesNotContain("CRET"))
                .satisfies(e -> assertThat(e.toString()).doesNotContain(IVR_KEY));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void rateLimitIsRetriedAfterTheRequestedDelay() {
        server.enqueue(error(429, "Rate limit reached").setHeader("Retry-After", "1"));
        server.enqueue(audio(new byte[] {7}));
        long start = System.nanoTime();

        byte[] bytes = provider().maxBackoff(Duration.ofSeconds(5)).build().synthesize(HELLO, SpeechAccount.DEFAULT);

        assertThat(bytes).containsExactly(7);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void retryAfterIsCappedByTheMaximumBackoff() {
        server.enqueue(error(429, "slow down").setHeader("Retry-After", "3600"));
        server.enqueue(audio(new byte[] {7}));
        long start = System.nanoTime();

        provider().maxBackoff(Duration.ofMillis(50)).build().synthesize(HELLO, SpeechAccount.DEFAULT);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void serverErrorsAreRetried() {
        server.enqueue(error(500, "boom"));
        server.enqueue(error(503, "overloaded"));
        server.enqueue(audio(new byte[] {9}));

        assertThat(provider().build().synthesize(HELLO, SpeechAccount.DEFAULT)).containsExactly(9);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void exhaustedRetriesMakeTheProviderUnavailable() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(error(502, "bad gateway"));
        }

        assertThatThrownBy(() -> provider().build().synthesize(HELLO, SpeechAccount.of("sales", IVR_KEY)))
                .isInstanceOf(TtsUnavailableException.class)
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("3 attempts");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aHangTimesOutWithoutRetrying() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        long start = System.nanoTime();

        assertThatThrownBy(() -> provider().build().synthesize(HELLO, SpeechAccount.DEFAULT))
                .isInstanceOf(TtsUnavailableException.class)
                .hasMessageContaining("timeout");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aBodyCutShortFails() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(audio(new byte[64 * 1024]).throttleBody(8 * 1024, 5, TimeUnit.MILLISECONDS)
                    .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        }

        assertThatThrownBy(() -> provider().build().synthesize(HELLO, SpeechAccount.DEFAULT))
                .isInstanceOf(TtsUnavailableException.class);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aContentLengthLongerThanTheBodyFails() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(audio(new byte[100]).setHeader("Content-Length", "5000")
                    .setSocketPolicy(SocketPolicy.DISCONNECT_AT_END));
        }

        assertThatThrownBy(() -> provider().build().synthesize(HELLO, SpeechAccount.DEFAULT))
                .isInstanceOf(TtsUnavailableException.class);
    }

    @Test
    void aRetryStartsTheSinkAfresh() {
        server.enqueue(audio(new byte[64 * 1024]).throttleBody(8 * 1024, 5, TimeUnit.MILLISECONDS)
                .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        server.enqueue(audio("complete".getBytes()));

        assertThat(provider().build().synthesize(HELLO, SpeechAccount.DEFAULT)).asString().isEqualTo("complete");
    }

    @Test
    void jsonInsteadOfAudioIsNotAudio() {
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("{}"));

        assertThatThrownBy(() -> provider().build().synthesize(HELLO, SpeechAccount.DEFAULT))
                .isInstanceOf(TtsUnavailableException.class)
                .hasMessageContaining("instead of audio");
    }

    @Test
    void identifiesItselfByItsServer() {
        assertThat(OpenAiSpeechProvider.builder().build().id()).isEqualTo("openai");
        assertThat(provider().build().id()).startsWith("openai-compatible:").contains(":" + server.getPort());
        assertThat(provider().id("local-piper").build().id()).isEqualTo("local-piper");
    }

    @Test
    void toStringHidesTheDefaultKey() {
        assertThat(provider().build().toString()).doesNotContain(DEFAULT_KEY).contains("****");
        assertThat(SpeechAccount.of("sales", IVR_KEY).toString()).doesNotContain(IVR_KEY);
    }

    @Test
    void baseUrlMustNotCarryCredentials() {
        assertThatThrownBy(() -> OpenAiSpeechProvider.builder().baseUrl("https://user:pw@example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("pw");
    }
}
