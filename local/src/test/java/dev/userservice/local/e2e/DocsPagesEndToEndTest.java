package dev.userservice.local.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /docs}, {@code GET /admin}, their assets and {@code GET /openapi.yaml} through the local runner, as a
 * browser fetches them: every answer with the pages' security headers and the right content type, hashed assets
 * cached for good and the pages and document revalidated, and nothing served but those files. {@link DocsPageBrowserEndToEndTest} shows the
 * page working in a real browser, {@link AdminConsoleBrowserEndToEndTest} the console.
 */
class DocsPagesEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Pattern ASSET = Pattern.compile("(?:href|src)=\"(/(?:docs|admin)/assets/[^\"]+)\"");

    /** The headers every answer of the pages function carries, and the values they must have. */
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer");

    /** The pages' request line has the fields of every other HTTP function's, so the access log joins it too. */
    @Test
    void thePagesRequestLineHasTheFieldsOfEveryRequestLine() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            assertEquals(200, api.get("/docs").status());
            assertEquals(200, api.get("/health").status());
        } finally {
            Log.redirect(System.out);
        }
        Map<String, Set<String>> fieldsByFunction = new TreeMap<>();
        log.toString(StandardCharsets.UTF_8).lines().map(Json::parseObject)
                .filter(line -> "request".equals(line.get("message")))
                .forEach(line -> fieldsByFunction.put(String.valueOf(line.get("route")), new TreeSet<>(line.keySet())));

        assertEquals(fieldsByFunction.get("GET /health"), fieldsByFunction.get("GET /docs"), String.valueOf(fieldsByFunction));
    }

    @Test
    void theDocsPageAndEveryAssetItNamesAreServedWithTheSecurityHeaders() {
        List<String> assets = assertServedWithItsAssets("/docs");

        assertEquals(4, assets.size(), () -> "Swagger UI's script, stylesheet and icon and the initializer: " + assets);
    }

    @Test
    void theAdminConsoleAndEveryAssetItNamesAreServedWithTheSecurityHeaders() {
        List<String> assets = assertServedWithItsAssets("/admin");

        assertEquals(2, assets.size(), () -> "the console's script and stylesheet: " + assets);
        assertEquals("no-cache", api.get("/admin/").header("Cache-Control"), "the page with a trailing slash");
        assertEquals(404, api.get("/admin/assets/admin.js").status(), "the unhashed name");
        assertEquals(404, api.get("/admin/assets/..%2Fdocs%2Findex.html").status(), "a path that climbs out");
    }

    /** The page at {@code path}, revalidated, and every asset it names, cached for good; all with the headers. */
    private static List<String> assertServedWithItsAssets(String path) {
        Api.Response page = api.get(path);

        assertEquals(200, page.status(), page.text());
        assertEquals("text/html; charset=utf-8", page.header("Content-Type"));
        assertEquals("no-cache", page.header("Cache-Control"));
        assertPageHeaders(path, page);
        assertFalse(page.text().contains("<script>") || page.text().contains(" style="), "no inline script or style");
        List<String> assets = assets(page.text());
        for (String asset : assets) {
            Api.Response file = api.get(asset);
            assertEquals(200, file.status(), asset);
            assertEquals("public, max-age=31536000, immutable", file.header("Cache-Control"), asset);
            assertPageHeaders(asset, file);
            String extension = asset.substring(asset.lastIndexOf('.') + 1);
            assertEquals(Map.of("js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "png", "image/png").get(extension),
                    file.header("Content-Type"), asset);
        }
        return assets;
    }

    @Test
    void openApiYamlIsTheDocumentOfTheRepository() throws IOException {
        Api.Response document = api.get("/openapi.yaml");

        assertEquals(200, document.status());
        assertEquals("application/yaml; charset=utf-8", document.header("Content-Type"));
        assertEquals("no-cache", document.header("Cache-Control"));
        assertPageHeaders("/openapi.yaml", document);
        assertEquals(Files.readString(repository().resolve("openapi.yaml")), document.text());
    }

    @Test
    void anUnchangedPageIsA304AndTextIsGzippedForBrowsersThatAcceptIt() {
        Api.Response page = api.get("/docs");
        String etag = page.header("ETag");

        Api.Response again = api.get("/docs", "If-None-Match", etag);
        assertEquals(304, again.status());
        assertPageHeaders("/docs (304)", again);

        String script = assets(page.text()).stream().filter(asset -> asset.contains("swagger-ui-bundle")).findFirst().orElseThrow();
        assertEquals("gzip", api.get(script, "Accept-Encoding", "gzip").header("Content-Encoding"));
        assertNull(api.get(script).header("Content-Encoding"), "plain for a client that does not say it accepts gzip");
        for (String refusing : List.of("identity, gzip;q=0", "*, gzip; q=0.0", "br, deflate", "gzip;Q=0.000", ";", ";;")) {
            assertNull(api.get(script, "Accept-Encoding", refusing).header("Content-Encoding"), refusing);
        }
        for (String accepting : List.of("gzip;q=0.5", "*", "br;q=1.0, GZIP", "identity;q=0, gzip;q=0.01", "gzip,;")) {
            assertEquals("gzip", api.get(script, "Accept-Encoding", accepting).header("Content-Encoding"), accepting);
        }
    }

    /**
     * Each body has its own strong tag, so a cache holding the compressed one cannot have it confirmed for a client
     * that takes no gzip; and If-None-Match compares weakly, as RFC 9110 says, with {@code *} matching any.
     */
    @Test
    void theCompressedBodyHasATagOfItsOwnAndTagsCompareWeakly() {
        String script = assets(api.get("/docs").text()).stream().filter(asset -> asset.contains("swagger-ui-bundle")).findFirst().orElseThrow();
        String plainTag = api.get(script).header("ETag");
        String gzipTag = api.get(script, "Accept-Encoding", "gzip").header("ETag");

        assertNotEquals(plainTag, gzipTag);
        assertEquals(200, api.get(script, "If-None-Match", gzipTag).status(), "the compressed body's tag does not confirm the plain one");
        assertEquals(304, api.get(script, "Accept-Encoding", "gzip", "If-None-Match", gzipTag).status());
        assertEquals(304, api.get(script, "If-None-Match", "\"other\", W/" + plainTag).status(), "a weakened tag");
        assertEquals(304, api.get(script, "If-None-Match", "*").status());
    }

    @Test
    void unknownAssetsAndPathsThatClimbOutAreNotFoundWithTheSecurityHeaders() {
        String bundle = assets(api.get("/docs").text()).stream().filter(asset -> asset.contains("swagger-ui-bundle")).findFirst().orElseThrow();
        List<String> missing = List.of(
                "/docs/assets/nothing.js",
                "/docs/assets/swagger-ui-bundle.js", // the unhashed name
                bundle.replaceAll("\\.[0-9a-f]{12}\\.", ".000000000000."), // another version's hash
                "/docs/assets/..%2F..%2Ftemplate.yaml",
                "/docs/assets/%2e%2e%2fopenapi.yaml",
                "/docs/assets/..%5Copenapi.yaml",
                "/docs/assets/%2Fetc%2Fpasswd",
                "/docs/assets/pages%2Fdocs%2Findex.html");
        for (String path : missing) {
            Api.Response answer = api.get(path);
            assertEquals(404, answer.status(), path + ": " + answer.text());
            assertEquals("not_found", answer.error(), path);
            assertPageHeaders(path, answer);
        }
    }

    static void assertPageHeaders(String what, Api.Response response) {
        assertPageHeaders(what, response::header);
    }

    /** The security headers of a page's answer, whose headers {@code header} reads by name (in any case). */
    static void assertPageHeaders(String what, Function<String, String> header) {
        SECURITY_HEADERS.forEach((name, value) -> assertEquals(value, header.apply(name), what + ": " + name));
        String policy = header.apply("Content-Security-Policy");
        assertTrue(policy != null && policy.contains("script-src 'self';") && policy.contains("frame-ancestors 'none'")
                && !policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), () -> what + ": Content-Security-Policy " + policy);
    }

    static List<String> assets(String html) {
        List<String> assets = new ArrayList<>();
        Matcher asset = ASSET.matcher(html);
        while (asset.find()) {
            assets.add(asset.group(1));
        }
        return assets;
    }

    static Path repository() {
        Path folder = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(folder.resolve("template.yaml"))) {
            folder = folder.getParent();
        }
        return folder;
    }
}
