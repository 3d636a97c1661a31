package dev.userservice.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where DynamoDB Local's SQLite native libraries are: the build copies them to {@code target/lib/native}, beside
 * both the runner's jar and its classes folder.
 */
final class NativeLibraries {
    private NativeLibraries() {}

    static Path directory() {
        try {
            Path codeSource = Path.of(NativeLibraries.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = codeSource.getParent().resolve("lib").resolve("native");
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("DynamoDB Local's native libraries are missing from " + dir
                        + "; build the project with ./mvnw -B package");
            }
            return dir;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
