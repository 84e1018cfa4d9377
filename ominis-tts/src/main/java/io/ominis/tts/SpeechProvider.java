package io.ominis.tts;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * A speech engine. {@link OpenAiSpeechProvider} is the one Ominis ships; another engine plugs in by implementing this
 * interface and passing it to {@link PromptCache.Builder#provider(SpeechProvider)}.
 *
 * <p>Implementations must be thread-safe, must stream the complete audio or throw (a body cut short is a
 * {@link TtsUnavailableException}, never a short file), and must never put the API key in a message or log line.
 */
public interface SpeechProvider {

    /**
     * A short, stable name of this engine and its configuration, e.g. {@code openai}. It is part of the cache key,
     * so two providers that may answer the same request with different audio must have different ids.
     */
    String id();

    /**
     * Synthesizes {@code request} into {@code sink}.
     *
     * @param account the IVR and key to bill; its key is used instead of the provider's default when present
     * @throws TtsRejectedException       the provider refused the request (never worth retrying)
     * @throws TtsAuthenticationException the key was refused
     * @throws TtsUnavailableException    the provider failed, timed out or cut the audio short
     * @throws TtsStorageException        the sink could not be written
     */
    void synthesize(SpeechRequest request, SpeechAccount account, AudioSink sink);

    /** Synthesizes {@code request} into memory; for small prompts and tests. */
    default byte[] synthesize(SpeechRequest request, SpeechAccount account) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        synthesize(request, account, () -> {
            buffer.reset();
            return new OutputStream() {
                @Override
                public void write(int b) {
                    buffer.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    buffer.write(b, off, len);
                }
            };
        });
        return buffer.toByteArray();
    }
}
