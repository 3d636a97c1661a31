package dev.userservice.local.e2e;

import dev.userservice.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A small HTTP client for the tests: real requests to the local runner, JSON envelopes back. Every exchange is held
 * to {@code openapi.yaml} by {@link OpenApiContract} before the test sees the answer.
 */
public final class Api {
    private final URI base;
    private final HttpClient http;
    private final OpenApiContract.Aim aim;

    public Api(URI base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), OpenApiContract.Aim.OPERATION);
    }

    private Api(URI base, HttpClient http, OpenApiContract.Aim aim) {
        this.base = base;
        this.http = http;
        this.aim = aim;
    }

    /**
     * The same service, for requests a test sends on purpose to a route no operation has (an unknown path, or a
     * known path with another method): the contract check then requires that no operation takes them, and holds
     * the answer to the {@code $default} route's documented 404 or 405.
     */
    public Api toDefaultRoute() {
        return new Api(base, http, OpenApiContract.Aim.DEFAULT_ROUTE);
    }

    public record Response(int status, Map<String, List<String>> headers, String text) {
        @SuppressWarnings("unchecked")
        public Map<String, Object> body() {
            return Json.parseObject(text);
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> data() {
            return (Map<String, Object>) body().get("data");
        }

        public String error() {
            return (String) body().get("error");
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().getFirst())
                    .findFirst().orElse(null);
        }
    }

    public Response get(String path, String... headers) {
        return send(request(path, headers).GET(), null);
    }

    public Response post(String path, Object body, String... headers) {
        return postRaw(path, Json.write(body), headers);
    }

    public Response postRaw(String path, String body, String... headers) {
        HttpRequest.Builder request = request(path, headers);
        if (request.build().headers().firstValue("content-type").isEmpty()) {
            request.header("Content-Type", "application/json");
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofString(body)), body);
    }

    public Response send(String method, String path, String body, String... headers) {
        return send(request(path, headers).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)), body);
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder builder, String body) {
        try {
            HttpRequest request = builder.build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            OpenApiContract.shared().check(new OpenApiContract.Exchange(aim, request.method(), request.uri().getRawPath(),
                    request.uri().getRawQuery(), request.headers().map(), body, response.statusCode(), response.headers().map(), response.body()));
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
