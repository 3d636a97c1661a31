package dev.userservice.local.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.userservice.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A script of {@code local/src/test/browser} run with node in a real headless Chromium (Playwright driving Debian's
 * {@code chromium}, axe-core), and the checks every page's report shares. A test builds one with {@link #require},
 * which skips it, with the reason, where node, the npm packages ({@code npm ci} in {@code local/src/test/browser})
 * or chromium are missing, so {@code ./mvnw -B verify} passes without them; {@code .ci/run} installs them and sets
 * {@code BROWSER_TESTS=required}, which turns the skip into a failure. Screenshots go to
 * {@code local/target/screenshots} (or {@code SCREENSHOTS_DIR}; {@code docs/screenshots} holds the ones the README shows).
 */
record BrowserScript(String script, Path scripts, String chromium, Path screenshots) {
    private static final long TIMEOUT_MINUTES = 5;

    static BrowserScript require(String script) {
        Path scripts = DocsPagesEndToEndTest.repository().resolve("local/src/test/browser");
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        requireOrSkip(script, Files.isExecutable(Path.of(chromium)), "no chromium at " + chromium + " (apt-get install chromium)");
        requireOrSkip(script, runs("node", "--version"), "node is not installed");
        requireOrSkip(script, Files.isDirectory(scripts.resolve("node_modules/playwright-core")) && Files.isDirectory(scripts.resolve("node_modules/axe-core")),
                "the browser tests' npm packages are not installed (npm ci --prefix local/src/test/browser)");
        Path screenshots = Path.of(System.getenv().getOrDefault("SCREENSHOTS_DIR",
                DocsPagesEndToEndTest.repository().resolve("local/target/screenshots").toString())).toAbsolutePath();
        return new BrowserScript(script, scripts, chromium, screenshots);
    }

    /** Runs the script against the page at {@code base}; its report is the last line it prints. */
    Map<String, Object> run(String base, Map<String, String> environment) throws IOException, InterruptedException {
        Path errors = Files.createTempFile(script, ".log");
        Path report = Files.createTempFile(script, ".out");
        // Both to files: reading a pipe to its end would wait on a hung browser past the timeout below.
        ProcessBuilder builder = new ProcessBuilder("node", script).directory(scripts.toFile())
                .redirectError(errors.toFile()).redirectOutput(report.toFile());
        Map<String, String> variables = new HashMap<>(environment);
        variables.put("BASE_URL", base);
        variables.put("CHROMIUM", chromium);
        variables.put("SCREENSHOTS_DIR", screenshots.toString());
        builder.environment().putAll(variables);
        Process browser = builder.start();
        if (!browser.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            browser.destroyForcibly();
            fail(script + " ran longer than " + TIMEOUT_MINUTES + " minutes:\n" + Files.readString(errors));
        }
        String output = Files.readString(report);
        String log = Files.readString(errors);
        Files.delete(errors);
        Files.delete(report);
        if (browser.exitValue() != 0 || output.isBlank()) {
            fail(script + " failed (exit " + browser.exitValue() + "):\n" + log + output);
        }
        return Json.parseObject(output.strip().lines().toList().getLast());
    }

    /**
     * What every page's report must show: each answer of the pages function under {@code prefixes} with the
     * security headers, the files loaded (hashes left out), no storage used, no Content-Security-Policy violation, no
     * uncaught or console error, and no serious or critical axe-core violation but those {@code excused}.
     */
    @SuppressWarnings("unchecked")
    static void assertSafeAndAccessible(String base, Map<String, Object> report, Set<String> prefixes, Set<String> files, Set<String> excused) {
        Set<String> loaded = new TreeSet<>();
        for (Map<String, Object> response : (List<Map<String, Object>>) report.get("responses")) {
            String path = String.valueOf(response.get("url")).substring(base.length()).replaceAll("[?#].*", "");
            if (prefixes.stream().anyMatch(path::startsWith)) {
                Map<String, Object> headers = (Map<String, Object>) response.get("headers");
                DocsPagesEndToEndTest.assertPageHeaders(path, name -> (String) headers.get(name.toLowerCase(Locale.ROOT)));
                loaded.add(path.replaceAll("\\.[0-9a-f]{12}\\.", "."));
            }
        }
        assertEquals(files, loaded, "what the page loaded (hashes left out)");
        Map<String, Object> storage = (Map<String, Object>) report.get("storage");
        assertEquals(Map.of("local", 0, "session", 0), Map.of("local", ((Number) storage.get("local")).intValue(),
                "session", ((Number) storage.get("session")).intValue()), "tokens stay in memory: nothing in storage");
        assertEquals(List.of(), report.get("cspViolations"), "Content-Security-Policy violations");
        assertEquals(List.of(), report.get("pageErrors"), "uncaught errors in the page");
        assertEquals(List.of(), report.get("consoleErrors"), () -> "errors on the console; the failed responses: "
                + ((List<Map<String, Object>>) report.get("responses")).stream()
                        .filter(response -> ((Number) response.get("status")).intValue() >= 400)
                        .map(response -> response.get("status") + " " + response.get("url")).toList());
        List<Map<String, Object>> serious = ((List<Map<String, Object>>) report.get("axe")).stream()
                .filter(violation -> Set.of("serious", "critical").contains(violation.get("impact")))
                .filter(violation -> !excused.contains(violation.get("id")))
                .toList();
        assertEquals(List.of(), serious, "axe-core's serious and critical violations");
    }

    void assertScreenshots(String... names) {
        for (String name : names) {
            assertTrue(Files.isRegularFile(screenshots.resolve(name)), "screenshot " + name);
        }
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Skips without what the browser needs, unless CI said the browser tests must run. */
    private static void requireOrSkip(String script, boolean present, String missing) {
        Prerequisites.requireOrSkip("BROWSER_TESTS", "browser test " + script, present, missing);
    }
}
