package dev.userservice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One runner per data directory: two would write DynamoDB Local's files, Redis's append-only file and the stream
 * consumers' positions at once, and whichever stopped first would delete the other's endpoints.json. The lock is
 * the operating system's, held while the runner lives, so one killed with {@code -9} leaves nothing to clean up.
 */
final class DataDirectoryLock implements AutoCloseable {
    static final String FILE = ".lock";

    private final FileChannel channel;

    private DataDirectoryLock(FileChannel channel) {
        this.channel = channel;
    }

    /** The data directory is taken: its runner's API answers as endpoints.json says. */
    static final class InUse extends IllegalStateException {
        InUse(Path dir) {
            super("another runner is using " + dir.toAbsolutePath() + " (its URLs are in endpoints.json there): stop it, "
                    + "or start this one with --data-dir DIR or --in-memory");
        }
    }

    /** Takes {@code dir} for this runner, or throws {@link InUse}. */
    static DataDirectoryLock acquire(Path dir) {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open " + dir.resolve(FILE), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) { // taken by this JVM
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot lock " + dir.resolve(FILE), e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new InUse(dir);
        }
        return new DataDirectoryLock(channel);
    }

    /** Releases the directory: closing the channel releases its lock. */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the process in any case
        }
    }
}
