package dev.userservice.secrets;

import dev.userservice.auth.KeySetAuthoritySecret;
import java.nio.file.Path;
import java.util.Optional;

/** The key-set authority's private key in a file readable by its owner only, where the local runner keeps it. */
public final class FileAuthoritySecret implements KeySetAuthoritySecret {
    private final Path file;

    public FileAuthoritySecret(Path file) {
        this.file = file;
    }

    @Override
    public Optional<String> read() {
        return PrivateFiles.read(file);
    }

    @Override
    public void write(String privateKeyJson) {
        PrivateFiles.write(file, privateKeyJson);
    }
}
