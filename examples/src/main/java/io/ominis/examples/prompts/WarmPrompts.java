package io.ominis.examples.prompts;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Database;
import io.ominis.db.Migrations;
import io.ominis.tts.AudioSink;
import io.ominis.tts.PromptCache;
import io.ominis.tts.PromptWarmer;
import io.ominis.tts.SpeechAccount;
import io.ominis.tts.SpeechProvider;
import io.ominis.tts.SpeechRequest;
import io.ominis.tts.WarmReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

/**
 * Warms the prompts of an IVR with a speech engine of your own: implement {@link SpeechProvider}, hand it to the
 * {@link PromptCache}, and {@link PromptWarmer} synthesizes every menu prompt not cached yet into WAV files that
 * FreeSWITCH plays. This provider writes a short tone per prompt, a stand-in for a real engine.
 */
public final class WarmPrompts {

    /** A provider that answers every prompt with 0.1 s of a 440 Hz tone (8 kHz, 16-bit mono PCM). */
    public static final class ToneProvider implements SpeechProvider {
        @Override
        public String id() {
            return "tone";
        }

        @Override
        public void synthesize(SpeechRequest request, SpeechAccount account, AudioSink sink) {
            int samples = 800;
            ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
            wav.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes()).put("fmt ".getBytes())
                    .putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000)
                    .putShort((short) 2).putShort((short) 16).put("data".getBytes()).putInt(samples * 2);
            for (int i = 0; i < samples; i++) {
                wav.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0)));
            }
            try (OutputStream out = sink.begin()) {
                out.write(wav.array());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private WarmPrompts() {
    }

    /** Warms IVR {@code ivrName} of the database named by {@code env}, writing audio under {@code dir}. */
    public static WarmReport run(Map<String, String> env, String ivrName, Path dir, PrintStream out) {
        try (HikariDataSource pool = ConnectionPool.open(DatabaseSettings.fromEnvironment(env))) {
            Migrations.migrate(pool);
            Database db = Database.create(pool);
            try (PromptCache cache = PromptCache.builder().database(db).directory(dir).provider(new ToneProvider())
                    .build();
                 PromptWarmer warmer = new PromptWarmer(cache, db.ivrs(), db.ivrKeys())) {
                WarmReport report = warmer.warm(ivrName);
                report.prompts().forEach(p -> out.println(p.menuId() + " " + p.field() + ": " + p.outcome() + " "
                        + p.file()));
                return report;
            }
        }
    }

    /** {@code java … WarmPrompts <ivr> <audio dir>} */
    public static void main(String[] args) {
        run(System.getenv(), args[0], Path.of(args[1]), System.out);
    }
}
