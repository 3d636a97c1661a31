package dev.userservice.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every execution environment restored from one SnapStart snapshot starts from the same memory, so a random
 * generator seeded before the snapshot gives them all the same numbers. Lambda keeps {@code SecureRandom} (and so
 * {@code UUID.randomUUID}) unique across restores; {@code java.util.Random}, {@code ThreadLocalRandom},
 * {@code SplittableRandom} and {@code Math.random} it does not, and they cannot be reseeded from outside. Like
 * AWS's SnapStart scanning rules, this reads the service's sources for them.
 */
class SnapshotUniquenessTest {
    private static final List<String> CLONED_BY_A_SNAPSHOT = List.of(
            "ThreadLocalRandom", "SplittableRandom", "new Random(", "java.util.Random;", "Math.random(");

    @Test
    void noFunctionCodeDrawsFromAGeneratorThatRestoredCopiesWouldShare() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> offenders;
        try (Stream<Path> modules = Stream.concat(Stream.of(root.resolve("shared")), Files.list(root.resolve("functions")))) {
            offenders = modules.map(module -> module.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .flatMap(SnapshotUniquenessTest::javaFiles)
                    .flatMap(file -> lines(file).stream()
                            .filter(line -> !isComment(line))
                            .filter(line -> CLONED_BY_A_SNAPSHOT.stream().anyMatch(line::contains))
                            .map(line -> root.relativize(file) + ": " + line.trim()))
                    .toList();
        }

        assertEquals(List.of(), offenders, "draw from dev.userservice.concurrency.Jitter or SecureRandom instead");
    }

    /** Javadoc and comments may name the generators, as Jitter's does to say why it avoids them. */
    private static boolean isComment(String line) {
        String code = line.trim();
        return code.startsWith("*") || code.startsWith("//") || code.startsWith("/*");
    }

    private static Stream<Path> javaFiles(Path sources) {
        try {
            return Files.walk(sources).filter(file -> file.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
