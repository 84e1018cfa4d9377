package io.ominis.tts.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Whether bytes a speech provider returned as WAV are a WAV FreeSWITCH can play: a {@code RIFF}/{@code WAVE} header
 * with a {@code fmt } chunk of linear PCM (format 1), 1 or 2 channels, 8 to 32 bits per sample and a sample rate from
 * 8 to 192 kHz. Anything else (an error text, JSON, another codec in a WAV wrapper) would be stored and served as a
 * prompt FreeSWITCH plays as silence or refuses.
 */
public final class WavCheck {

    /** How much of the file to read: the {@code fmt } chunk comes first or after a short {@code LIST} chunk. */
    public static final int HEADER_BYTES = 4096;

    private WavCheck() {
    }

    /** Null when {@code head} (the first bytes of the file) starts a playable WAV; otherwise why not. */
    public static String problem(byte[] head) {
        if (head.length < 12 || !ascii(head, 0, "RIFF") || !ascii(head, 8, "WAVE")) {
            return "no RIFF/WAVE header (" + head.length + " bytes)";
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int at = 12;
        while (at + 8 <= head.length) {
            long size = Integer.toUnsignedLong(b.getInt(at + 4));
            if (ascii(head, at, "fmt ")) {
                if (size < 16 || at + 8 + 16 > head.length) {
                    return "fmt chunk too short";
                }
                int format = Short.toUnsignedInt(b.getShort(at + 8));
                int channels = Short.toUnsignedInt(b.getShort(at + 10));
                long rate = Integer.toUnsignedLong(b.getInt(at + 12));
                int bits = Short.toUnsignedInt(b.getShort(at + 22));
                if (format != 1) {
                    return "audio format " + format + " is not linear PCM (1)";
                }
                if (channels < 1 || channels > 2) {
                    return channels + " channels";
                }
                if (rate < 8000 || rate > 192_000) {
                    return "sample rate " + rate + " Hz";
                }
                if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
                    return bits + " bits per sample";
                }
                return null;
            }
            if (ascii(head, at, "data")) {
                return "data before the fmt chunk";
            }
            at += 8 + (int) Math.min(size + (size & 1), HEADER_BYTES);
        }
        return "no fmt chunk";
    }

    private static boolean ascii(byte[] bytes, int at, String text) {
        return at + text.length() <= bytes.length
                && new String(bytes, at, text.length(), StandardCharsets.US_ASCII).equals(text);
    }
}
