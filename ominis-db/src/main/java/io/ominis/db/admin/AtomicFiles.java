package io.ominis.db.admin;

import io.ominis.core.OperationFailedException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Writes files so that a reader (FreeSWITCH starting, a backup job listing its directory) never sees half of one: the
 * content goes to a hidden temporary file in the same directory, which is then renamed over the target.
 */
public final class AtomicFiles {

    /** Owner read/write, group read: generated files hold passwords, and FreeSWITCH usually reads them via its group. */
    static final Set<PosixFilePermission> SECRET_FILE = PosixFilePermissions.fromString("rw-r-----");

    private AtomicFiles() {
    }

    /**
     * Writes every file (path relative to {@code dir} → content), creating directories. Unless {@code force}, refuses
     * before writing anything if one of them exists, so a run either writes all files or none.
     */
    public static void writeAll(Path dir, Map<String, byte[]> files, boolean force) {
        if (!force) {
            for (String name : files.keySet()) {
                if (Files.exists(dir.resolve(name))) {
                    throw new OperationFailedException(dir.resolve(name) + " exists; use --force to overwrite");
                }
            }
        }
        files.forEach((name, content) -> write(dir.resolve(name), content, force));
    }

    /** Writes one file atomically; without {@code replace}, fails if it exists. */
    public static void write(Path target, byte[] content, boolean replace) {
        Path parent = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(parent);
            temp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
            restrict(temp);
            Files.write(temp, content);
            moveInto(temp, target, replace);
            temp = null;
        } catch (IOException e) {
            throw new OperationFailedException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Renames a finished file to its final name in the same directory. Without {@code replace} an existing target is
     * refused (rename(2) itself would silently replace it).
     */
    public static void moveInto(Path source, Path target, boolean replace) throws IOException {
        if (!replace && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Limits a file to {@link #SECRET_FILE} where the file system knows POSIX permissions. */
    public static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, SECRET_FILE);
        } catch (UnsupportedOperationException notPosix) {
            // e.g. Windows: the directory's ACL applies
        }
    }

    /** Deletes a leftover temporary file; a failure here must not hide the original error. */
    public static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
