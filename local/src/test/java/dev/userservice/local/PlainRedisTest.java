package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainRedisTest {
    @Test
    void theRunnerTakesTheRedisServerOnThePathWhenTheEmbeddedOneDoesNotStart(@TempDir Path dir) throws Exception {
        assumeTrue(Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .anyMatch(path -> Files.isExecutable(Path.of(path.isEmpty() ? "." : path, "redis-server"))),
                "no redis-server on the PATH");
        // What the embedded binary does on a system without OpenSSL 3.
        Path withoutOpenSsl = Files.writeString(dir.resolve("redis-server"), """
                #!/bin/sh
                echo "redis-server: error while loading shared libraries: libssl.so.3: cannot open shared object file" >&2
                exit 127
                """);
        Files.setPosixFilePermissions(withoutOpenSsl, PosixFilePermissions.fromString("rwx------"));
        int port = Ports.preferred("127.0.0.1", 0);

        LocalServers.PlainRedis redis = LocalServers.startPlainRedis(LocalOptions.inMemory(), port, withoutOpenSsl::toFile);
        try {
            assertTrue(redis.description().contains("the embedded one did not start"), redis.description());
            assertEquals("+PONG", ping(port));
        } finally {
            redis.server().stop();
        }
    }

    private static String ping(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\r' && c != -1; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
