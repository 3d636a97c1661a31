package dev.userservice.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.userservice.errors.ErrorCode;
import dev.userservice.http.Envelope;
import dev.userservice.http.RouteTable;
import dev.userservice.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP API on this machine, the Docker-free equivalent of {@code sam local start-api}: each request becomes
 * an API Gateway HTTP API event (payload format 2.0) for the function its route names, and the function's answer
 * becomes the HTTP response. Unknown routes and wrong methods get the service's own envelopes.
 */
final class ApiServer implements AutoCloseable {
    /** API Gateway refuses larger requests before any function sees them. */
    static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final RouteTable<LocalFunction> routes;
    private final Cors cors;

    private ApiServer(HttpServer server, RouteTable<LocalFunction> routes, Cors cors) {
        this.server = server;
        this.routes = routes;
        this.cors = cors;
    }

    static ApiServer start(String host, int port, RouteTable<LocalFunction> routes, Cors cors) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 512);
            ApiServer api = new ApiServer(server, routes, cors);
            server.createContext("/", api::serve);
            server.setExecutor(api.executor);
            server.start();
            return api;
        } catch (IOException e) {
            throw new IllegalStateException("The API cannot listen on " + host + ":" + port, e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) {
        try (exchange) {
            Response response = respond(exchange);
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            for (String cookie : response.cookies()) {
                exchange.getResponseHeaders().add("Set-Cookie", cookie);
            }
            // A HEAD answer is its headers alone: the JDK's server refuses a body, and a length, there.
            byte[] body = exchange.getRequestMethod().equalsIgnoreCase("HEAD") ? new byte[0] : response.body();
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or the exchange broke; nothing useful can be sent any more.
            System.err.println("local: request failed: " + e);
        }
    }

    private Response respond(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String rawPath = exchange.getRequestURI().getRawPath();
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String requestedMethod = exchange.getRequestHeaders().getFirst("Access-Control-Request-Method");
        if (method.equals("OPTIONS") && origin != null && requestedMethod != null) {
            return cors.preflight(origin, requestedMethod)
                    .map(headers -> new Response(204, headers, List.of(), new byte[0]))
                    .orElseGet(() -> new Response(204, Map.of(), List.of(), new byte[0]));
        }
        byte[] body = readBody(exchange.getRequestBody());
        Response response;
        if (body == null) {
            response = error(ErrorCode.PAYLOAD_TOO_LARGE, Map.of());
        } else {
            RouteTable.Result<LocalFunction> routed = routes.route(method, rawPath);
            if (routed.match().isPresent()) {
                var match = routed.match().get();
                response = invoke(match.route(), match.pathParameters(), exchange, method, rawPath, body);
            } else if (routed.defaultRoute().isPresent()) {
                // As in API Gateway, the $default route answers what no other route took.
                response = invoke(routed.defaultRoute().get(), Map.of(), exchange, method, rawPath, body);
            } else if (!routed.allowedMethods().isEmpty()) {
                response = error(ErrorCode.METHOD_NOT_ALLOWED, Map.of("Allow", String.join(", ", routed.allowedMethods())));
            } else {
                response = error(ErrorCode.NOT_FOUND, Map.of());
            }
        }
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        cors.addResponseHeaders(origin, headers);
        return new Response(response.status(), headers, response.cookies(), response.body());
    }

    private Response invoke(RouteTable.Route<LocalFunction> route, Map<String, String> pathParameters, HttpExchange exchange,
                            String method, String rawPath, byte[] body) {
        LocalFunction function = route.target();
        byte[] event = Json.writeBytes(event(route.routeKey(), pathParameters, exchange, method, rawPath, body));
        Map<String, Object> answer;
        try {
            answer = Json.parseObject(new String(function.invoke(event), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // Lambda reports a function error (an Error too, LocalFunction.Died: a class that failed to load; a
            // timeout too); API Gateway answers it with a bare 500 of its own, not the service's envelope.
            if (e instanceof LocalFunction.TimedOut) {
                System.err.println("local: " + e.getMessage());
            } else {
                System.err.println("local: " + function.name() + " failed:");
                e.printStackTrace();
            }
            return new Response(500, Map.of("Content-Type", "application/json"), List.of(),
                    "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
        }
        return Response.fromLambda(answer);
    }

    /** The event API Gateway sends for this request (payload format 2.0). */
    private Map<String, Object> event(String routeKey, Map<String, String> pathParameters, HttpExchange exchange,
                                      String method, String rawPath, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(value -> cookies.addAll(List.of(value.split(";\\s*"))));
            } else {
                headers.put(lower, String.join(",", values));
            }
        });
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        // API Gateway appends the address it saw to X-Forwarded-For; the service never trusts that header.
        headers.merge("x-forwarded-for", sourceIp, (given, seen) -> given + ", " + seen);
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-port", Integer.toString(port()));
        String host = headers.getOrDefault("host", "localhost:" + port());
        Instant now = Instant.now();

        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", method);
        http.put("path", rawPath);
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", sourceIp);
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", LocalServers.ACCOUNT_ID);
        context.put("apiId", "local");
        context.put("domainName", host);
        context.put("domainPrefix", host.split("[.:]", 2)[0]);
        context.put("http", http);
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", rawPath);
        String rawQuery = exchange.getRequestURI().getRawQuery();
        event.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        if (!cookies.isEmpty()) {
            event.put("cookies", cookies);
        }
        event.put("headers", headers);
        Map<String, String> query = queryParameters(rawQuery);
        if (!query.isEmpty()) {
            event.put("queryStringParameters", query);
        }
        event.put("requestContext", context);
        if (!pathParameters.isEmpty()) {
            event.put("pathParameters", pathParameters);
        }
        if (body.length > 0) {
            Optional<String> text = isTextual(headers.get("content-type")) ? utf8(body) : Optional.empty();
            event.put("body", text.orElseGet(() -> Base64.getEncoder().encodeToString(body)));
            event.put("isBase64Encoded", text.isEmpty());
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    /** Repeated names are joined with commas, as API Gateway joins them. */
    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] parts = pair.split("=", 2);
            String name = java.net.URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            String value = parts.length > 1 ? java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
            parameters.merge(name, value, (first, next) -> first + "," + next);
        }
        return parameters;
    }

    private static boolean isTextual(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.startsWith("application/x-www-form-urlencoded");
    }

    private static Optional<String> utf8(byte[] body) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The body, or null when it is larger than API Gateway accepts. */
    private static byte[] readBody(InputStream input) throws IOException {
        byte[] body = input.readNBytes(MAX_REQUEST_BYTES + 1);
        return body.length > MAX_REQUEST_BYTES ? null : body;
    }

    private static Response error(ErrorCode error, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Request-Id", UUID.randomUUID().toString());
        headers.putAll(extraHeaders);
        byte[] body = Json.writeBytes(Envelope.error(error, error.defaultMessage(), List.of()));
        return new Response(error.status(), headers, List.of(), body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** A function's answer (payload format 2.0 response) as HTTP. */
    private record Response(int status, Map<String, String> headers, List<String> cookies, byte[] body) {
        @SuppressWarnings("unchecked")
        static Response fromLambda(Map<String, Object> answer) {
            int status = answer.get("statusCode") instanceof Number number ? number.intValue() : 200;
            Map<String, String> headers = new LinkedHashMap<>();
            if (answer.get("headers") instanceof Map<?, ?> given) {
                given.forEach((name, value) -> headers.put(String.valueOf(name), String.valueOf(value)));
            }
            List<String> cookies = answer.get("cookies") instanceof List<?> list
                    ? list.stream().map(String::valueOf).toList() : List.of();
            Object body = answer.get("body");
            byte[] bytes = body == null ? new byte[0]
                    : Boolean.TRUE.equals(answer.get("isBase64Encoded"))
                    ? Base64.getDecoder().decode(String.valueOf(body))
                    : String.valueOf(body).getBytes(StandardCharsets.UTF_8);
            return new Response(status, headers, cookies, bytes);
        }
    }
}
