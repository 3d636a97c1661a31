package dev.userservice.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.auth.Principal;
import dev.userservice.concurrency.InvocationDeadline;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.metrics.Metrics;
import dev.userservice.snapstart.SnapStartFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel every HTTP handler extends. It reads API Gateway's event, refuses oversized bodies, authenticates
 * and authorizes the caller by the route's {@link Access}, replays retried writes that carry an
 * {@code Idempotency-Key}, calls {@link #handle}, wraps the reply in the envelope, maps failures to the contract's
 * error codes, logs one structured line per request, and writes the request's {@link Metrics}. Handlers only name
 * their rules and call the domain. Before a SnapStart snapshot it serves one request of its own ({@link #prime}).
 */
public abstract class HttpFunction extends SnapStartFunction implements RequestStreamHandler {
    /** Names the primed request in whatever it may log, so it is never taken for a client's. */
    static final String PRIMING_REQUEST_ID = "snapstart-priming";
    /**
     * The {@code Retry-After} of a 503 that names none of its own: a second outlasts the optimistic-retry budget and
     * a throttled partition's burst, so the client's retry does not join the crowd that caused it.
     */
    static final String RETRY_AFTER_UNAVAILABLE_SECONDS = "1";
    /**
     * The most a function may answer a synchronous invocation (Lambda's 6 MB, 6,291,556 bytes, for the whole response
     * event). Lambda fails a larger answer, and API Gateway turns that into a 500 without the envelope, after the
     * function has logged its request as answered.
     */
    static final int MAX_ANSWER_BYTES = 6_291_556;

    private final Access access;
    private final HttpRuntime runtime;

    protected HttpFunction(Access access, HttpRuntime runtime) {
        super(runtime.snapStart());
        this.access = access;
        this.runtime = runtime;
    }

    /** The route's own work: one domain operation. Throws {@link ServiceException} for anything the client must hear. */
    protected abstract Reply handle(HttpRequest request);

    /**
     * Whether a POST's {@code Idempotency-Key} replays the first response; otherwise the header is ignored and every
     * request runs. A route opts in only when running a retry again would do something twice or answer wrongly, and
     * its response hands out no credential: a replayed token pair would outlive the session's revocation and skip
     * refresh-token reuse detection. Naturally idempotent routes (sign-outs, revocations, reads) stay out, since a
     * replay would answer for the state of the first call. The table is in docs/api.md, "Idempotency".
     */
    protected boolean replaysRetries() {
        return false;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long started = System.nanoTime();
        Log.beginInvocation(context);
        InvocationDeadline.begin(context);
        try {
            Exchange exchange = exchange(input.readAllBytes(), output);
            logRequest(exchange.request(), exchange.response(), started);
        } finally {
            // The invocation's metrics in one line, whatever happened; the next invocation starts from zero.
            Metrics.flush(runtime.functionName());
            InvocationDeadline.end();
            Log.endInvocation();
        }
    }

    private record Exchange(HttpRequest request, HttpResponse response) {}

    /**
     * API Gateway's event in, the answer's event out: all of an invocation but its log line and metrics. An answer
     * larger than Lambda lets through is 413, for the client to ask for less (a batch of fewer users).
     */
    private Exchange exchange(byte[] event, OutputStream output) {
        Exchange exchange = served(HttpRequest.fromEvent(Json.parseObject(new String(event, StandardCharsets.UTF_8))));
        byte[] answer = Json.writeBytes(exchange.response().toEvent());
        if (answer.length > MAX_ANSWER_BYTES) {
            Log.warn("answer too large for Lambda", Map.of("status", exchange.response().status(), "bytes", answer.length));
            exchange = new Exchange(exchange.request(), failure(exchange.request(), new ServiceException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The answer would be larger than the 6 MB a function may send; ask for less")));
            answer = Json.writeBytes(exchange.response().toEvent());
        }
        try {
            output.write(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return exchange;
    }

    /**
     * One request through the whole kernel, refused before it can change anything, then the container's warm-up.
     * An authenticated route gets a genuine token of a user and session that do not exist: the signature is
     * verified (the signing keys loaded), the session check reads the cache and then the table, and the answer is
     * 401. Every request carries a JSON array where an object is expected: a public route refuses it while reading
     * its body, before any rate limit counts or anything is stored, and one that reads no body answers as it would
     * anyone; so does a route that takes a refresh token in place of a refused access token, which must read its
     * body before it acts ({@link Access#USER_OR_REFRESH_TOKEN}).
     * No log line and no metrics: it is not a client's request.
     */
    @Override
    protected final void prime() {
        exchange(primingEvent(), OutputStream.nullOutputStream());
        runtime.snapStart().warmUp();
    }

    private byte[] primingEvent() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-request-id", PRIMING_REQUEST_ID);
        if (access != Access.PUBLIC) {
            headers.put("authorization", "Bearer " + runtime.snapStart().accessTokenOfNobody());
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", "POST /" + PRIMING_REQUEST_ID);
        event.put("rawPath", "/" + PRIMING_REQUEST_ID);
        event.put("headers", headers);
        event.put("requestContext", Map.of("requestId", PRIMING_REQUEST_ID,
                "http", Map.of("method", "POST", "path", "/" + PRIMING_REQUEST_ID, "sourceIp", "127.0.0.1")));
        event.put("body", "[]");
        event.put("isBase64Encoded", false);
        return Json.writeBytes(event);
    }

    /** Serves one request; public so the kernel can be driven without Lambda's stream framing. */
    public final HttpResponse serve(HttpRequest request) {
        return served(request).response();
    }

    /** The response, and the request as far as it got: once authorized, it names its caller for the log line. */
    private Exchange served(HttpRequest request) {
        HttpRequest seen = request;
        try {
            if (request.body().length > HttpRequest.MAX_BODY_BYTES) {
                throw new ServiceException(ErrorCode.PAYLOAD_TOO_LARGE);
            }
            HttpRequest caller = authorize(request);
            seen = caller;
            Optional<String> idempotencyKey = caller.method().equals("POST") && replaysRetries()
                    ? caller.header("idempotency-key") : Optional.empty();
            if (idempotencyKey.isPresent()) {
                return new Exchange(caller,
                        runtime.idempotency().get().execute(caller, idempotencyKey.get(), () -> respond(caller)));
            }
            return new Exchange(caller, respond(caller));
        } catch (ServiceException e) {
            return new Exchange(seen, failure(request, e));
        } catch (RuntimeException e) {
            return new Exchange(seen, unexpected(request, e));
        }
    }

    private HttpResponse respond(HttpRequest request) {
        try {
            Reply reply = handle(request);
            Map<String, String> headers = baseHeaders(request);
            headers.putAll(reply.headers());
            String body = Json.write(Envelope.of(reply));
            return new HttpResponse(reply.status(), headers, body, reply.error() == null ? null : reply.error().code());
        } catch (ServiceException e) {
            return failure(request, e);
        }
    }

    private HttpRequest authorize(HttpRequest request) {
        if (access == Access.PUBLIC) {
            return request;
        }
        Principal principal;
        try {
            String token = request.bearerToken().orElseThrow(() -> new ServiceException(ErrorCode.UNAUTHORIZED));
            principal = runtime.authenticator().authenticate(token);
        } catch (ServiceException e) {
            if (access == Access.USER_OR_REFRESH_TOKEN && e.error() == ErrorCode.UNAUTHORIZED) {
                return request; // no caller: the handler judges the refresh token in the body
            }
            throw e;
        }
        boolean allowed = switch (access) {
            case PUBLIC -> true;
            case USER, USER_OR_REFRESH_TOKEN -> principal.isUser();
            case ADMIN -> principal.isAdmin();
            case SERVICE -> principal.isService();
            case OPERATOR -> principal.isAdmin() || principal.isService();
            case ANY -> true;
            // A route without {id} (the /me form of a SELF route) is the caller's own.
            case SELF -> request.pathParameters().get("id") == null
                    ? principal.isUser()
                    : principal.isAdmin() || principal.isService()
                            || principal.isSignedInAs(request.pathParameters().get("id"));
        };
        if (!allowed) {
            throw new ServiceException(ErrorCode.FORBIDDEN);
        }
        return request.withPrincipal(principal);
    }

    private HttpResponse failure(HttpRequest request, ServiceException e) {
        Map<String, String> headers = baseHeaders(request);
        if (e.error() == ErrorCode.SERVICE_UNAVAILABLE) {
            // Every 503 is a moment's busy or unreachable dependency: say when trying again makes sense.
            headers.put("Retry-After", RETRY_AFTER_UNAVAILABLE_SECONDS);
        }
        headers.putAll(e.headers());
        String body = Json.write(Envelope.error(e));
        return new HttpResponse(e.error().status(), headers, body, e.error().code());
    }

    private HttpResponse unexpected(HttpRequest request, RuntimeException e) {
        ErrorCode error = Failures.isUnavailable(e) ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request_id", request.requestId());
        fields.put("function", runtime.functionName());
        fields.put("route", request.routeKey());
        Log.error(error == ErrorCode.SERVICE_UNAVAILABLE ? "dependency unavailable" : "unhandled failure", fields, e);
        return failure(request, new ServiceException(error));
    }

    private Map<String, String> baseHeaders(HttpRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Request-Id", request.requestId());
        headers.put("X-Content-Type-Options", "nosniff");
        if (access != Access.PUBLIC) {
            // A caller's own data (sessions with their addresses, another user's account for an admin) is kept by no
            // cache, a browser's on a shared machine included; a reply may say otherwise for itself.
            headers.put("Cache-Control", "no-store");
        }
        return headers;
    }

    /** The request's line; Log adds the invocation's {@code aws_request_id}. */
    private void logRequest(HttpRequest request, HttpResponse response, long started) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request_id", request.requestId());
        fields.put("function", runtime.functionName());
        fields.put("route", request.routeKey());
        fields.put("method", request.method());
        fields.put("status", response.status());
        fields.put("latency_ms", (System.nanoTime() - started) / 1_000_000.0);
        if (response.error() != null) {
            fields.put("error", response.error());
        }
        if (request.principal() != null) {
            fields.put("caller", request.principal().subject());
        }
        Log.info("request", fields);
    }

}
