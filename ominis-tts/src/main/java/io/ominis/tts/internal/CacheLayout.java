package io.ominis.tts.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the cache's files live: {@code <root>/ab/cd/<hash>.<ext>}, two levels of 256 shards so no directory grows
 * past a few hundred entries. Audio is first written to {@code .<hash>-<random>.part} in the same directory (hidden,
 * and never a final name), then renamed.
 */
public final class CacheLayout {

    private static final Pattern FINAL = Pattern.compile("([0-9a-f]{64})\\.(wav|mp3|pcm)");
    private static final Pattern TEMP = Pattern.compile("\\.[0-9a-f]{64}-.*\\.part");

    private final Path root;

    public CacheLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The absolute root directory. */
    public Path root() {
        return root;
    }

    /** The final path of the audio with this hash and file extension. */
    public Path fileFor(String hash, String extension) {
        return root.resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash + "." + extension);
    }

    /** Creates an empty temporary file beside {@code target} (creating its directory) for the audio of {@code hash}. */
    public Path newTempFile(Path target, String hash) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.createTempFile(target.getParent(), "." + hash + "-", ".part");
    }

    /** The hash a final file name carries, or empty for a name that is not a cached file's. */
    public static Optional<String> hashOf(Path file) {
        Matcher m = FINAL.matcher(file.getFileName().toString());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Whether {@code file} is one of our temporary files. */
    public static boolean isTemp(Path file) {
        return TEMP.matcher(file.getFileName().toString()).matches();
    }
}
