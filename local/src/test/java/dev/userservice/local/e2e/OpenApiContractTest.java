package dev.userservice.local.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.local.LocalOptions;
import dev.userservice.local.e2e.OpenApiContract.Aim;
import dev.userservice.local.e2e.OpenApiContract.Exchange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract check itself, on exchanges written out by hand against the repository's {@code openapi.yaml}: what
 * the service really answers passes, and an answer that gains an undocumented field or status, a request to an
 * undocumented route, or an accepted request the document forbids fails. No service is started.
 */
class OpenApiContractTest {
    private static final OpenApiContract contract = new OpenApiContract(
            LocalOptions.defaults().template().getParent().resolve("openapi.yaml"), false);

    private static final Map<String, List<String>> JSON_HEADERS = Map.of(
            "Content-Type", List.of("application/json"), "X-Request-Id", List.of("3f1c2b7e-0000-4000-8000-000000000001"));
    private static final Map<String, List<String>> NO_STORE_HEADERS = Map.of(
            "Content-Type", List.of("application/json"), "X-Request-Id", List.of("3f1c2b7e-0000-4000-8000-000000000001"),
            "Cache-Control", List.of("no-store"));
    private static final String HEALTHY = """
            {"success":true,"message":"Service is ok","data":{"status":"ok","checks":{
            "dynamodb":{"status":"ok","latency_ms":4.2},"cache":{"status":"ok","latency_ms":0.3},
            "queue":{"status":"ok","latency_ms":6.5}},"version":"dev"},"error":null,"meta":null}""";
    private static final String SIGNED_OUT = """
            {"success":true,"message":"Signed out","data":null,"error":null,"meta":null}""";
    private static final String NOT_FOUND = """
            {"success":false,"message":"Not found","data":null,"error":"not_found","meta":null}""";
    private static final String MALFORMED_JSON = """
            {"success":false,"message":"The request body is not valid JSON","data":null,"error":"malformed_json","meta":null}""";

    @Test
    void aDocumentedAnswerPasses() {
        assertEquals(List.of(), contract.violations(get("/health", 200, NO_STORE_HEADERS, HEALTHY)));
        assertEquals(List.of(), contract.violations(get("/health/", 200, NO_STORE_HEADERS, HEALTHY)), "one trailing slash is dropped");
    }

    @Test
    void anUndocumentedFieldFails() {
        String topLevel = HEALTHY.replace("\"meta\":null", "\"meta\":null,\"debug\":true");
        String nested = HEALTHY.replace("\"version\":\"dev\"", "\"version\":\"dev\",\"uptime_s\":12");

        assertViolation(get("/health", 200, NO_STORE_HEADERS, topLevel), "debug");
        assertViolation(get("/health", 200, NO_STORE_HEADERS, nested), "uptime_s");
    }

    @Test
    void aWrongTypeOrAMissingFieldFails() {
        assertViolation(get("/health", 200, NO_STORE_HEADERS, HEALTHY.replace("\"version\":\"dev\"", "\"version\":1")), "/data/version");
        assertViolation(get("/health", 200, NO_STORE_HEADERS, HEALTHY.replace(",\"meta\":null", "")), "meta");
        assertEquals(1, contract.violations(get("/health", 200, NO_STORE_HEADERS, HEALTHY.replace("\"version\":\"dev\"", "\"version\":1"))).size(),
                "the cause alone, without the closure's report of every member as unevaluated");
    }

    @Test
    void responsesSharedThroughAYamlAliasAreRead() {
        String preferences = """
                {"success":true,"message":"Preferences updated","data":{"email":true,"push":false,"quiet_hours_start":null,
                "quiet_hours_end":null,"categories":{},"custom":{},"updated_at":"2025-01-15T09:30:00.123Z"},"error":null,"meta":null}""";
        Exchange patch = new Exchange(Aim.OPERATION, "PATCH", "/api/v1/users/me/preferences", null,
                Map.of("Content-Type", List.of("application/json")), "{\"push\":false}", 200, JSON_HEADERS, preferences);

        assertEquals(List.of(), contract.violations(patch));
    }

    @Test
    void anUndocumentedStatusFails() {
        assertViolation(get("/health", 418, JSON_HEADERS, NOT_FOUND), "status 418 is not documented");
    }

    @Test
    void aMissingOrWrongRequiredHeaderFails() {
        assertViolation(get("/health", 200, JSON_HEADERS, HEALTHY), "Cache-Control is missing");
        assertViolation(get("/health", 200, Map.of("Content-Type", List.of("application/json"), "X-Request-Id", List.of("r"),
                "Cache-Control", List.of("max-age=60")), HEALTHY), "response header Cache-Control");
    }

    @Test
    void anUndocumentedRouteFails() {
        assertViolation(get("/api/v1/nothing-here", 404, JSON_HEADERS, NOT_FOUND), "no operation of openapi.yaml is GET /api/v1/nothing-here");
        assertViolation(new Exchange(Aim.OPERATION, "DELETE", "/health", null, Map.of(), null, 405, JSON_HEADERS, NOT_FOUND),
                "the path has [GET]");
    }

    @Test
    void aRequestAimedAtTheDefaultRouteIsHeldToItsResponses() {
        Exchange unknownPath = new Exchange(Aim.DEFAULT_ROUTE, "GET", "/api/v1/nothing-here", null, Map.of(), null, 404, JSON_HEADERS, NOT_FOUND);
        String notAllowed = NOT_FOUND.replace("not_found", "method_not_allowed");
        Exchange wrongMethod = new Exchange(Aim.DEFAULT_ROUTE, "DELETE", "/health", null, Map.of(), null, 405,
                Map.of("Content-Type", List.of("application/json"), "X-Request-Id", List.of("r"), "Allow", List.of("GET")), notAllowed);
        Exchange withoutAllow = new Exchange(Aim.DEFAULT_ROUTE, "DELETE", "/health", null, Map.of(), null, 405, JSON_HEADERS, notAllowed);
        Exchange documented = new Exchange(Aim.DEFAULT_ROUTE, "GET", "/health", null, Map.of(), null, 200, NO_STORE_HEADERS, HEALTHY);

        assertEquals(List.of(), contract.violations(unknownPath));
        assertEquals(List.of(), contract.violations(wrongMethod));
        assertViolation(withoutAllow, "Allow is missing");
        assertViolation(documented, "but HealthFunction takes it");
    }

    @Test
    void anAcceptedRequestIsHeldToTheRequestBodyAndARefusedOneIsNot() {
        Exchange accepted = post("/api/v1/auth/logout", "{\"refresh_token\":\"abc\"}", 200, SIGNED_OUT);
        Exchange acceptedUndocumented = post("/api/v1/auth/logout", "{\"everywhere\":true}", 200, SIGNED_OUT);
        Exchange refusedMalformed = post("/api/v1/auth/logout", "{not json", 400, MALFORMED_JSON);

        assertEquals(List.of(), contract.violations(accepted));
        assertViolation(acceptedUndocumented, "everywhere");
        assertEquals(List.of(), contract.violations(refusedMalformed));
        assertViolation(post("/api/v1/auth/logout", "{not json", 400, NOT_FOUND), "/error");
    }

    @Test
    void anAcceptedRequestIsHeldToItsParameters() {
        assertViolation(get("/health?verbose=1", 200, NO_STORE_HEADERS, HEALTHY), "the query parameter verbose is not documented");
        assertViolation(new Exchange(Aim.OPERATION, "GET", "/api/v1/auth/sessions", "limit=500", Map.of(), null,
                200, JSON_HEADERS, "{}"), "query parameter limit");
    }

    @Test
    void checkFailsTheTestWithEveryViolation() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> contract.check(get("/health", 418, JSON_HEADERS, NOT_FOUND)));
        assertTrue(failure.getMessage().contains("GET /health answered 418"), failure.getMessage());
    }

    @Test
    void theSummaryCountsExchangesAndTheOperationsTheyReached() {
        OpenApiContract fresh = new OpenApiContract(LocalOptions.defaults().template().getParent().resolve("openapi.yaml"), false);
        fresh.violations(get("/health", 200, NO_STORE_HEADERS, HEALTHY));
        fresh.violations(get("/health/", 200, NO_STORE_HEADERS, HEALTHY));
        fresh.violations(post("/api/v1/auth/logout", "{}", 200, SIGNED_OUT));

        String summary = fresh.summary();

        assertTrue(summary.matches("openapi\\.yaml contract: 3 exchanges checked \\(1 request bodies validated\\), 2 of \\d+ "
                + "operations exercised in \\d+ ms; not exercised: \\[.*"), summary);
        assertTrue(!summary.contains("HealthFunction,") && summary.contains("RegisterFunction"), summary);
    }

    private static Exchange get(String target, int status, Map<String, List<String>> headers, String body) {
        int query = target.indexOf('?');
        return new Exchange(Aim.OPERATION, "GET", query < 0 ? target : target.substring(0, query),
                query < 0 ? null : target.substring(query + 1), Map.of(), null, status, headers, body);
    }

    private static Exchange post(String path, String body, int status, String answer) {
        return new Exchange(Aim.OPERATION, "POST", path, null, Map.of("Content-Type", List.of("application/json")), body,
                status, JSON_HEADERS, answer);
    }

    private static void assertViolation(Exchange exchange, String expected) {
        List<String> violations = contract.violations(exchange);
        assertTrue(violations.stream().anyMatch(violation -> violation.contains(expected)),
                () -> "expected a violation mentioning '" + expected + "', got " + violations);
    }
}
