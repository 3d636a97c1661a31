package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.userservice.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

/**
 * The {@code /docs} page in a real headless Chromium against the local runner: {@code local/src/test/browser/docs-page.mjs}
 * (Playwright driving Debian's {@code chromium}, axe-core) does what a person does and reports; this class checks
 * the report. The page renders every operation of {@code openapi.yaml}; "Try it out" answers from this origin, for
 * a public operation and for one with a token pasted into "Authorize" (kept in memory, not in storage); every file
 * the page loads carries the security headers and breaks no Content-Security-Policy rule; and axe-core finds no
 * serious or critical violation but those of Swagger UI's own markup ({@link #SWAGGER_UI_OWN}). Screenshots go to
 * {@code local/target/screenshots} (or {@code SCREENSHOTS_DIR}; {@code docs/screenshots} holds the ones the README shows).
 *
 * <p>Skipped, with the reason, where node, the npm packages ({@code npm ci} in {@code local/src/test/browser}) or
 * chromium are missing, so {@code mvn -B verify} passes without them; {@code .ci/run} installs them and sets
 * {@code BROWSER_TESTS=required}, which turns the skip into a failure.
 */
class DocsPageBrowserEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();

    /**
     * axe-core rules that Swagger UI's own markup and theme break and this page cannot mend without forking it:
     * its colour theme (method badges, schema constraint chips, greyed deprecated paths: {@code color-contrast}), its
     * operation header (a link inside the button that opens it: {@code nested-interactive}), and its scrolling code
     * samples, which take no focus ({@code scrollable-region-focusable}). Everything else must pass, including the
     * server picker's name, which {@code docs.js} adds.
     */
    static final Set<String> SWAGGER_UI_OWN = Set.of("color-contrast", "nested-interactive", "scrollable-region-focusable");
    private static final long BROWSER_TIMEOUT_MINUTES = 5;

    @Test
    @SuppressWarnings("unchecked")
    void theDocsPageRendersEveryOperationAndTriesThemOutOnThisOriginSafelyAndAccessibly() throws Exception {
        Path repository = DocsPagesEndToEndTest.repository();
        Path scripts = repository.resolve("local/src/test/browser");
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        requireOrSkip(Files.isExecutable(Path.of(chromium)), "no chromium at " + chromium + " (apt-get install chromium)");
        requireOrSkip(runs("node", "--version"), "node is not installed");
        requireOrSkip(Files.isDirectory(scripts.resolve("node_modules/playwright-core")) && Files.isDirectory(scripts.resolve("node_modules/axe-core")),
                "the browser tests' npm packages are not installed (npm ci --prefix local/src/test/browser)");
        Accounts.Account account = running.accounts().register(uniqueEmail("docs-page"));
        String base = running.service().apiUrl().toString().replaceAll("/$", "");
        Path screenshots = Path.of(System.getenv().getOrDefault("SCREENSHOTS_DIR",
                repository.resolve("local/target/screenshots").toString())).toAbsolutePath();

        Map<String, Object> report = runBrowser(scripts, Map.of("BASE_URL", base, "CHROMIUM", chromium,
                "ACCESS_TOKEN", account.accessToken(), "SCREENSHOTS_DIR", screenshots.toString()));

        assertEquals(operationsOf(repository.resolve("openapi.yaml")), new TreeSet<>((List<String>) report.get("operations")),
                "the operations the page rendered");
        assertEquals("user-service API", report.get("title"));
        Map<String, Object> health = (Map<String, Object>) report.get("health");
        assertEquals(200, ((Number) health.get("status")).intValue(), () -> "GET /health from the page: " + health);
        assertEquals(base + "/health", health.get("requestUrl"), "Try it out calls the origin that served the page");
        Map<String, Object> me = (Map<String, Object>) report.get("me");
        assertEquals(200, ((Number) me.get("status")).intValue(), () -> "GET /api/v1/users/me with the pasted token: " + me);
        assertTrue(String.valueOf(me.get("body")).contains(account.email()), () -> "the pasted token's account: " + me);
        assertEquals(Map.of("local", 0, "session", 0), numbersAsInts((Map<String, Object>) report.get("storage")),
                "the pasted token stays in memory");

        Set<String> pageFiles = new TreeSet<>();
        for (Map<String, Object> response : (List<Map<String, Object>>) report.get("responses")) {
            String path = String.valueOf(response.get("url")).substring(base.length()).replaceAll("[?#].*", "");
            if (path.startsWith("/docs") || path.equals("/openapi.yaml")) {
                Map<String, Object> headers = (Map<String, Object>) response.get("headers");
                DocsPagesEndToEndTest.assertPageHeaders(path, name -> (String) headers.get(name.toLowerCase(Locale.ROOT)));
                pageFiles.add(path.replaceAll("\\.[0-9a-f]{12}\\.", "."));
            }
        }
        assertEquals(Set.of("/docs", "/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/docs/assets/docs.js",
                "/docs/assets/favicon-32x32.png", "/openapi.yaml"), pageFiles, "what the page loaded (hashes left out)");
        assertEquals(List.of(), report.get("cspViolations"), "Content-Security-Policy violations");
        assertEquals(List.of(), report.get("pageErrors"), "uncaught errors in the page");
        assertEquals(List.of(), report.get("consoleErrors"), "errors on the console");
        List<Map<String, Object>> serious = ((List<Map<String, Object>>) report.get("axe")).stream()
                .filter(violation -> Set.of("serious", "critical").contains(violation.get("impact")))
                .filter(violation -> !SWAGGER_UI_OWN.contains(violation.get("id")))
                .toList();
        assertEquals(List.of(), serious, "axe-core's serious and critical violations");
        assertTrue(Files.isRegularFile(screenshots.resolve("docs.png")), "screenshot of the page");
    }

    /** Runs the page's script; its report is the last line it prints. */
    private static Map<String, Object> runBrowser(Path scripts, Map<String, String> environment) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("docs-page", ".log");
        ProcessBuilder builder = new ProcessBuilder("node", "docs-page.mjs").directory(scripts.toFile())
                .redirectError(errors.toFile());
        builder.environment().putAll(environment);
        Process browser = builder.start();
        String output;
        try (InputStream out = browser.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!browser.waitFor(BROWSER_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            browser.destroyForcibly();
            fail("the browser script ran longer than " + BROWSER_TIMEOUT_MINUTES + " minutes:\n" + Files.readString(errors));
        }
        String log = Files.readString(errors);
        Files.delete(errors);
        if (browser.exitValue() != 0 || output.isBlank()) {
            fail("the browser script failed (exit " + browser.exitValue() + "):\n" + log + output);
        }
        List<String> lines = output.strip().lines().toList();
        return Json.parseObject(lines.getLast());
    }

    /** "METHOD /path" of every operation of the document. */
    @SuppressWarnings("unchecked")
    static Set<String> operationsOf(Path openApi) throws IOException {
        Map<String, Object> document;
        try (InputStream in = Files.newInputStream(openApi)) {
            document = new Yaml().load(in);
        }
        Set<String> methods = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
        Set<String> operations = new TreeSet<>();
        ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, item) -> item.keySet().stream()
                .filter(methods::contains)
                .forEach(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        return operations;
    }

    private static Map<String, Integer> numbersAsInts(Map<String, Object> numbers) {
        return Map.of("local", ((Number) numbers.get("local")).intValue(), "session", ((Number) numbers.get("session")).intValue());
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
    private static void requireOrSkip(boolean present, String missing) {
        Prerequisites.requireOrSkip("BROWSER_TESTS", "browser test", present, missing);
    }
}
