package io.ominis.server.realswitch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** 16-bit PCM WAV files: a tone to stand in for synthesized speech, and measurements of what FreeSWITCH recorded. */
final class Audio {

    private Audio() {
    }

    /** A mono 16-bit WAV of a sine tone, as a speech API would return it. */
    static byte[] toneWav(int sampleRate, double hz, double seconds) {
        int samples = (int) (sampleRate * seconds);
        ByteBuffer data = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            data.putShort((short) (Math.sin(2 * Math.PI * hz * i / sampleRate) * 12_000));
        }
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes());
        header.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(sampleRate)
                .putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        header.put("data".getBytes()).putInt(samples * 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    /**
     * What a recording holds: its length, how much of it is not silence, and how strong {@code hz} is relative to the
     * whole signal (near 1 for a pure tone of that frequency, small for speech).
     */
    record Measure(double seconds, double loudSeconds, double toneShare) {
    }

    /** Whether {@code wav} exists and its writer has filled in the data length, which happens when it is closed. */
    static boolean isComplete(Path wav) throws IOException {
        if (!Files.exists(wav) || Files.size(wav) < 44) {
            return false;
        }
        byte[] header = new byte[44];
        try (var in = Files.newInputStream(wav)) {
            if (in.readNBytes(header, 0, 44) < 44) {
                return false;
            }
        }
        return ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(40) > 0;
    }

    /** Measures a 16-bit mono PCM WAV file (the data chunk found by its tag). */
    static Measure measure(Path wav, double hz) throws IOException {
        byte[] bytes = Files.readAllBytes(wav);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int rate = b.getInt(24);
        int pos = 12;
        int dataStart = -1;
        int dataLength = 0;
        while (pos + 8 <= bytes.length) {
            String tag = new String(bytes, pos, 4);
            int length = b.getInt(pos + 4);
            if (tag.equals("data")) {
                dataStart = pos + 8;
                dataLength = Math.min(length < 0 ? Integer.MAX_VALUE : length, bytes.length - dataStart);
                break;
            }
            pos += 8 + length;
        }
        if (dataStart < 0) {
            throw new IOException(wav + " has no data chunk");
        }
        int n = dataLength / 2;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = b.getShort(dataStart + 2 * i);
        }
        int window = rate / 50; // 20 ms
        int loud = 0;
        double energy = 0;
        double coeff = 2 * Math.cos(2 * Math.PI * hz / rate);
        double tone = 0;
        for (int w = 0; w + window <= n; w += window) {
            double sum = 0;
            double s1 = 0;
            double s2 = 0;
            for (int i = w; i < w + window; i++) {
                sum += x[i] * x[i];
                double s0 = x[i] + coeff * s1 - s2;
                s2 = s1;
                s1 = s0;
            }
            energy += sum;
            // Goertzel power of hz in this window, scaled to the window's energy (Parseval: |X|^2 * 2 / N)
            tone += (s1 * s1 + s2 * s2 - coeff * s1 * s2) * 2 / window;
            if (Math.sqrt(sum / window) > 300) {
                loud++;
            }
        }
        return new Measure((double) n / rate, loud * 0.02, energy == 0 ? 0 : tone / energy);
    }
}
