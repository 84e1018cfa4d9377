package io.ominis.tts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ominis.tts.internal.RetryAfter;
import io.ominis.tts.internal.Secrets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenAI's speech endpoint ({@code POST {base}/v1/audio/speech}) over OkHttp; works with any OpenAI-compatible
 * server through {@link Builder#baseUrl(String)}. Built with {@link #builder()}, immutable and thread-safe.
 *
 * <p><b>Errors.</b> 401 and 403 become {@link TtsAuthenticationException}, 400 and other 4xx
 * {@link TtsRejectedException}; neither is retried. 408, 429 and 5xx are retried up to {@link Builder#maxRetries(int)}
 * times with exponential backoff, waiting what {@code retry-after-ms} or {@code Retry-After} (seconds or HTTP-date)
 * asks when present, never longer than {@link Builder#maxBackoff(Duration)}; then {@link TtsUnavailableException}.
 * Connection failures and bodies cut short are retried the same way. Timeouts are not: the attempt already used the
 * whole read or call timeout, and the caller (often an IVR being rendered) is waiting.
 *
 * <p><b>Keys.</b> The account's key is used when it has one, else the default key. Keys are sent only in the
 * {@code Authorization} header and are redacted from every message this class produces, including the provider's
 * own error text.
 */
public final class OpenAiSpeechProvider implements SpeechProvider {

    /** OpenAI's API. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com";

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiSpeechProvider.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** How much of an error body is read to find the provider's message. */
    private static final long ERROR_BODY_LIMIT = 8192;

    private final String id;
    private final HttpUrl speechUrl;
    private final String defaultApiKey;
    private final OkHttpClient http;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final long maxAudioBytes;

    private OpenAiSpeechProvider(Builder b) {
        HttpUrl base = b.baseUrl;
        this.speechUrl = base.newBuilder().addPathSegments("v1/audio/speech").build();
        this.id = b.id != null ? b.id : defaultId(base);
        this.defaultApiKey = b.defaultApiKey;
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxAudioBytes = b.maxAudioBytes;
        OkHttpClient client = b.httpClient != null ? b.httpClient : new OkHttpClient();
        this.http = client.newBuilder()
                .connectTimeout(b.connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(b.readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(b.readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(b.callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                // A redirect could carry the bearer key to another host; OpenAI never redirects.
                .followRedirects(false)
                .followSslRedirects(false)
                // Retries are ours, counted and backed off; OkHttp's silent ones would double the upstream calls.
                .retryOnConnectionFailure(false)
                .build();
    }

    /** A builder with OpenAI's base URL, no default key and the timeouts documented on its setters. */
    public static Builder builder() {
        return new Builder();
    }

    /** A provider configured from {@code settings}: base URL, default key, timeouts and retries. */
    public static OpenAiSpeechProvider create(TtsSettings settings) {
        return builder()
                .baseUrl(settings.baseUrl())
                .defaultApiKey(settings.defaultApiKey())
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .callTimeout(settings.callTimeout())
                .maxRetries(settings.maxRetries())
                .build();
    }

    /** {@code openai} for OpenAI itself, {@code openai-compatible:<host>:<port><path>} for any other server. */
    @Override
    public String id() {
        return id;
    }

    /** The endpoint requests go to. */
    public String url() {
        return speechUrl.toString();
    }

    @Override
    public void synthesize(SpeechRequest request, SpeechAccount account, AudioSink sink) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(sink, "sink");
        SpeechAccount who = account == null ? SpeechAccount.DEFAULT : account;
        String key = who.apiKey() != null ? who.apiKey() : defaultApiKey;
        if (key == null) {
            throw new TtsAuthenticationException(who.ivrName(), 0,
                    "no API key: the IVR has none of its own and no default key is configured");
        }
        Request http = new Request.Builder()
                .url(speechUrl)
                .header("Authorization", "Bearer " + key)
                .header("Accept", "audio/*")
                .post(RequestBody.create(body(request), JSON))
                .build();
        for (int attempt = 1; ; attempt++) {
            Failure failure = attempt(http, who, key, sink);
            if (failure == null) {
                return;
            }
            if (attempt > maxRetries) {
                throw new TtsUnavailableException(who.ivrName(), failure.status,
                        failure.message + " (gave up after " + attempt + " attempts)", failure.cause);
            }
            Duration wait = failure.retryAfter != null ? min(failure.retryAfter, maxBackoff) : backoff(attempt);
            LOG.warn("TTS{}: attempt {} failed ({}); retrying in {} ms", who.ivrName() == null ? ""
                    : " for IVR '" + who.ivrName() + "'", attempt, failure.message, wait.toMillis());
            sleep(wait, who);
        }
    }

    /** One call; null on success, the retryable failure otherwise. Final failures are thrown. */
    private Failure attempt(Request request, SpeechAccount who, String key, AudioSink sink) {
        try (Response response = http.newCall(request).execute()) {
            int code = response.code();
            if (code >= 200 && code < 300) {
                stream(response, who, sink);
                return null;
            }
            String detail = "HTTP " + code + errorDetail(response.body(), key);
            if (code == 401 || code == 403) {
                throw new TtsAuthenticationException(who.ivrName(), code,
                        "the provider refused the API key: " + detail);
            }
            if (code == 408 || code == 429 || code >= 500) {
                Duration retryAfter = RetryAfter.parse(response.header("retry-after-ms"),
                        response.header("Retry-After"), Instant.now()).orElse(null);
                return new Failure(code, detail, retryAfter, null);
            }
            throw new TtsRejectedException(who.ivrName(), code, "the provider rejected the request: " + detail);
        } catch (SinkException e) {
            throw new TtsStorageException(who.ivrName(), "cannot write the audio: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedIOException e) {
            // SocketTimeoutException (read/connect timeout) and OkHttp's call timeout both land here.
            throw new TtsUnavailableException(who.ivrName(), 0, "no answer within the timeout (" + e.getMessage() + ")",
                    e);
        } catch (IOException e) {
            return new Failure(0, "I/O error: " + Secrets.redact(String.valueOf(e.getMessage()), key), null, e);
        }
    }

    private void stream(Response response, SpeechAccount who, AudioSink sink) throws IOException {
        ResponseBody body = response.body();
        MediaType type = body == null ? null : body.contentType();
        if (type != null && ("text".equals(type.type()) || "json".equals(type.subtype()))) {
            throw new TtsUnavailableException(who.ivrName(), response.code(),
                    "the provider answered with " + type + " instead of audio", null);
        }
        long expected = body == null ? 0 : body.contentLength();
        if (expected > maxAudioBytes) {
            throw new TtsUnavailableException(who.ivrName(), response.code(),
                    "audio of " + expected + " bytes exceeds the limit of " + maxAudioBytes, null);
        }
        OutputStream out;
        try {
            out = sink.begin();
        } catch (IOException e) {
            throw new SinkException(e);
        }
        long total = 0;
        boolean complete = false;
        try {
            BufferedSource source = body == null ? null : body.source();
            byte[] buffer = new byte[16 * 1024];
            int n;
            while (source != null && (n = source.read(buffer)) != -1) {
                total += n;
                if (total > maxAudioBytes) {
                    throw new TtsUnavailableException(who.ivrName(), response.code(),
                            "audio exceeds the limit of " + maxAudioBytes + " bytes", null);
                }
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new SinkException(e);
                }
            }
            complete = true;
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                // After a failed read the read failure is the news; a close failure matters only for complete audio.
                if (complete) {
                    throw new SinkException(e);
                }
            }
        }
        // OkHttp already fails a short Content-Length body; this also covers a body without one that ends empty.
        if (expected >= 0 && total != expected) {
            throw new ProtocolException("audio cut short: " + total + " of " + expected + " bytes");
        }
        if (total == 0) {
            throw new ProtocolException("empty audio");
        }
    }

    private static byte[] body(SpeechRequest request) {
        ObjectNode json = MAPPER.createObjectNode()
                .put("model", request.model())
                .put("voice", request.voice())
                .put("input", request.text())
                .put("response_format", request.format().wireName());
        if (request.speed() != null) {
            json.put("speed", request.speed());
        }
        if (request.instructions() != null) {
            json.put("instructions", request.instructions());
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code ": <provider's message>"} from an OpenAI error body, redacted and shortened; empty when there is none. */
    private static String errorDetail(ResponseBody body, String key) {
        if (body == null) {
            return "";
        }
        String text;
        try {
            BufferedSource source = body.source();
            source.request(ERROR_BODY_LIMIT);
            text = source.getBuffer().snapshot().utf8();
        } catch (IOException e) {
            return "";
        }
        String message = text;
        try {
            JsonNode error = MAPPER.readTree(text).path("error");
            if (error.path("message").isTextual()) {
                message = error.path("message").textValue();
            } else if (error.isTextual()) {
                message = error.textValue();
            }
        } catch (IOException e) {
            // not JSON: quote the text as is
        }
        message = Secrets.redact(message.strip().replaceAll("\\s+", " "), key);
        if (message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        return message.isEmpty() ? "" : ": " + message;
    }

    private Duration backoff(int attempt) {
        long ms = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        return min(Duration.ofMillis(ms), maxBackoff);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration wait, SpeechAccount who) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtsUnavailableException(who.ivrName(), 0, "interrupted while waiting to retry", e);
        }
    }

    private static String defaultId(HttpUrl base) {
        if ("api.openai.com".equals(base.host())) {
            return "openai";
        }
        String path = base.encodedPath().equals("/") ? "" : base.encodedPath();
        return "openai-compatible:" + base.host() + ":" + base.port() + path;
    }

    @Override
    public String toString() {
        return "OpenAiSpeechProvider[id=" + id + ", url=" + speechUrl + ", defaultApiKey="
                + (defaultApiKey == null ? "none" : "****") + ", maxRetries=" + maxRetries + "]";
    }

    /** A retryable failure of one attempt. */
    private record Failure(int status, String message, Duration retryAfter, Throwable cause) {
    }

    /** Marks an I/O error of the sink (our disk), as opposed to the network. */
    private static final class SinkException extends IOException {
        private static final long serialVersionUID = 1L;

        SinkException(IOException cause) {
            super(cause);
        }
    }

    /** Configures an {@link OpenAiSpeechProvider}; every setter validates at once. */
    public static final class Builder {
        private HttpUrl baseUrl = HttpUrl.get(DEFAULT_BASE_URL);
        private String id;
        private String defaultApiKey;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(60);
        private int maxRetries = 3;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private long maxAudioBytes = 64L * 1024 * 1024;
        private OkHttpClient httpClient;

        private Builder() {
        }

        /** The server's root, e.g. {@code https://api.openai.com} (default) or a compatible server's. */
        public Builder baseUrl(String url) {
            HttpUrl parsed = HttpUrl.parse(Objects.requireNonNull(url, "url"));
            if (parsed == null) {
                throw new IllegalArgumentException("baseUrl must be an http or https URL, got '" + url + "'");
            }
            if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
                throw new IllegalArgumentException("baseUrl must not carry credentials; use defaultApiKey");
            }
            this.baseUrl = parsed;
            return this;
        }

        /** The provider id in cache keys; defaults to one derived from the base URL (see {@link #id()}). */
        public Builder id(String providerId) {
            if (providerId == null || providerId.isBlank()) {
                throw new IllegalArgumentException("id must not be blank");
            }
            this.id = providerId.strip();
            return this;
        }

        /** The key for accounts without one of their own; null (default) for none. */
        public Builder defaultApiKey(String key) {
            this.defaultApiKey = key == null || key.isBlank() ? null : key.strip();
            return this;
        }

        /** How long to wait for a connection; default 5 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** How long the server may stay silent while we read; default 30 s. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive("readTimeout", timeout);
            return this;
        }

        /** The bound on one attempt from connecting to the last byte of audio; default 60 s. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive("callTimeout", timeout);
            return this;
        }

        /** Retries after the first attempt for 429, 5xx and I/O failures (0 to 10); default 3. */
        public Builder maxRetries(int retries) {
            if (retries < 0 || retries > 10) {
                throw new IllegalArgumentException("maxRetries must be from 0 to 10, got " + retries);
            }
            this.maxRetries = retries;
            return this;
        }

        /** The first retry's wait, doubled for each further one; default 500 ms. */
        public Builder initialBackoff(Duration backoff) {
            this.initialBackoff = nonNegative("initialBackoff", backoff);
            return this;
        }

        /** The longest wait between attempts, also capping what {@code Retry-After} asks; default 10 s. */
        public Builder maxBackoff(Duration backoff) {
            this.maxBackoff = nonNegative("maxBackoff", backoff);
            return this;
        }

        /** The largest audio accepted; longer responses fail. Default 64 MiB. */
        public Builder maxAudioBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxAudioBytes must be positive, got " + bytes);
            }
            this.maxAudioBytes = bytes;
            return this;
        }

        /** An OkHttp client to share connection pools and dispatchers with; its timeouts are replaced by ours. */
        public Builder httpClient(OkHttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        public OpenAiSpeechProvider build() {
            return new OpenAiSpeechProvider(this);
        }

        private static Duration nonNegative(String name, Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, got " + d);
            }
            return d;
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
