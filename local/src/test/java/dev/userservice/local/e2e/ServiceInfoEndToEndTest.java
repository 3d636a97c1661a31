package dev.userservice.local.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /} and {@code GET /api/v1}: the service's name and version and links to its documents, built from the
 * configured public address (the runner's API), so they are the same whatever the request's path.
 */
class ServiceInfoEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();

    @Test
    void theRootAnswersTheServiceNameVersionAndLinksFromTheConfiguredAddress() {
        String base = running.service().apiUrl().toString().replaceAll("/$", "");

        Api.Response root = api.get("/");

        assertEquals(200, root.status(), root.text());
        assertEquals("user-service", root.data().get("name"));
        assertEquals("dev", root.data().get("version"));
        assertEquals(Map.of(
                "docs", base + "/docs",
                "openapi", base + "/openapi.yaml",
                "jwks", base + "/.well-known/jwks.json",
                "openid_configuration", base + "/.well-known/openid-configuration",
                "health", base + "/health"), root.data().get("links"));
    }

    @Test
    void theApiPrefixAnswersAsTheRoot() {
        Api.Response versioned = api.get("/api/v1");

        assertEquals(200, versioned.status(), versioned.text());
        assertEquals(api.get("/").data(), versioned.data());
        assertEquals(versioned.data(), api.get("/api/v1/").data());
    }
}
