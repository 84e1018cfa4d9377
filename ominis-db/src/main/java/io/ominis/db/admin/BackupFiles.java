package io.ominis.db.admin;

import io.ominis.core.OperationFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names and retention of backup files: {@code ominis-<database>-YYYYMMDD-HHMMSS.dump} in UTC, so that name order is
 * time order and retention never needs file dates (which copies and restores from object storage do not keep), and
 * several databases can share one directory: retention only ever touches the files of the database it backs up.
 * Files named before the database was part of the name ({@link #LEGACY_NAME}) are still backups that {@code restore}
 * takes, but retention leaves them alone, since their database cannot be told from the name.
 */
public final class BackupFiles {

    /** The name backups had before they carried the database's name: {@code ominis-YYYYMMDD-HHMMSS.dump}. */
    public static final Pattern LEGACY_NAME = Pattern.compile("ominis-\\d{8}-\\d{6}\\.dump");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private BackupFiles() {
    }

    /** The file name for a backup of {@code database} taken at {@code when}. */
    public static String nameFor(String database, Instant when) {
        return "ominis-" + database + "-" + STAMP.format(when) + ".dump";
    }

    /** The names of {@code database}'s backups; only files of exactly this shape are ever deleted by retention. */
    public static Pattern namesOf(String database) {
        return Pattern.compile("ominis-" + Pattern.quote(database) + "-\\d{8}-\\d{6}\\.dump");
    }

    /** Deletes {@code database}'s oldest backups beyond the newest {@code keep}; returns what it deleted. */
    public static List<Path> prune(Path dir, String database, int keep) {
        Pattern ours = namesOf(database);
        List<Path> backups;
        try (Stream<Path> files = Files.list(dir)) {
            backups = files.filter(p -> ours.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                    .toList();
        } catch (IOException e) {
            throw new OperationFailedException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        List<Path> deleted = new ArrayList<>();
        for (Path old : backups.subList(Math.min(keep, backups.size()), backups.size())) {
            try {
                Files.delete(old);
                deleted.add(old);
            } catch (IOException e) {
                throw new OperationFailedException("cannot delete old backup " + old + ": " + e.getMessage(), e);
            }
        }
        return deleted;
    }
}
