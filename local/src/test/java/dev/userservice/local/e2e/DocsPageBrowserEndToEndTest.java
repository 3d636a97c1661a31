package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

/**
 * The {@code /docs} page in a real headless Chromium against the local runner: {@code local/src/test/browser/docs-page.mjs}
 * (Playwright driving Debian's {@code chromium}, axe-core) does what a person does and reports; this class checks
 * the report. The page renders every operation of {@code openapi.yaml}; "Try it out" answers from this origin, for
 * a public operation and for one with a token pasted into "Authorize" (kept in memory, not in storage); every file
 * the page loads carries the security headers and breaks no Content-Security-Policy rule; and axe-core finds no
 * serious or critical violation but those of Swagger UI's own markup ({@link #SWAGGER_UI_OWN}). Skipped as
 * {@link BrowserScript} says without node, its packages or chromium.
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

    @Test
    @SuppressWarnings("unchecked")
    void theDocsPageRendersEveryOperationAndTriesThemOutOnThisOriginSafelyAndAccessibly() throws Exception {
        BrowserScript browser = BrowserScript.require("docs-page.mjs");
        Accounts.Account account = running.accounts().register(uniqueEmail("docs-page"));
        String base = running.service().apiUrl().toString().replaceAll("/$", "");

        Map<String, Object> report = browser.run(base, Map.of("ACCESS_TOKEN", account.accessToken()));

        assertEquals(operationsOf(DocsPagesEndToEndTest.repository().resolve("openapi.yaml")),
                new TreeSet<>((List<String>) report.get("operations")), "the operations the page rendered");
        assertEquals("user-service API", report.get("title"));
        Map<String, Object> health = (Map<String, Object>) report.get("health");
        assertEquals(200, ((Number) health.get("status")).intValue(), () -> "GET /health from the page: " + health);
        assertEquals(base + "/health", health.get("requestUrl"), "Try it out calls the origin that served the page");
        Map<String, Object> me = (Map<String, Object>) report.get("me");
        assertEquals(200, ((Number) me.get("status")).intValue(), () -> "GET /api/v1/users/me with the pasted token: " + me);
        assertTrue(String.valueOf(me.get("body")).contains(account.email()), () -> "the pasted token's account: " + me);
        BrowserScript.assertSafeAndAccessible(base, report, Set.of("/docs", "/openapi.yaml"),
                Set.of("/docs", "/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/docs/assets/docs.js",
                        "/docs/assets/favicon-32x32.png", "/openapi.yaml"), SWAGGER_UI_OWN);
        browser.assertScreenshots("docs.png", "docs-try-it-out.png");
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
}
