package dev.userservice.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyTest {
    private static final String REGISTER = "{\"email\":\"alice@example.com\",\"password\":\"tangerine octopus ledger\"}";
    private static final String REFRESH_TOKEN = "rt_9sQe2VxW1mZk4LrT8yHc3NbF6pJd0GaU";
    private static final String DEVICE = "{\"token\":\"device-token\",\"platform\":\"ios\"}";
    private static final String DEVICES = "POST /api/v1/users/me/devices";
    private static final String TOKEN_BODY = "{\"success\":true,\"data\":{\"refresh_token\":\"" + REFRESH_TOKEN + "\"}}";

    private final MutableClock clock = new MutableClock(Instant.parse("2025-02-01T09:00:00Z"));
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();
    /** The client IPs whose public claims were counted. */
    private final java.util.List<String> publicClaims = new java.util.ArrayList<>();
    private final Idempotency idempotency = new Idempotency(store, clock, publicClaims::add);
    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void sameKeyAndBodyReplaysTheFirstResponseWithoutRunningAgain() {
        HttpResponse first = idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(201, TOKEN_BODY));

        HttpResponse replay = idempotency.execute(post(REGISTER, "req-2"), "key-1", respond(201, "{\"other\":true}"));

        assertEquals(1, runs.get());
        assertEquals(201, replay.status());
        assertEquals(first.body(), replay.body());
        assertEquals("no-store", replay.headers().get("Cache-Control"));
        assertEquals("true", replay.headers().get("Idempotent-Replayed"));
    }

    /**
     * Anyone may send a key on a public route, and each claim is a write: counted against the client IP first, and an
     * IP over its allowance writes nothing. A caller's claim is theirs to make, and is not counted.
     */
    @Test
    void aPublicRoutesClaimIsCountedAgainstItsClientIpBeforeAnythingIsWritten() {
        idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(201, TOKEN_BODY));
        idempotency.execute(asCaller("alice", DEVICE), "key-2", respond(201, DEVICE));
        assertEquals(java.util.List.of("203.0.113.9"), publicClaims);

        ServiceException refused = new ServiceException(ErrorCode.RATE_LIMITED);
        Idempotency overAllowance = new Idempotency(store, clock, clientIp -> {
            throw refused;
        });
        assertEquals(refused, assertThrows(ServiceException.class,
                () -> overAllowance.execute(post(REGISTER, "req-3"), "key-3", respond(201, TOKEN_BODY))));
        assertEquals(2, store.size(), "no claim written over the allowance");
        assertEquals(2, runs.get(), "nor run");
    }

    @Test
    void replayCarriesTheRetrysOwnRequestId() {
        idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(201, TOKEN_BODY));

        HttpResponse replay = idempotency.execute(post(REGISTER, "req-2"), "key-1", respond(201, TOKEN_BODY));

        assertEquals("req-2", replay.headers().get("X-Request-Id"));
    }

    @Test
    void firstResponseIsNotMarkedAsReplayed() {
        HttpResponse first = idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(201, TOKEN_BODY));

        assertFalse(first.headers().containsKey("Idempotent-Replayed"));
    }

    @Test
    void callersSameKeyWithAnotherBodyIsAConflict() {
        idempotency.execute(asCaller("user-a", DEVICE), "key-1", respond(201, TOKEN_BODY));

        String otherBody = DEVICE.replace("device-token", "other-token");
        assertConflict(() -> idempotency.execute(asCaller("user-a", otherBody), "key-1", respond(201, TOKEN_BODY)));
        assertEquals(1, runs.get());
    }

    @Test
    void callersSameKeyWithAnotherQueryIsAConflict() {
        idempotency.execute(asCaller("user-a", DEVICE), "key-1", respond(201, TOKEN_BODY));

        HttpRequest withQuery = request(DEVICES, Map.of("dry_run", "true"), DEVICE, user("user-a", "session-user-a"), "req-2");
        assertConflict(() -> idempotency.execute(withQuery, "key-1", respond(201, TOKEN_BODY)));
    }

    @Test
    void strangersSameKeyOnAPublicRouteNeitherBlocksNorReadsTheOwnersRequest() {
        // Anyone may send any key to a public route: the stranger gets there first, with a body of their own.
        String strangers = REGISTER.replace("alice", "mallory");
        idempotency.execute(post(strangers, "req-1"), "key-1", respond(201, "{\"id\":\"mallory\"}"));

        HttpResponse owners = idempotency.execute(post(REGISTER, "req-2"), "key-1", respond(201, "{\"id\":\"alice\"}"));

        assertEquals(2, runs.get());
        assertEquals("{\"id\":\"alice\"}", owners.body());
        assertFalse(owners.headers().containsKey("Idempotent-Replayed"));
    }

    @Test
    void publicRequestsSameKeyWithAnotherQueryRunsAsAnotherRequest() {
        idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(201, TOKEN_BODY));

        HttpRequest withQuery = request("POST /api/v1/auth/register", Map.of("dry_run", "true"), REGISTER, null, "req-2");
        HttpResponse other = idempotency.execute(withQuery, "key-1", respond(201, TOKEN_BODY));

        assertEquals(2, runs.get());
        assertFalse(other.headers().containsKey("Idempotent-Replayed"));
    }

    @Test
    void sameKeyFromAnotherSessionOfTheSameUserIsIndependent() {
        // A retry comes from the session that sent the first request; a later session's request is a new one.
        idempotency.execute(request(DEVICES, Map.of(), DEVICE, user("user-a", "session-1"), "req-1"), "key-1", respond(200, "{}"));

        HttpResponse later = idempotency.execute(request(DEVICES, Map.of(), DEVICE, user("user-a", "session-2"), "req-2"),
                "key-1", respond(200, "{}"));

        assertEquals(2, runs.get());
        assertFalse(later.headers().containsKey("Idempotent-Replayed"));
    }

    @Test
    void sameKeyOnAnotherPathOfTheSameRouteIsIndependent() {
        // An admin registering the same token for two users: one route, two paths, two requests.
        Principal admin = new Principal("admin-1", "session-admin", Set.of(Role.ADMIN), true, "jti-admin", Instant.parse("2025-02-01T09:15:00Z"));
        String route = "POST /api/v1/users/{id}/devices";
        idempotency.execute(new HttpRequest("POST", "/api/v1/users/u-1/devices", route, Map.of(), Map.of(), Map.of("id", "u-1"),
                DEVICE.getBytes(UTF_8), "203.0.113.9", "req-1", admin), "key-1", respond(201, "{\"user\":\"u-1\"}"));

        HttpResponse second = idempotency.execute(new HttpRequest("POST", "/api/v1/users/u-2/devices", route, Map.of(), Map.of(),
                Map.of("id", "u-2"), DEVICE.getBytes(UTF_8), "203.0.113.9", "req-2", admin), "key-1", respond(201, "{\"user\":\"u-2\"}"));

        assertEquals(2, runs.get());
        assertEquals("{\"user\":\"u-2\"}", second.body());
    }

    @Test
    void retryWhileTheFirstIsStillRunningIsAConflict() {
        Supplier<HttpResponse> firstAttempt = () -> {
            // The client's retry arrives while the first attempt has not finished.
            assertConflict(() -> idempotency.execute(post(REGISTER, "req-2"), "key-1", respond(201, TOKEN_BODY)));
            return respond(201, TOKEN_BODY).get();
        };

        idempotency.execute(post(REGISTER, "req-1"), "key-1", firstAttempt);

        assertEquals(1, runs.get());
    }

    /** The action committed; only the record of its answer could not be written. */
    @Test
    void anAnswerThatCouldNotBeStoredStillGoesBackAndARetryWaitsOutTheLease() {
        store.failNextCompletion();

        HttpResponse first = idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(201, TOKEN_BODY));

        assertEquals(201, first.status());
        assertConflict(() -> idempotency.execute(post(REGISTER, "req-2"), "key-1", respond(201, TOKEN_BODY)));
        assertEquals(1, runs.get(), "not run again while the first attempt's lease holds");
    }

    /** Only the key's release failed: the client still learns what happened, and a retry waits out the lease. */
    @Test
    void aRateLimitOrAFailureWhoseKeyCouldNotBeReleasedIsAnsweredAsItHappened() {
        store.failNextRelease();
        HttpResponse limited = idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(429, "{\"error\":\"rate_limited\"}"));

        assertEquals(429, limited.status());
        assertConflict(() -> idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(201, TOKEN_BODY)));

        store.failNextRelease();
        IllegalStateException failure = new IllegalStateException("the action failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> idempotency.execute(post(REGISTER, "req-2"), "key-2", () -> {
                    throw failure;
                }));
        assertSame(failure, thrown);
        assertEquals("the table did not answer", thrown.getSuppressed()[0].getMessage());
    }

    @Test
    void serverFailureReleasesTheKeySoARetryRuns() {
        HttpResponse failed = idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(503, "{\"error\":\"service_unavailable\"}"));

        HttpResponse retried = idempotency.execute(post(REGISTER, "req-2"), "key-1", respond(201, TOKEN_BODY));

        assertEquals(503, failed.status());
        assertEquals(2, runs.get());
        assertEquals(201, retried.status());
        assertFalse(retried.headers().containsKey("Idempotent-Replayed"));
    }

    @Test
    void rateLimitedAttemptIsNotReplayedSoARetryAfterTheWaitRuns() {
        HttpResponse limited = idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(429, "{\"error\":\"rate_limited\"}"));

        HttpResponse retried = idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(201, TOKEN_BODY));

        assertEquals(429, limited.status());
        assertEquals(201, retried.status(), "the retry ran instead of replaying the 429");
        assertFalse(retried.headers().containsKey("Idempotent-Replayed"));
    }

    /** The same body sent again with the right Content-Type is the same request to the key: it must run this time. */
    @Test
    void anAttemptWithAnotherMediaTypeIsNotReplayedSoTheCorrectedRetryRuns() {
        idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(415, "{\"error\":\"unsupported_media_type\"}"));

        HttpResponse retried = idempotency.execute(post(REGISTER, "req-2"), "key-1", respond(201, TOKEN_BODY));

        assertEquals(201, retried.status(), "the retry ran instead of replaying the 415");
    }

    @Test
    void thrownFailureReleasesTheKeySoARetryRuns() {
        IllegalStateException bug = new IllegalStateException("boom");

        assertThrows(IllegalStateException.class,
                () -> idempotency.execute(post(REGISTER, "req-1"), "key-1", () -> { throw bug; }));
        HttpResponse retried = idempotency.execute(post(REGISTER, "req-2"), "key-1", respond(201, TOKEN_BODY));

        assertEquals(201, retried.status());
        assertEquals(1, runs.get());
    }

    @Test
    void clientErrorIsReplayedLikeAnyOtherAnswer() {
        idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(409, "{\"error\":\"email_taken\"}"));

        HttpResponse replay = idempotency.execute(post(REGISTER, "req-2"), "key-1", respond(201, TOKEN_BODY));

        assertEquals(409, replay.status());
        assertEquals("email_taken", replay.error());
        assertEquals(1, runs.get());
    }

    @Test
    void abandonedAttemptCanBeTakenOverOnceItsLeaseRunsOut() {
        // A function that dies mid-request never releases its claim; only the lease frees it.
        assertThrows(FunctionDied.class,
                () -> idempotency.execute(post(REGISTER, "req-1"), "key-1", () -> { throw new FunctionDied(); }));

        assertConflict(() -> idempotency.execute(post(REGISTER, "req-2"), "key-1", respond(201, TOKEN_BODY)));
        clock.advance(Duration.ofSeconds(61));
        HttpResponse taken = idempotency.execute(post(REGISTER, "req-3"), "key-1", respond(201, TOKEN_BODY));

        assertEquals(201, taken.status());
        assertEquals(1, runs.get());
    }

    @Test
    void keyIsForgottenAfter24Hours() {
        idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(201, TOKEN_BODY));

        clock.advance(Idempotency.RETENTION);
        HttpResponse later = idempotency.execute(post(REGISTER, "req-2"), "key-1", respond(201, TOKEN_BODY));

        assertEquals(2, runs.get());
        assertFalse(later.headers().containsKey("Idempotent-Replayed"));
    }

    @Test
    void keyIsRememberedJustBefore24Hours() {
        idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(201, TOKEN_BODY));

        clock.advance(Idempotency.RETENTION.minusSeconds(1));
        HttpResponse replay = idempotency.execute(post(REGISTER, "req-2"), "key-1", respond(201, TOKEN_BODY));

        assertEquals(1, runs.get());
        assertEquals("true", replay.headers().get("Idempotent-Replayed"));
    }

    @Test
    void sameKeyFromAnotherCallerIsIndependent() {
        idempotency.execute(asCaller("user-a", DEVICE), "key-1", respond(201, "{\"id\":\"a\"}"));

        HttpResponse other = idempotency.execute(asCaller("user-b", DEVICE), "key-1", respond(201, "{\"id\":\"b\"}"));

        assertEquals(2, runs.get());
        assertEquals("{\"id\":\"b\"}", other.body());
    }

    @Test
    void sameKeyOnAnotherRouteIsIndependent() {
        idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(201, TOKEN_BODY));

        HttpRequest login = request("POST /api/v1/auth/login", Map.of(), REGISTER, null, "req-2");
        idempotency.execute(login, "key-1", respond(200, TOKEN_BODY));

        assertEquals(2, runs.get());
    }

    @Test
    void storedResponseIsEncrypted() {
        idempotency.execute(post(REGISTER, "req-1"), "key-1", respond(201, TOKEN_BODY));

        List<byte[]> stored = store.storedResponses();

        assertEquals(1, stored.size());
        String asText = new String(stored.getFirst(), UTF_8);
        assertFalse(asText.contains(REFRESH_TOKEN), "the refresh token is stored in the clear");
        assertFalse(asText.contains("refresh_token"));
        assertFalse(asText.contains("no-store"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ключ", "tab\tkey", "line\nbreak"})
    void malformedKeyIsAValidationFailure(String key) {
        ServiceException refused = assertThrows(ServiceException.class,
                () -> idempotency.execute(post(REGISTER, "req-1"), key, respond(201, TOKEN_BODY)));

        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
        assertEquals(List.of(new FieldError("Idempotency-Key", "must be 1 to 128 printable ASCII characters")), refused.details());
        assertEquals(0, runs.get());
    }

    @Test
    void keyOf128CharactersIsAcceptedAnd129Refused() {
        idempotency.execute(post(REGISTER, "req-1"), "k".repeat(128), respond(201, TOKEN_BODY));

        ServiceException refused = assertThrows(ServiceException.class,
                () -> idempotency.execute(post(REGISTER, "req-2"), "k".repeat(129), respond(201, TOKEN_BODY)));
        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
    }

    // ---- helpers

    /** Stands for the Lambda runtime killing the function: not an exception the code could catch and handle. */
    private static final class FunctionDied extends Error {}

    /** The handler's work: counts its runs and answers as a kernel would, with a token-carrying response's headers. */
    private Supplier<HttpResponse> respond(int status, String body) {
        return () -> {
            runs.incrementAndGet();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("X-Request-Id", "set-by-the-kernel");
            headers.put("Cache-Control", "no-store");
            String error = status >= 400 ? body.replaceAll(".*\"error\":\"([a-z_]+)\".*", "$1") : null;
            return new HttpResponse(status, headers, body, error);
        };
    }

    private static HttpRequest post(String body, String requestId) {
        return request("POST /api/v1/auth/register", Map.of(), body, null, requestId);
    }

    private static HttpRequest asCaller(String subject, String body) {
        return request(DEVICES, Map.of(), body, user(subject, "session-" + subject), "req-" + subject);
    }

    private static Principal user(String subject, String sessionId) {
        return new Principal(subject, sessionId, Set.of(Role.USER), true, "jti-" + subject, Instant.parse("2025-02-01T09:15:00Z"));
    }

    private static HttpRequest request(String routeKey, Map<String, String> query, String body, Principal caller, String requestId) {
        String path = routeKey.substring(routeKey.indexOf(' ') + 1);
        return new HttpRequest("POST", path, routeKey, Map.of("content-type", "application/json"), query, Map.of(),
                body.getBytes(UTF_8), "203.0.113.9", requestId, caller);
    }

    private static void assertConflict(Runnable call) {
        ServiceException conflict = assertThrows(ServiceException.class, call::run);
        assertEquals(ErrorCode.IDEMPOTENCY_CONFLICT, conflict.error());
        assertEquals(409, conflict.error().status());
    }
}
