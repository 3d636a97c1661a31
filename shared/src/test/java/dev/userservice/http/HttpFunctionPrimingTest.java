package dev.userservice.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.cache.Cache;
import dev.userservice.cache.PrimingSafeCache;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.metrics.Metrics;
import dev.userservice.snapstart.Wiring;
import dev.userservice.testing.InMemoryCache;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the kernel does before a SnapStart snapshot: one request of its own through the whole kernel, refused
 * before the route's work, with nothing written, logged as a request or counted; then the container's warm-up.
 */
class HttpFunctionPrimingTest {
    private static final String NOBODY = "token-of-nobody";

    private final List<String> calls = new ArrayList<>();
    private final Cache cache = new PrimingSafeCache(new InMemoryCache(Clock.systemUTC()));
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private RuntimeException warmUpFailure;

    /** Refuses every token, as the session check refuses one of nobody, after remembering it in the cache. */
    private final Authenticator authenticator = token -> {
        calls.add("authenticate " + token);
        cache.put("session:{" + token + "}:revoked", "1", Duration.ofMinutes(16));
        Metrics.cacheRead("user", false);
        throw new ServiceException(ErrorCode.UNAUTHORIZED);
    };

    private final Wiring wiring = new Wiring() {
        @Override
        public boolean initialisingSnapshot() {
            return false;
        }

        @Override
        public boolean initialisingOnDemand() {
            return false;
        }

        @Override
        public String accessTokenOfNobody() {
            calls.add("token of nobody");
            return NOBODY;
        }

        @Override
        public void warmUp() {
            calls.add("warm-up");
            if (warmUpFailure != null) {
                throw warmUpFailure;
            }
        }

        @Override
        public void afterRestore() {
            calls.add("after restore");
        }
    };

    private final HttpRuntime runtime = new HttpRuntime("primed-function", authenticator,
            () -> new Idempotency(new InMemoryIdempotencyStore(), Clock.systemUTC(), clientIp -> {}), wiring);

    @BeforeEach
    void captureLog() {
        Log.redirect(new PrintStream(log, true, UTF_8));
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    @Test
    void anAuthenticatedRouteIsPrimedWithATokenOfNobodyAndRefusedBeforeItsWork() {
        route(Access.USER).beforeCheckpoint(null);

        assertEquals(List.of("token of nobody", "authenticate " + NOBODY, "warm-up"), calls);
        assertEquals(List.of("primed for a SnapStart snapshot"), loggedMessages(), "no request line, no metrics line");
    }

    @Test
    void aPublicRouteIsPrimedWithABodyItRefusesWhileReadingIt() {
        route(Access.PUBLIC).beforeCheckpoint(null);

        assertEquals(List.of("warm-up"), calls, "no token asked for, and the route's work never ran");
    }

    /** A sign-out's route, which takes a refresh token when the access token is refused: the token check, then its body. */
    @Test
    void aRouteThatTakesARefreshTokenIsPrimedThroughTheTokenCheckAndRefusedWhileReadingItsBody() {
        route(Access.USER_OR_REFRESH_TOKEN).beforeCheckpoint(null);

        assertEquals(List.of("token of nobody", "authenticate " + NOBODY, "warm-up"), calls, "the route's work never ran");
    }

    @Test
    void whatThePrimedRequestWouldWriteToTheCacheIsDroppedAndItsCountsForgotten() {
        route(Access.USER).beforeCheckpoint(null);
        Metrics.flush("primed-function");

        assertFalse(cache.get("session:{" + NOBODY + "}:revoked").isPresent());
        assertEquals(List.of("primed for a SnapStart snapshot"), loggedMessages());
    }

    @Test
    void aClientsRequestStillWritesTheCache() throws IOException {
        Map<String, Object> event = Map.of("headers", Map.of("authorization", "Bearer client-token"),
                "requestContext", Map.of("http", Map.of("method", "GET", "path", "/")));

        route(Access.USER).handleRequest(new ByteArrayInputStream(Json.writeBytes(event)), new ByteArrayOutputStream(), null);

        assertTrue(cache.get("session:{client-token}:revoked").isPresent());
    }

    @Test
    void aFailedPrimingIsLoggedWithoutItsMessageAndNeverFailsTheCheckpoint() {
        warmUpFailure = new IllegalStateException("cannot reach redis://:hunter2@cache:6379");

        route(Access.PUBLIC).beforeCheckpoint(null);

        String logged = log.toString(UTF_8);
        assertTrue(logged.contains("SnapStart priming failed"), logged);
        assertTrue(logged.contains(IllegalStateException.class.getName()), logged);
        assertFalse(logged.contains("hunter2"), logged);
    }

    @Test
    void aRestoreLetsTheWiringMendTheContainer() {
        route(Access.USER).afterRestore(null);

        assertEquals(List.of("after restore"), calls);
    }

    /** A route whose work reads its body, then records that it ran. */
    private HttpFunction route(Access access) {
        return new HttpFunction(access, runtime) {
            @Override
            protected Reply handle(HttpRequest request) {
                request.jsonObject();
                calls.add("handled");
                return Reply.ok("Handled", null);
            }
        };
    }

    private List<String> loggedMessages() {
        return log.toString(UTF_8).lines().map(line -> String.valueOf(Json.parseObject(line).get("message"))).toList();
    }
}
