package dev.userservice.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.userservice.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Secrets Manager's {@code GetSecretValue}, for the measured JVMs. In AWS a function that signs tokens reads the
 * signing keys (and one that checks service clients, the clients) from Secrets Manager: its first use builds the
 * SDK's Secrets Manager client and makes one call, over TLS, and so does the first after every SnapStart restore.
 * (Checking a token reads the published keys instead, from Redis or the table.) The local
 * runner gives the functions a key file instead, which costs none of that; a measured JVM gets the secrets' ARNs and
 * this stand-in's endpoint in its place, so its figures hold the client's whole cost. The stand-in answers only
 * {@code GetSecretValue}, with the JSON the service answers; what it leaves out is the service's own latency, as
 * DynamoDB Local does DynamoDB's.
 */
final class SecretsStandIn implements AutoCloseable {
    private static final String ARN_PREFIX = "arn:aws:secretsmanager:us-east-1:000000000000:secret:user-service-bench-";

    private final HttpServer server;
    private final URI endpoint;
    private final Map<String, Supplier<String>> secrets = new ConcurrentHashMap<>();

    private SecretsStandIn(HttpServer server, String scheme) {
        this.server = server;
        this.endpoint = URI.create(scheme + "://localhost:" + server.getAddress().getPort());
        server.createContext("/", this::answer);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** On loopback, over TLS with {@code tls}'s certificate (the one the measured JVMs trust), else plain HTTP. */
    static SecretsStandIn start(Optional<SSLContext> tls) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (tls.isPresent()) {
                HttpsServer server = HttpsServer.create(address, 64);
                server.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
                return new SecretsStandIn(server, "https");
            }
            return new SecretsStandIn(HttpServer.create(address, 64), "http");
        } catch (IOException e) {
            throw new UncheckedIOException("bench: cannot start the Secrets Manager stand-in", e);
        }
    }

    /**
     * {@code environment} as a function in AWS has it: the signing keys' file, the inline service clients and the
     * inline cursor secret become secrets of this stand-in, named by ARN.
     */
    Map<String, String> environment(Map<String, String> environment) {
        Map<String, String> changed = new HashMap<>(environment);
        String keysFile = changed.remove("JWT_KEYS_FILE");
        if (keysFile != null) {
            changed.put("JWT_KEYS_SECRET_ARN", register("signing-keys", () -> read(Path.of(keysFile))));
        }
        String clients = changed.remove("SERVICE_CLIENTS");
        // Declared empty for every function (sam local overrides only declared variables); empty means unset.
        if (clients != null && !clients.isBlank()) {
            changed.put("SERVICE_CLIENTS_SECRET_ARN", register("service-clients", () -> clients));
        }
        String cursorSecret = changed.remove("CURSOR_SECRET");
        if (cursorSecret != null && !cursorSecret.isBlank()) {
            changed.put("CURSOR_SECRET_ARN", register("cursor-secret", () -> cursorSecret));
        }
        changed.put("SECRETS_MANAGER_ENDPOINT", endpoint.toString());
        return Map.copyOf(changed);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private String register(String name, Supplier<String> value) {
        String arn = ARN_PREFIX + name;
        secrets.put(arn, value);
        return arn;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, Object> request = Json.parseObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String arn = String.valueOf(request.get("SecretId"));
            Supplier<String> secret = secrets.get(arn);
            if (!"secretsmanager.GetSecretValue".equals(target) || secret == null) {
                reply(exchange, 400, Map.of("__type", "ResourceNotFoundException",
                        "message", "The bench's stand-in holds no such secret, and answers GetSecretValue only"));
                return;
            }
            reply(exchange, 200, Map.of("ARN", arn, "Name", arn.substring(arn.lastIndexOf(':') + 1),
                    "VersionId", "00000000-0000-4000-8000-000000000000", "SecretString", secret.get(),
                    "VersionStages", List.of("AWSCURRENT"), "CreatedDate", 1_764_547_200));
        }
    }

    private static void reply(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = Json.writeBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
