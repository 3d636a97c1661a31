package dev.userservice.bench;

import dev.userservice.auth.AccessTokens;
import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.auth.SigningKeys;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.HttpRuntime;
import dev.userservice.http.Idempotency;
import dev.userservice.http.IdempotencyStore;
import dev.userservice.http.Reply;
import dev.userservice.logging.Log;
import dev.userservice.preferences.Preferences;
import dev.userservice.snapstart.Wiring;
import dev.userservice.validation.Fields;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The warm cost of one request in the kernel every HTTP function shares, with no network and no bcrypt: API
 * Gateway's event parsed from bytes, the caller's ES256 access token verified (real keys, real verifier) and its
 * session found alive in an in-memory stand-in for the cached session marker, a body validated, the envelope built,
 * the answer serialised and the request's log line written (to nowhere).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KernelBenchmark {
    private static final String PREFERENCES_BODY =
            "{\"email\":false,\"push\":true,\"quiet_hours_start\":\"22:00\",\"quiet_hours_end\":\"07:00\"}";

    private AccessTokens tokens;
    private String token;
    private HttpFunction patchPreferences;
    private HttpFunction getProfile;
    private byte[] patchEvent;
    private byte[] getEvent;

    @Setup
    public void setUp() {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        Clock clock = Clock.systemUTC();
        tokens = new AccessTokens(new SigningKeys(SigningKeys::generateKeySetJson, clock), "https://bench.example",
                "user-service", Duration.ofMinutes(15), clock);
        String userId = UUID.randomUUID().toString();
        String sessionId = UUID.randomUUID().toString();
        token = tokens.issue(userId, sessionId, Set.of(Role.USER), true).token();
        Map<String, Boolean> liveSessions = new ConcurrentHashMap<>(Map.of(sessionId, true));
        HttpRuntime runtime = new HttpRuntime("BenchFunction", bearer -> {
            Principal principal = tokens.verify(bearer);
            if (!liveSessions.containsKey(principal.sessionId())) {
                throw new ServiceException(ErrorCode.UNAUTHORIZED);
            }
            return principal;
        }, () -> new Idempotency(unusedIdempotencyStore(), clock, clientIp -> {}), Wiring.none());
        patchPreferences = new HttpFunction(Access.USER, runtime) {
            @Override
            protected Reply handle(HttpRequest request) {
                Fields fields = Fields.of(request.jsonObject());
                Preferences preferences = Preferences.read(fields, clock.instant());
                fields.validate();
                return Reply.ok("Preferences updated", preferences);
            }
        };
        Map<String, Object> profile = Map.of("id", userId, "email", "bench@example.com", "name", "Bench User",
                "timezone", "Europe/Berlin", "locale", "en-GB", "email_verified", true,
                "attributes", Map.of("plan", "pro", "seats", 5));
        getProfile = new HttpFunction(Access.USER, runtime) {
            @Override
            protected Reply handle(HttpRequest request) {
                return Reply.ok("Current user", profile);
            }
        };
        patchEvent = event("PATCH", "/api/v1/users/me/preferences", PREFERENCES_BODY);
        getEvent = event("GET", "/api/v1/users/me", null);
        check(patchPreferences, patchEvent);
        check(getProfile, getEvent);
    }

    /** PATCH /api/v1/users/me/preferences: event in, JWT, body validation, envelope, event out. */
    @Benchmark
    public byte[] patchPreferences() throws IOException {
        return invoke(patchPreferences, patchEvent);
    }

    /** GET /api/v1/users/me with the user already at hand (a cache hit's own work without the Redis round trip). */
    @Benchmark
    public byte[] getCurrentUser() throws IOException {
        return invoke(getProfile, getEvent);
    }

    /** The ES256 verification alone, the largest single part of an authenticated request. */
    @Benchmark
    public Principal verifyAccessToken() {
        return tokens.verify(token);
    }

    private static byte[] invoke(HttpFunction function, byte[] event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream(1024);
        function.handleRequest(new ByteArrayInputStream(event), output, null);
        return output.toByteArray();
    }

    private static void check(HttpFunction function, byte[] event) {
        try {
            String answer = new String(invoke(function, event), StandardCharsets.UTF_8);
            if (!answer.contains("\"statusCode\":200")) {
                throw new IllegalStateException("the benchmarked request does not succeed: " + answer);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] event(String method, String path, String body) {
        StringBuilder json = new StringBuilder();
        json.append("{\"version\":\"2.0\",\"routeKey\":\"").append(method).append(' ').append(path)
                .append("\",\"rawPath\":\"").append(path).append("\",\"rawQueryString\":\"\",")
                .append("\"headers\":{\"accept\":\"application/json\",\"authorization\":\"Bearer ").append(token)
                .append("\",\"content-type\":\"application/json\",\"user-agent\":\"bench\",\"x-forwarded-for\":\"203.0.113.10\"},")
                .append("\"requestContext\":{\"accountId\":\"123456789012\",\"apiId\":\"bench\",\"http\":{\"method\":\"")
                .append(method).append("\",\"path\":\"").append(path)
                .append("\",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"203.0.113.10\",\"userAgent\":\"bench\"},")
                .append("\"requestId\":\"bench\",\"routeKey\":\"").append(method).append(' ').append(path)
                .append("\",\"stage\":\"$default\",\"timeEpoch\":1736933520000},\"isBase64Encoded\":false");
        if (body != null) {
            json.append(",\"body\":").append(dev.userservice.json.Json.write(body));
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Only POSTs with an Idempotency-Key reach the store; these benchmarks send none. */
    private static IdempotencyStore unusedIdempotencyStore() {
        return (IdempotencyStore) Proxy.newProxyInstance(IdempotencyStore.class.getClassLoader(),
                new Class<?>[] {IdempotencyStore.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException("no idempotency in this benchmark");
                });
    }
}
