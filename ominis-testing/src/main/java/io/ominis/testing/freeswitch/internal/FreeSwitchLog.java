package io.ominis.testing.freeswitch.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * FreeSWITCH's log file, read incrementally: {@link #readNew()} returns each line once (for the error check), while
 * {@link #linesSinceMark()} re-reads everything after a mark (for tests that wait for a line).
 */
public final class FreeSwitchLog {

    private final Path file;
    private long checked;
    private long mark;

    public FreeSwitchLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Complete lines written since the previous call. */
    public synchronized List<String> readNew() {
        Chunk chunk = read(checked);
        checked = chunk.end;
        return chunk.lines;
    }

    /** Complete lines written since {@link #mark()}. */
    public synchronized List<String> linesSinceMark() {
        return read(mark).lines;
    }

    /** Remembers the current end of the file. */
    public synchronized void mark() {
        mark = size();
    }

    /** The last {@code n} lines, for failure messages. */
    public String tail(int n) {
        List<String> lines = read(0).lines;
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private long size() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Chunk(List<String> lines, long end) {
    }

    private Chunk read(long from) {
        if (!Files.exists(file)) {
            return new Chunk(List.of(), from);
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            if (length <= from) {
                return new Chunk(List.of(), Math.min(from, length));
            }
            byte[] bytes = new byte[(int) (length - from)];
            raf.seek(from);
            raf.readFully(bytes);
            int lastNewline = -1;
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            if (lastNewline < 0) {
                return new Chunk(List.of(), from);
            }
            String text = new String(bytes, 0, lastNewline, StandardCharsets.UTF_8);
            return new Chunk(new ArrayList<>(text.lines().toList()), from + lastNewline + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
