package io.ominis.xmlrpc;

import io.ominis.xmlrpc.internal.Arguments;
import io.ominis.xmlrpc.internal.RepeatableCommands;
import io.ominis.xmlrpc.internal.XmlRpcCodec;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
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
 * Calls {@code freeswitch.api} on one FreeSWITCH node over mod_xml_rpc ({@code POST /RPC2}, HTTP Basic auth). Built
 * with {@link #builder()}, immutable and thread-safe afterwards. Replies are returned verbatim; the error strings
 * FreeSWITCH uses are turned into {@link FreeSwitchReplyException}s, everything that prevents a reply into an
 * {@link XmlRpcTransportException}. Read-only commands are retried on transport failures, nothing else is.
 */
public final class FreeSwitchClient implements FreeSwitchApi {

    private static final Logger LOG = LoggerFactory.getLogger(FreeSwitchClient.class);
    private static final MediaType TEXT_XML = MediaType.get("text/xml");
    private static final String METHOD = "freeswitch.api";
    private static final XmlRpcCodec CODEC = new XmlRpcCodec();

    private final String name;
    private final HttpUrl rpcUrl;
    private final String user;
    private final String authorization;
    private final OkHttpClient http;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration callTimeout;
    private final long maxReplyBytes;
    private final int retries;
    private final Duration retryBackoff;
    private final TransportListener listener;

    private FreeSwitchClient(Builder b) {
        this.name = b.name != null ? b.name : b.baseUrl.host() + ":" + b.baseUrl.port();
        this.rpcUrl = b.baseUrl.newBuilder().encodedPath("/RPC2").build();
        this.user = b.user;
        this.authorization = Credentials.basic(b.user, b.password, StandardCharsets.UTF_8);
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.callTimeout = b.callTimeout;
        this.maxReplyBytes = b.maxReplyBytes;
        this.retries = b.retries;
        this.retryBackoff = b.retryBackoff;
        this.listener = b.listener;
        OkHttpClient base = b.httpClient != null ? b.httpClient : new OkHttpClient();
        this.http = base.newBuilder()
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                // mod_xml_rpc never redirects; following one could send our Basic credentials elsewhere.
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                // mod_xml_rpc (abyss) closes a kept-alive connection after 5 idle seconds; a call sent on it just then
                // fails with "unexpected end of stream", and writes are not retried. So idle connections go first.
                .connectionPool(new ConnectionPool(4, IDLE_CONNECTION_SECONDS, TimeUnit.SECONDS))
                .build();
    }

    /** How long an idle connection to mod_xml_rpc is kept: well under its own 5-second keep-alive timeout. */
    static final long IDLE_CONNECTION_SECONDS = 2;

    /** A builder; {@code baseUrl}, {@code user} and {@code password} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The node's name as used in errors and logs. */
    public String name() {
        return name;
    }

    /** The {@code /RPC2} endpoint this client posts to (no credentials in it). */
    public String url() {
        return rpcUrl.toString();
    }

    @Override
    public String api(String command, String argument) {
        return call(command, argument, http);
    }

    /**
     * Like {@link #api(String, String)} but waits up to {@code timeout} for the reply instead of the configured read
     * and call timeouts; for commands that block on purpose, such as {@code originate}.
     */
    @Override
    public String api(String command, String argument, Duration timeout) {
        requirePositive("timeout", timeout);
        OkHttpClient slow = http.newBuilder()
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(timeout.plus(connectTimeout).toMillis(), TimeUnit.MILLISECONDS)
                .build();
        return call(command, argument, slow);
    }

    private String call(String command, String argument, OkHttpClient client) {
        Arguments.word("command", command);
        Arguments.line("argument", argument);
        int attempts = RepeatableCommands.isRepeatable(command, argument) ? 1 + retries : 1;
        byte[] body = CODEC.writeCall(METHOD, command, argument);
        for (int attempt = 1; ; attempt++) {
            String reply;
            try {
                reply = post(command, body, client);
            } catch (XmlRpcTransportException e) {
                if (!e.retryable() || attempt >= attempts) {
                    listener.onTransportFailure(e);
                    throw e;
                }
                LOG.debug("{}: retrying {} after attempt {} failed: {}", name, command, attempt, e.getMessage());
                sleep(retryBackoff.multipliedBy(attempt), e);
                continue;
            }
            listener.onAnswer();
            return interpret(command, reply);
        }
    }

    private String post(String command, byte[] body, OkHttpClient client) {
        Request request = new Request.Builder()
                .url(rpcUrl)
                .header("Authorization", authorization)
                .post(RequestBody.create(body, TEXT_XML))
                .build();
        try (Response response = client.newCall(request).execute()) {
            if (response.code() == 401) {
                throw new XmlRpcAuthenticationException(node(), command,
                        "HTTP 401, user '" + user + "' was refused (check the XML-RPC user and password)");
            }
            if (!response.isSuccessful()) {
                throw transport(command, "HTTP " + response.code() + " " + response.message(), response.code() >= 500, null);
            }
            XmlRpcCodec.Reply reply = CODEC.readReply(readBounded(command, response.body()));
            if (reply.isFault()) {
                throw new XmlRpcFaultException(node(), command, reply.faultCode(), reply.faultString());
            }
            return reply.value();
        } catch (XmlRpcCodec.MalformedReplyException e) {
            throw transport(command, "malformed XML-RPC reply: " + e.getMessage(), false, e);
        } catch (SocketTimeoutException e) {
            throw transport(command, "no reply within the timeout (" + e.getMessage() + ")", true, e);
        } catch (InterruptedIOException e) {
            // OkHttp's call timeout surfaces as a plain InterruptedIOException "timeout".
            throw transport(command, "no reply within the call timeout of " + callTimeout.toMillis() + " ms", true, e);
        } catch (ConnectException e) {
            throw transport(command, "cannot connect (" + e.getMessage() + ")", true, e);
        } catch (UnknownHostException e) {
            throw transport(command, "unknown host " + rpcUrl.host(), true, e);
        } catch (IOException e) {
            throw transport(command, "I/O error: " + e, true, e);
        }
    }

    private byte[] readBounded(String command, ResponseBody body) throws IOException {
        if (body == null) {
            throw transport(command, "empty HTTP body", false, null);
        }
        if (body.contentLength() > maxReplyBytes) {
            throw oversized(command);
        }
        BufferedSource source = body.source();
        // request() buffers at most maxReplyBytes + 1 bytes, so a huge reply costs no more memory than the limit.
        if (source.request(maxReplyBytes + 1)) {
            throw oversized(command);
        }
        return source.getBuffer().readByteArray();
    }

    private XmlRpcTransportException oversized(String command) {
        return transport(command, "reply larger than the limit of " + maxReplyBytes + " bytes, not read", false, null);
    }

    private static String interpret(String command, String reply) {
        String trimmed = reply.strip();
        if (trimmed.equals("ERROR!")) {
            throw new FreeSwitchCommandFailedException(command, reply);
        }
        if (trimmed.equals("UNAUTHORIZED!")) {
            throw new FreeSwitchUnauthorizedException(command, reply);
        }
        if (reply.startsWith("-ERR")) {
            throw new FreeSwitchErrorException(command, reply.substring(4).strip(), reply);
        }
        if (reply.startsWith("-USAGE:")) {
            throw new FreeSwitchUsageException(command, reply.substring(7).strip(), reply);
        }
        return reply;
    }

    private XmlRpcTransportException transport(String command, String what, boolean retryable, Throwable cause) {
        return new XmlRpcTransportException(node(), command, what, retryable, cause);
    }

    private String node() {
        return name + " (" + rpcUrl + ")";
    }

    private static void sleep(Duration pause, XmlRpcTransportException failure) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private static void requirePositive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    @Override
    public String toString() {
        return "FreeSwitchClient[" + name + ", " + rpcUrl + ", user=" + user + "]";
    }

    /**
     * Collects and checks the settings of a {@link FreeSwitchClient}. Each setter refuses a bad value at once
     * ({@link IllegalArgumentException} naming the limit); {@link #build()} checks that the required ones are set.
     */
    public static final class Builder {
        private static final Duration MIN_TIMEOUT = Duration.ofMillis(50);

        private HttpUrl baseUrl;
        private String name;
        private String user;
        private String password;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration readTimeout = Duration.ofSeconds(10);
        private Duration callTimeout = Duration.ofSeconds(15);
        private long maxReplyBytes = 1024 * 1024;
        private int retries = 2;
        private Duration retryBackoff = Duration.ofMillis(100);
        private TransportListener listener = TransportListener.NONE;
        private OkHttpClient httpClient;

        private Builder() {
        }

        /** The node's HTTP root, e.g. {@code http://10.0.0.5:8080}; no credentials, path, query or fragment. */
        public Builder baseUrl(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            HttpUrl url = HttpUrl.parse(baseUrl);
            if (url == null) {
                throw new IllegalArgumentException("baseUrl must be an http:// or https:// URL, got '" + stripUserInfo(baseUrl) + "'");
            }
            if (!url.username().isEmpty() || !url.password().isEmpty()) {
                throw new IllegalArgumentException("baseUrl must not carry credentials; use user() and password()");
            }
            if (!url.encodedPath().equals("/") || url.query() != null || url.fragment() != null) {
                throw new IllegalArgumentException("baseUrl must be scheme://host:port only (the client adds /RPC2), got '" + url + "'");
            }
            this.baseUrl = url;
            return this;
        }

        /** A short name for errors, logs and health, e.g. {@code fs1}; defaults to {@code host:port}. */
        public Builder name(String name) {
            this.name = Arguments.word("name", name);
            return this;
        }

        /** The XML-RPC user ({@code auth-user} in xml_rpc.conf, or a directory user). */
        public Builder user(String user) {
            Objects.requireNonNull(user, "user");
            if (user.isEmpty() || user.indexOf(':') >= 0 || user.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("user must be non-empty, without ':' or control characters");
            }
            this.user = user;
            return this;
        }

        /** The XML-RPC password. Never echoed in messages, logs or {@code toString()}. */
        public Builder password(String password) {
            Objects.requireNonNull(password, "password");
            if (password.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("password must not contain control characters");
            }
            this.password = password;
            return this;
        }

        /** How long to wait for the TCP connection; default 2 s, at least 50 ms. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = atLeastMinimum("connectTimeout", timeout);
            return this;
        }

        /** How long the node may stay silent while answering; default 10 s, at least 50 ms. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = atLeastMinimum("readTimeout", timeout);
            return this;
        }

        /** Upper bound for one whole attempt, connect to last byte; default 15 s, at least 50 ms. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = atLeastMinimum("callTimeout", timeout);
            return this;
        }

        /** Replies larger than this are refused unread; default 1 MiB, at least 1 KiB. */
        public Builder maxReplyBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxReplyBytes must be at least 1024, got " + bytes);
            }
            this.maxReplyBytes = bytes;
            return this;
        }

        /** Extra attempts for read-only commands after a transport failure; default 2, 0 to 10. */
        public Builder retries(int retries) {
            if (retries < 0 || retries > 10) {
                throw new IllegalArgumentException("retries must be between 0 and 10, got " + retries);
            }
            this.retries = retries;
            return this;
        }

        /** Pause before the first retry, growing linearly after; default 100 ms, 0 to 10 s. */
        public Builder retryBackoff(Duration backoff) {
            Objects.requireNonNull(backoff, "retryBackoff");
            if (backoff.isNegative() || backoff.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("retryBackoff must be between 0 and 10 s, got " + backoff);
            }
            this.retryBackoff = backoff;
            return this;
        }

        /** Receives each call's outcome, e.g. for health tracking. */
        public Builder listener(TransportListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** An OkHttp client whose connection pool and dispatcher to share; timeouts are still taken from here. */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Checks that the required settings are present and builds the client. */
        public FreeSwitchClient build() {
            if (baseUrl == null) {
                throw new IllegalStateException("baseUrl is required");
            }
            if (user == null || password == null) {
                throw new IllegalStateException("user and password are required (mod_xml_rpc uses Basic auth)");
            }
            if (callTimeout.compareTo(connectTimeout) < 0) {
                throw new IllegalStateException("callTimeout (" + callTimeout + ") must not be shorter than connectTimeout (" + connectTimeout + ")");
            }
            return new FreeSwitchClient(this);
        }

        private static Duration atLeastMinimum(String what, Duration value) {
            Objects.requireNonNull(value, what);
            if (value.compareTo(MIN_TIMEOUT) < 0) {
                throw new IllegalArgumentException(what + " must be at least " + MIN_TIMEOUT.toMillis() + " ms, got " + value.toMillis() + " ms");
            }
            return value;
        }

        private static String stripUserInfo(String url) {
            int at = url.lastIndexOf('@');
            int scheme = url.indexOf("://");
            return at > 0 && scheme >= 0 && at > scheme ? url.substring(0, scheme + 3) + "…@" + url.substring(at + 1) : url;
        }

        @Override
        public String toString() {
            return "FreeSwitchClient.Builder[" + name + ", " + baseUrl + ", user=" + user + "]";
        }
    }
}
