package io.ominis.tts;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a {@link SpeechProvider} streams audio. A provider that retries calls {@link #begin()} again for each attempt,
 * which discards whatever an earlier, failed attempt wrote, so a retry never appends to a partial body.
 */
@FunctionalInterface
public interface AudioSink {

    /**
     * Starts (or restarts) the audio and returns the stream to write it to; the provider closes that stream when the
     * attempt ends, successfully or not.
     */
    OutputStream begin() throws IOException;
}
