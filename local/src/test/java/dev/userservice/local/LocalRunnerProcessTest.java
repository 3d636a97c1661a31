package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.local.e2e.Api;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code java -jar local/target/local-api.jar} as a developer runs it: up in seconds, down cleanly on Ctrl-C. */
class LocalRunnerProcessTest {
    private static final Pattern API_LINE = Pattern.compile("^\\s+API\\s+(http://\\S+)$");
    private static final Pattern ADMIN_LINE = Pattern.compile("^\\s+admin account\\s+(\\S+@\\S+) / (\\S+)$");
    /** "A few seconds" on a laptop; generous for a busy 2-core CI machine, and printed for the record. */
    private static final Duration START_LIMIT = Duration.ofSeconds(20);

    @Test
    void startsInSecondsServesAndStopsCleanlyOnInterrupt() throws Exception {
        long started = System.nanoTime();
        Process process = new ProcessBuilder(javaExecutable(), "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-jar", Path.of("target", "local-api.jar").toString(), "--in-memory", "--port", "0")
                .redirectErrorStream(true)
                .start();
        List<String> output = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<URI> apiUrl = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> readLines(process, output, apiUrl));
        try {
            URI api = apiUrl.poll(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(api != null, "no API line within " + START_LIMIT + ":\n" + String.join("\n", output));
            System.out.printf("local-api.jar started in %.2f s%n", (System.nanoTime() - started) / 1e9);
            assertEquals(200, new Api(api).get("/health").status());
            assertEquals(200, new Api(api).get("/docs").status(), "the API documentation page");
            assertEquals(200, new Api(api).get("/admin").status(), "the admin console");
            // The banner is printed at once, but read line by line: its last line says all of it is here.
            for (long deadline = System.nanoTime() + START_LIMIT.toNanos(); !output.contains("Ctrl-C stops it.") && System.nanoTime() < deadline; ) {
                Thread.sleep(50);
            }
            Matcher admin = output.stream().map(ADMIN_LINE::matcher).filter(Matcher::matches).findFirst().orElseThrow(
                    () -> new AssertionError("no development admin printed:\n" + String.join("\n", output)));
            Api.Response signedIn = new Api(api).post("/api/v1/auth/login", Map.of("email", admin.group(1), "password", admin.group(2)));
            assertEquals(200, signedIn.status(), "the printed development admin signs in: " + signedIn.text());
            assertEquals("admin", ((Map<?, ?>) signedIn.data().get("user")).get("role"), "the development account is an admin");

            // Ctrl-C in a terminal sends SIGINT to the process. A background job of a non-interactive shell starts
            // with SIGINT ignored, and the runner inherits that from this JVM: there, stop it as a service manager
            // would, with SIGTERM, which takes the same way out.
            String signal = interruptIgnored() ? "TERM" : "INT";
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor());
            assertTrue(process.waitFor(15, TimeUnit.SECONDS), "still running 15 s after SIG" + signal + ":\n" + String.join("\n", output));
            assertTrue(output.contains("local: stopping"), String.join("\n", output));
            assertTrue(output.contains("  API docs        " + api + "/docs"), () -> "the docs page's URL printed:\n" + String.join("\n", output));
            assertTrue(output.contains("  admin console   " + api + "/admin"), () -> "the console's URL printed:\n" + String.join("\n", output));
            assertTrue(!accepts(api), "the API port is closed");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void anUnknownArgumentExitsWithUsage() throws Exception {
        Process process = new ProcessBuilder(javaExecutable(), "-jar", Path.of("target", "local-api.jar").toString(), "--bogus")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(15, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("usage: local-api"), output);
    }

    private static void readLines(Process process, List<String> output, LinkedBlockingQueue<URI> apiUrl) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                output.add(line);
                Matcher matcher = API_LINE.matcher(line);
                if (matcher.matches()) {
                    apiUrl.add(URI.create(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            output.add("(output ended: " + e + ")");
        }
    }

    /** Whether this process ignores SIGINT (Linux's SigIgn mask; elsewhere assumed not). */
    private static boolean interruptIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (2 - 1))) != 0;
            }
        }
        return false;
    }

    private static boolean accepts(URI api) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(api.getHost(), api.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The JDK running the tests, which the build chose as 21 or newer. */
    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
