package dev.userservice.secrets;

import dev.userservice.auth.SigningKeyStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The signing keys in files on a developer machine, where the local runner keeps them: the current set in one
 * file (the one {@code JWT_KEYS_FILE} names), a rotation's pending set beside it until the rotation finishes, and
 * the version id of the current set in a third file. Nothing stages a rotation here as Secrets Manager does, so a
 * version that is not current counts as a rotation begun. All of them are readable by their owner only.
 */
public final class FileKeyStore implements SigningKeyStore {
    /** Version ids become file names: only what Secrets Manager's client request tokens look like. */
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final Path file;

    public FileKeyStore(Path file) {
        this.file = file;
    }

    @Override
    public String current() {
        return PrivateFiles.read(file).orElseThrow(() -> new IllegalStateException("No JWT key set at " + file));
    }

    @Override
    public Stage stage(String version) {
        return PrivateFiles.read(versionFile()).filter(validVersion(version)::equals).isPresent() ? Stage.CURRENT : Stage.PENDING;
    }

    @Override
    public Optional<String> pending(String version) {
        return PrivateFiles.read(pendingFile(version));
    }

    @Override
    public void putPending(String version, String keySet) {
        PrivateFiles.write(pendingFile(version), keySet);
    }

    /**
     * Replaces the current file in one atomic move, so a function reading it sees the old set or the new one; the
     * pending file goes only once the version says the set is current, so a step that died between the two finds
     * it still pending and promotes it again.
     */
    @Override
    public void promote(String version) {
        String pending = pending(version).orElseThrow(
                () -> new IllegalStateException("Key set version " + version + " has no pending set to promote"));
        PrivateFiles.write(file, pending);
        PrivateFiles.write(versionFile(), version);
        try {
            Files.deleteIfExists(pendingFile(version));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + pendingFile(version), e);
        }
    }

    private Path pendingFile(String version) {
        return file.resolveSibling(file.getFileName() + ".pending-" + validVersion(version));
    }

    private Path versionFile() {
        return file.resolveSibling(file.getFileName() + ".version");
    }

    private static String validVersion(String version) {
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("A key set version is letters, digits and dashes, at most 64");
        }
        return version;
    }
}
