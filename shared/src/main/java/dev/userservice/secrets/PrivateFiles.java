package dev.userservice.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** Files that hold the development keys: readable by their owner only, and never seen half written. */
public final class PrivateFiles {
    private PrivateFiles() {}

    /** What {@code file} holds; empty when it does not exist yet. */
    public static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (NoSuchFileException notWrittenYet) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /**
     * The directory, created if it does not exist, and made readable by its owner only either way: what it holds (a
     * database's files, a password) must not be readable through it by the machine's other users. One that is another
     * user's (a shared volume) stays as its owner set it; the keys in it are readable by their owner only all the same.
     */
    public static Path directory(Path directory) {
        try {
            Files.createDirectories(directory);
            try {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the folder inherits the user's own folder's access.
            } catch (java.nio.file.AccessDeniedException anotherUsers) {
                // Not ours to change.
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + directory, e);
        }
    }

    public static void write(Path file, String content) {
        try {
            Path partial = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
            try {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the file stays in the user's own folder.
            }
            Files.writeString(partial, content);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
