package dev.userservice.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.concurrency.InvocationDeadline;
import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.Wiring;
import dev.userservice.testing.LambdaContexts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

class HttpFunctionTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final String USER_ID = "5f0c2f4e-8a51-4a57-9d8e-3b1f6a0c9e21";
    private static final String OTHER_USER_ID = "0b7e9d1a-2c44-4f0e-8a6b-7d5e3c2b1a09";
    private static final Map<String, Principal> CALLERS = Map.of(
            "user-token", principal(USER_ID, Role.USER),
            "admin-token", principal("a3d2c1b0-0000-4000-8000-000000000001", Role.ADMIN),
            "service-token", principal("notification-pipeline", Role.SERVICE));

    private final Authenticator authenticator = token ->
            Optional.ofNullable(CALLERS.get(token)).orElseThrow(() -> new ServiceException(ErrorCode.UNAUTHORIZED));
    private final Idempotency idempotency = new Idempotency(new InMemoryIdempotencyStore(), Clock.fixed(NOW, ZoneOffset.UTC), clientIp -> {});
    private final HttpRuntime runtime = new HttpRuntime("test-function", authenticator, () -> idempotency, Wiring.none());
    private final AtomicInteger handled = new AtomicInteger();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void captureLog() {
        Log.redirect(new PrintStream(log, true, UTF_8));
    }

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    // ---- envelope and headers

    @Test
    void successfulRouteAnswersTheEnvelopeAsJson() throws IOException {
        Response response = invoke(route(Access.PUBLIC), Event.postJson("{\"name\":\"Alice\"}"));

        assertEquals(200, response.status());
        assertEquals("application/json", response.headers().get("Content-Type"));
        Map<String, Object> envelope = response.envelope();
        assertEquals(List.of("success", "message", "data", "error", "meta"), List.copyOf(envelope.keySet()));
        assertEquals(true, envelope.get("success"));
        assertEquals("Echoed", envelope.get("message"));
        assertEquals(Map.of("name", "Alice"), data(response).get("body"));
        assertEquals(null, envelope.get("error"));
        assertEquals(null, envelope.get("meta"));
    }

    @Test
    void replyHeadersReachTheClient() throws IOException {
        HttpFunction tokens = new TestFunction(Access.PUBLIC, request -> Reply.ok("Tokens", Map.of()).notCached());

        Response response = invoke(tokens, Event.get());

        assertEquals("no-store", response.headers().get("Cache-Control"));
        assertEquals("application/json", response.headers().get("Content-Type"));
    }

    @Test
    void requestIdIsEchoedWhenGiven() throws IOException {
        Response response = invoke(route(Access.PUBLIC), Event.get().header("X-Request-Id", "client-trace-42"));

        assertEquals("client-trace-42", response.headers().get("X-Request-Id"));
    }

    @Test
    void requestIdIsGeneratedWhenAbsent() throws IOException {
        Response first = invoke(route(Access.PUBLIC), Event.get());
        Response second = invoke(route(Access.PUBLIC), Event.get());

        String id = first.headers().get("X-Request-Id");
        assertDoesNotThrow(() -> UUID.fromString(id));
        assertNotEquals(id, second.headers().get("X-Request-Id"));
    }

    @Test
    void unprintableOrOversizedRequestIdIsReplacedByAGeneratedOne() throws IOException {
        // A header value is echoed into responses and logs, so only a short printable one is taken as is.
        for (String hostile : List.of("two words", "x".repeat(129), "line\u0007bell")) {
            Response response = invoke(route(Access.PUBLIC), Event.get().header("x-request-id", hostile));

            String id = response.headers().get("X-Request-Id");
            assertNotEquals(hostile, id);
            assertDoesNotThrow(() -> UUID.fromString(id));
        }
    }

    // ---- body checks

    @Test
    void bodyOver16KiBIsRefusedBeforeTheHandlerRuns() throws IOException {
        Response response = invoke(route(Access.PUBLIC), Event.postJson(jsonOfSize(HttpRequest.MAX_BODY_BYTES + 1)));

        assertFailure(response, 413, "payload_too_large");
        assertEquals(0, handled.get());
    }

    @Test
    void bodyOfExactly16KiBIsAccepted() throws IOException {
        Response response = invoke(route(Access.PUBLIC), Event.postJson(jsonOfSize(HttpRequest.MAX_BODY_BYTES)));

        assertEquals(200, response.status());
    }

    @Test
    void oversizedBodyIsRefusedEvenBeforeAuthentication() throws IOException {
        Response response = invoke(route(Access.ADMIN), Event.postJson(jsonOfSize(HttpRequest.MAX_BODY_BYTES + 1)));

        assertFailure(response, 413, "payload_too_large");
    }

    @Test
    void bodyOfSeveralMegabytesIsStill413() throws IOException {
        Response response = invoke(route(Access.PUBLIC), Event.postJson(jsonOfSize(5_100_000)));

        assertFailure(response, 413, "payload_too_large");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/jsonp", "multipart/form-data; boundary=x",
            "application/json; charset=iso-8859-1", "application/json;charset=UTF-16", ";", ";;", " ; charset=utf-8"})
    void bodyThatIsNotDeclaredAsJsonIsRefusedWith415(String contentType) throws IOException {
        Response response = invoke(route(Access.PUBLIC), Event.postJson("{}").header("content-type", contentType));

        assertFailure(response, 415, "unsupported_media_type");
    }

    @Test
    void bodyWithoutContentTypeIsRefusedWith415() throws IOException {
        Event event = Event.postJson("{}").withoutHeader("content-type");

        assertFailure(invoke(route(Access.PUBLIC), event), 415, "unsupported_media_type");
    }

    /** The body is read as UTF-8: a JSON body declared in another charset is refused rather than misread. */
    @ParameterizedTest
    @ValueSource(strings = {"Application/JSON; charset=utf-8", "application/json;charset=\"UTF-8\"", "application/json",
            "application/json; charset=utf8"})
    void jsonContentTypeIsMatchedWithoutCaseInUtf8(String contentType) throws IOException {
        Response response = invoke(route(Access.PUBLIC), Event.postJson("{}").header("Content-Type", contentType));

        assertEquals(200, response.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"email\": ", "not json", "{\"a\":1}{\"b\":2}", "{'single':'quotes'}", "{\"a\":1,\"a\":2}"})
    void bodyThatIsNotJsonIsMalformed(String body) throws IOException {
        assertFailure(invoke(route(Access.PUBLIC), Event.postJson(body)), 400, "malformed_json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"email\":\"a@example.com\"}]", "\"a string\"", "42", "null"})
    void jsonBodyThatIsNotAnObjectIsMalformed(String body) throws IOException {
        assertFailure(invoke(route(Access.PUBLIC), Event.postJson(body)), 400, "malformed_json");
    }

    @Test
    void emptyBodyWhereAnObjectIsExpectedIsMalformed() throws IOException {
        HttpFunction needsBody = new TestFunction(Access.PUBLIC, request -> Reply.ok("Read", request.jsonObject()));

        assertFailure(invoke(needsBody, Event.postJson("")), 400, "malformed_json");
        assertFailure(invoke(needsBody, Event.postJson("").withoutHeader("content-type")), 400, "malformed_json");
    }

    @Test
    void base64EncodedBodyIsDecoded() throws IOException {
        Event event = Event.postJson(Base64.getEncoder().encodeToString("{\"name\":\"Zoë\"}".getBytes(UTF_8))).base64Encoded();

        Response response = invoke(route(Access.PUBLIC), event);

        assertEquals(Map.of("name", "Zoë"), data(response).get("body"));
    }

    // ---- authentication and access

    @Test
    void protectedRouteWithoutBearerTokenIsUnauthorized() throws IOException {
        assertFailure(invoke(route(Access.USER), Event.get()), 401, "unauthorized");
        assertEquals(0, handled.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer forged-token", "Basic dXNlcjpwYXNz", "Bearer ", "user-token", "Bearer"})
    void protectedRouteWithBadAuthorizationIsUnauthorized(String authorization) throws IOException {
        Response response = invoke(route(Access.USER), Event.get().header("Authorization", authorization));

        assertFailure(response, 401, "unauthorized");
        assertEquals(0, handled.get());
    }

    @Test
    void bearerSchemeIsCaseInsensitive() throws IOException {
        Response response = invoke(route(Access.USER), Event.get().header("authorization", "bearer user-token"));

        assertEquals(200, response.status());
        assertEquals(USER_ID, data(response).get("caller"));
    }

    @Test
    void theRequestLogLineNamesTheAuthenticatedCaller() throws IOException {
        invoke(route(Access.USER), Event.get().header("authorization", "Bearer user-token"));

        Map<String, Object> line = Json.parseObject(log.toString(UTF_8).lines()
                .filter(text -> text.contains("\"message\":\"request\"")).findFirst().orElseThrow());
        assertEquals(USER_ID, line.get("caller"));
        assertEquals(200, ((Number) line.get("status")).intValue());
    }

    @ParameterizedTest
    @EnumSource(value = Access.class, names = {"ADMIN", "SERVICE"})
    void userCallingAdminOrServiceRouteIsForbidden(Access access) throws IOException {
        assertFailure(invoke(route(access), Event.get().bearer("user-token")), 403, "forbidden");
        assertEquals(0, handled.get());
    }

    /** A sign-out: a user's accepted token names the caller; without one the handler runs with no caller, to judge the body. */
    @Test
    void aRouteThatTakesARefreshTokenRunsWithNoCallerWhenNoAccessTokenIsAccepted() throws IOException {
        assertEquals(USER_ID, data(invoke(route(Access.USER_OR_REFRESH_TOKEN), Event.get().bearer("user-token"))).get("caller"));
        for (Event unaccepted : List.of(Event.get(), Event.get().bearer("forged-token"))) {
            Response response = invoke(route(Access.USER_OR_REFRESH_TOKEN), unaccepted);
            assertEquals(200, response.status());
            assertNull(data(response).get("caller"));
        }
        assertFailure(invoke(route(Access.USER_OR_REFRESH_TOKEN), Event.get().bearer("service-token")), 403, "forbidden");
    }

    @Test
    void adminCallingServiceRouteIsForbidden() throws IOException {
        assertFailure(invoke(route(Access.SERVICE), Event.get().bearer("admin-token")), 403, "forbidden");
    }

    @Test
    void serviceCallingUserRouteIsForbidden() throws IOException {
        // A service token names a client, not a person: it has no "me".
        assertFailure(invoke(route(Access.USER), Event.get().bearer("service-token")), 403, "forbidden");
    }

    @Test
    void adminAndServiceReachTheirRoutes() throws IOException {
        assertEquals(200, invoke(route(Access.ADMIN), Event.get().bearer("admin-token")).status());
        assertEquals(200, invoke(route(Access.SERVICE), Event.get().bearer("service-token")).status());
    }

    @Test
    void selfRouteAllowsTheUserNamedByTheId() throws IOException {
        Response response = invoke(route(Access.SELF), Event.get().bearer("user-token").pathParameter("id", USER_ID));

        assertEquals(200, response.status());
        assertEquals(USER_ID, data(response).get("caller"));
    }

    @Test
    void selfRouteForbidsAnotherUsersId() throws IOException {
        Response response = invoke(route(Access.SELF), Event.get().bearer("user-token").pathParameter("id", OTHER_USER_ID));

        assertFailure(response, 403, "forbidden");
        assertEquals(0, handled.get());
    }

    @Test
    void theMeFormOfASelfRouteIsTheSignedInUsersOwn() throws IOException {
        assertEquals(200, invoke(route(Access.SELF), Event.get().bearer("user-token")).status());
    }

    @Test
    void theMeFormOfASelfRouteIsNobodysForAService() throws IOException {
        assertFailure(invoke(route(Access.SELF), Event.get().bearer("service-token")), 403, "forbidden");
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin-token", "service-token"})
    void selfRouteAllowsAdminsAndServicesForAnyId(String token) throws IOException {
        Response response = invoke(route(Access.SELF), Event.get().bearer(token).pathParameter("id", OTHER_USER_ID));

        assertEquals(200, response.status());
    }

    @Test
    void aSelfRouteNamingNoUserIdIsNotFoundWhateverItsLength() throws IOException {
        HttpFunction target = new TestFunction(Access.SELF, request -> Reply.ok("Target", Map.of("id", request.targetUserId())));

        assertFailure(invoke(target, Event.get().bearer("admin-token").pathParameter("id", "x".repeat(3000))), 404, "not_found");
        assertFailure(invoke(target, Event.get().bearer("admin-token").pathParameter("id", "not-a-user")), 404, "not_found");
        assertEquals(200, invoke(target, Event.get().bearer("admin-token").pathParameter("id", OTHER_USER_ID)).status());
    }

    // ---- failures

    @Test
    void apiExceptionFromTheHandlerBecomesItsEnvelopeAndHeaders() throws IOException {
        ServiceException limited = new ServiceException(ErrorCode.RATE_LIMITED, "Too many requests", List.of(), Map.of("Retry-After", "30"));

        Response response = invoke(new TestFunction(Access.PUBLIC, request -> { throw limited; }), Event.get());

        assertFailure(response, 429, "rate_limited");
        assertEquals("30", response.headers().get("Retry-After"));
        assertFalse(response.envelope().containsKey("details"));
    }

    @Test
    void validationFailureListsItsDetails() throws IOException {
        ServiceException invalid = ServiceException.validation("preferences.push", "must be true or false");

        Response response = invoke(new TestFunction(Access.PUBLIC, request -> { throw invalid; }), Event.get());

        assertFailure(response, 400, "validation_failed");
        assertEquals(List.of(Map.of("field", "preferences.push", "message", "must be true or false")), response.envelope().get("details"));
    }

    @Test
    void unexpectedExceptionIs500WithoutAnyInternalDetail() throws IOException {
        RuntimeException bug = new IllegalStateException("db password hunter2 leaked at Store.java:42");

        Response response = invoke(failingWith(bug), Event.get().header("x-request-id", "trace-500"));

        assertFailure(response, 500, "internal_error");
        assertEquals(ErrorCode.INTERNAL_ERROR.defaultMessage(), response.envelope().get("message"));
        assertFalse(response.body().contains("hunter2"));
        assertFalse(response.body().contains("IllegalStateException"));
        assertFalse(response.body().contains("Store.java"));
    }

    @Test
    void unexpectedExceptionIsLoggedWithRequestIdAndStackTrace() throws IOException {
        invoke(failingWith(new IllegalStateException("boom")), Event.get().header("x-request-id", "trace-500"));

        String logged = log.toString(UTF_8);
        assertTrue(logged.contains("\"request_id\":\"trace-500\""), logged);
        assertTrue(logged.contains("java.lang.IllegalStateException: boom"), logged);
    }

    @Test
    void aNetworkFailureOfTheSdkIs503() throws IOException {
        Response response = invoke(failingWith(SdkClientException.create("Unable to execute HTTP request: connect timed out",
                new SocketTimeoutException("connect timed out"))), Event.get());

        assertFailure(response, 503, "service_unavailable");
        assertFalse(response.body().contains("timed out"));
    }

    @Test
    void aWrappedNetworkFailureOrATimeoutOfTheSdkIs503() throws IOException {
        RuntimeException wrapped = new RuntimeException("store failed",
                SdkClientException.create("Unable to execute HTTP request", new ConnectException("connection refused")));

        assertFailure(invoke(failingWith(wrapped), Event.get()), 503, "service_unavailable");
        assertFailure(invoke(failingWith(ApiCallTimeoutException.create(2000)), Event.get()),
                503, "service_unavailable");
    }

    /** SnapStart's credentials come from an endpoint: its 5xx, under the SDK's failure to load them, passes. */
    @Test
    void aCredentialsEndpointFailingOnItsSideIs503() throws IOException {
        RuntimeException noCredentialsYet = SdkClientException.create("Failed to load credentials from metadata service.",
                SdkServiceException.builder().statusCode(503).message("busy").build());

        assertFailure(invoke(failingWith(noCredentialsYet), Event.get()), 503, "service_unavailable");
    }

    /** Retrying cannot help a misconfiguration: it is a 500, which the error alarms count, not a passing 503. */
    @Test
    void aClientFailureOfTheSdkThatNoRetryMendsIs500() throws IOException {
        RuntimeException noCredentials = SdkClientException.create("Unable to load credentials from any of the providers");

        assertFailure(invoke(failingWith(noCredentials), Event.get()), 500, "internal_error");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503})
    void databaseServerErrorIs503(int status) throws IOException {
        RuntimeException serverError = DynamoDbException.builder().statusCode(status).message("Internal server error").build();

        assertFailure(invoke(failingWith(serverError), Event.get()), 503, "service_unavailable");
    }

    @Test
    void databaseThrottlingIs503() throws IOException {
        RuntimeException throttled = DynamoDbException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build())
                .build();

        assertFailure(invoke(failingWith(throttled), Event.get()), 503, "service_unavailable");
    }

    @Test
    void singleWriteRefusedForATransactionInProgressIs503() throws IOException {
        RuntimeException conflict = DynamoDbException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionConflictException").build())
                .build();

        assertFailure(invoke(failingWith(conflict), Event.get()), 503, "service_unavailable");
    }

    /** The SDK's retry of a transaction whose first attempt is still being carried out: a moment later it is settled. */
    @Test
    void aTransactionRetriedWhileItsFirstAttemptIsInProgressIs503() throws IOException {
        RuntimeException inProgress = DynamoDbException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionInProgressException").build())
                .build();

        assertFailure(invoke(failingWith(inProgress), Event.get()), 503, "service_unavailable");
    }

    @Test
    void every503SaysWhenToRetry() throws IOException {
        Response unreachable = invoke(failingWith(SdkClientException.create("connect timed out",
                new SocketTimeoutException("connect timed out"))), Event.get());
        Response busy = invoke(failingWith(new ServiceException(ErrorCode.SERVICE_UNAVAILABLE, "busy")), Event.get());

        assertEquals("1", unreachable.headers().get("Retry-After"));
        assertEquals("1", busy.headers().get("Retry-After"));
    }

    /**
     * Writers contending for one item, each attempt slow: the route answers 503 when its invocation has no time left
     * for calls, not when Lambda ends it at its timeout (40 attempts of 50 ms would take two seconds and more).
     */
    @Test
    void aContendedWriteAnswers503BeforeTheFunctionsTimeout() throws IOException {
        HttpFunction contended = new TestFunction(Access.PUBLIC, request -> OptimisticRetry.run(() -> {
            sleep(50);
            return Optional.empty();
        }, "The item is busy"));

        long started = System.nanoTime();
        Response response = invoke(contended, Event.get(),
                LambdaContexts.withRemaining(InvocationDeadline.ANSWER_TIME.plusMillis(300).toMillis()));

        assertFailure(response, 503, "service_unavailable");
        assertEquals("1", response.headers().get("Retry-After"));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis < 1_000, "answered after " + tookMillis + " ms");
    }

    @Test
    void unhandledDatabaseClientErrorIsABugNotAnOutage() throws IOException {
        RuntimeException conditionFailed = ConditionalCheckFailedException.builder().statusCode(400).message("The conditional request failed").build();

        assertFailure(invoke(failingWith(conditionFailed), Event.get()), 500, "internal_error");
    }

    // ---- idempotency through the kernel

    @Test
    void retriedPostWithTheSameIdempotencyKeyRunsTheHandlerOnce() throws IOException {
        HttpFunction function = replayingRoute(Access.USER);
        Event post = Event.postJson("{\"token\":\"device-1\"}").bearer("user-token").header("Idempotency-Key", "retry-1");

        Response first = invoke(function, post);
        Response replay = invoke(function, post);

        assertEquals(1, handled.get());
        assertEquals(first.status(), replay.status());
        assertEquals(first.body(), replay.body());
        assertEquals("true", replay.headers().get("Idempotent-Replayed"));
        assertEquals("application/json", replay.headers().get("Content-Type"));
    }

    @Test
    void routeThatDoesNotOptInRunsEveryRetryAgain() throws IOException {
        // The default: a route that hands out tokens or reports live state must never answer from a record.
        HttpFunction function = route(Access.PUBLIC);
        Event post = Event.postJson("{\"refresh_token\":\"rt-1\"}").header("Idempotency-Key", "retry-1");

        invoke(function, post);
        Response second = invoke(function, post);

        assertEquals(2, handled.get());
        assertFalse(second.headers().containsKey("Idempotent-Replayed"));
    }

    @Test
    void idempotencyKeyIsIgnoredOnReads() throws IOException {
        HttpFunction function = replayingRoute(Access.PUBLIC);
        Event get = Event.get().header("Idempotency-Key", "read-1");

        invoke(function, get);
        Response second = invoke(function, get);

        assertEquals(2, handled.get());
        assertFalse(second.headers().containsKey("Idempotent-Replayed"));
    }

    // ---- the event itself

    @Test
    void eventIsReadAsApiGatewayDeliversIt() {
        Event event = Event.postJson("{}").header("User-Agent", "curl/8.5").pathParameter("id", USER_ID).query("limit", "20");

        HttpRequest request = HttpRequest.fromEvent(event.toMap());

        assertEquals("POST", request.method());
        assertEquals("/api/v1/test/" + USER_ID, request.path());
        assertEquals("POST /api/v1/test/{id}", request.routeKey());
        assertEquals(Optional.of("curl/8.5"), request.header("user-agent"));
        assertEquals(Optional.of("20"), request.queryParameter("limit"));
        assertEquals(USER_ID, request.pathParameter("id"));
        assertEquals("203.0.113.9", request.sourceIp());
        assertArrayEquals("{}".getBytes(UTF_8), request.body());
    }

    @Test
    void clientSuppliedForwardedForDoesNotChangeTheSourceIp() {
        Event event = Event.get().header("X-Forwarded-For", "10.0.0.1");

        assertEquals("203.0.113.9", HttpRequest.fromEvent(event.toMap()).sourceIp());
    }

    /**
     * Lambda fails an answer over 6 MB, which API Gateway turns into a bare 500 after the request was logged as
     * answered: the client gets the envelope's 413 instead, to ask for less. One byte under the limit still goes out.
     */
    @Test
    void anAnswerLargerThanLambdaSendsIsRefusedWithTheEnvelope() throws IOException {
        Event event = Event.get().header("x-request-id", "answer-size");
        int frame = answerBytes(padded(0), event);

        Response fits = invoke(padded(HttpFunction.MAX_ANSWER_BYTES - frame), event);
        Response tooLarge = invoke(padded(HttpFunction.MAX_ANSWER_BYTES - frame + 1), event);

        assertEquals(200, fits.status());
        assertEquals(413, tooLarge.status());
        assertEquals("payload_too_large", tooLarge.envelope().get("error"));
        assertTrue(((String) tooLarge.envelope().get("message")).contains("ask for less"), tooLarge.body());
    }

    /** A route answering {@code padding} bytes more than its frame. */
    private HttpFunction padded(int padding) {
        return new TestFunction(Access.PUBLIC, request -> Reply.ok("Big", Map.of("pad", "x".repeat(padding))));
    }

    private static int answerBytes(HttpFunction function, Event event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(Json.writeBytes(event.toMap())), output, null);
        return output.size();
    }

    // ---- helpers

    private static Principal principal(String subject, Role role) {
        String session = role == Role.SERVICE ? null : "session-" + subject;
        return new Principal(subject, session, Set.of(role), true, UUID.randomUUID().toString(), NOW.plusSeconds(900));
    }

    /** A route whose work the test supplies, counting how often it ran. */
    private class TestFunction extends HttpFunction {
        private final Function<HttpRequest, Reply> work;

        TestFunction(Access access, Function<HttpRequest, Reply> work) {
            super(access, runtime);
            this.work = work;
        }

        @Override
        protected Reply handle(HttpRequest request) {
            handled.incrementAndGet();
            return work.apply(request);
        }
    }

    /** Echoes the JSON body, if any, and who called. */
    private HttpFunction route(Access access) {
        return new TestFunction(access, request -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("body", request.hasBody() ? request.jsonObject() : null);
            data.put("caller", request.principal() == null ? null : request.principal().subject());
            return Reply.ok("Echoed", data);
        });
    }

    /** The echo route, opted in to replaying retried POSTs. */
    private HttpFunction replayingRoute(Access access) {
        return new TestFunction(access, request -> Reply.ok("Echoed", Map.of("handled", handled.get()))) {
            @Override
            protected boolean replaysRetries() {
                return true;
            }
        };
    }

    private HttpFunction failingWith(RuntimeException failure) {
        return new TestFunction(Access.PUBLIC, request -> {
            throw failure;
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON object body of exactly {@code bytes} bytes. */
    private static String jsonOfSize(int bytes) {
        String frame = "{\"pad\":\"\"}";
        return "{\"pad\":\"" + "x".repeat(bytes - frame.length()) + "\"}";
    }

    /** Runs the function as Lambda does: the event as a JSON stream in, the response event as a JSON stream out. */
    private static Response invoke(HttpFunction function, Event event) throws IOException {
        return invoke(function, event, null);
    }

    private static Response invoke(HttpFunction function, Event event, Context context) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(Json.writeBytes(event.toMap())), output, context);
        Map<String, Object> answer = Json.parseObject(output.toString(UTF_8));
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) answer.get("headers");
        assertEquals(false, answer.get("isBase64Encoded"));
        return new Response(((Number) answer.get("statusCode")).intValue(), headers, (String) answer.get("body"));
    }

    private record Response(int status, Map<String, String> headers, String body) {
        Map<String, Object> envelope() {
            return Json.parseObject(body);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Response response) {
        return (Map<String, Object>) response.envelope().get("data");
    }

    /** Every failure: its status and code in the envelope, and the headers every response has. */
    private static void assertFailure(Response response, int status, String error) {
        assertEquals(status, response.status(), response.body());
        Map<String, Object> envelope = response.envelope();
        assertEquals(false, envelope.get("success"));
        assertEquals(error, envelope.get("error"));
        assertEquals(null, envelope.get("data"));
        assertTrue(envelope.get("message") instanceof String message && !message.isBlank());
        assertEquals("application/json", response.headers().get("Content-Type"));
        assertTrue(response.headers().containsKey("X-Request-Id"));
    }

    /** An API Gateway HTTP API event (payload format 2.0), as Lambda receives it. */
    private static final class Event {
        private static final String ROUTE = "/api/v1/test/{id}";
        private final Map<String, Object> headers = new LinkedHashMap<>();
        private final Map<String, Object> query = new LinkedHashMap<>();
        private final Map<String, Object> pathParameters = new LinkedHashMap<>();
        private String method = "GET";
        private String body;
        private boolean base64;

        static Event get() {
            return new Event();
        }

        static Event postJson(String body) {
            Event event = new Event();
            event.method = "POST";
            event.body = body;
            event.headers.put("content-type", "application/json");
            return event;
        }

        Event header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Event withoutHeader(String name) {
            headers.remove(name);
            return this;
        }

        Event query(String name, String value) {
            query.put(name, value);
            return this;
        }

        Event base64Encoded() {
            base64 = true;
            return this;
        }

        Event bearer(String token) {
            return header("authorization", "Bearer " + token);
        }

        Event pathParameter(String name, String value) {
            pathParameters.put(name, value);
            return this;
        }

        Map<String, Object> toMap() {
            String path = ROUTE.replace("{id}", String.valueOf(pathParameters.getOrDefault("id", "none")));
            Map<String, Object> http = new LinkedHashMap<>();
            http.put("method", method);
            http.put("path", path);
            http.put("protocol", "HTTP/1.1");
            http.put("sourceIp", "203.0.113.9");
            http.put("userAgent", String.valueOf(headers.getOrDefault("User-Agent", "test")));
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("accountId", "123456789012");
            context.put("apiId", "abcdef1234");
            context.put("http", http);
            context.put("requestId", "JKJaXmPLvHcESHA=");
            context.put("routeKey", method + " " + ROUTE);
            context.put("stage", "$default");
            context.put("timeEpoch", NOW.toEpochMilli());
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("version", "2.0");
            event.put("routeKey", method + " " + ROUTE);
            event.put("rawPath", path);
            event.put("rawQueryString", "");
            event.put("headers", headers);
            if (!query.isEmpty()) {
                event.put("queryStringParameters", query);
            }
            if (!pathParameters.isEmpty()) {
                event.put("pathParameters", pathParameters);
            }
            event.put("requestContext", context);
            if (body != null) {
                event.put("body", body);
            }
            event.put("isBase64Encoded", base64);
            return event;
        }
    }
}
