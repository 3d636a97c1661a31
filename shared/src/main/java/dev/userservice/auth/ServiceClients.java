package dev.userservice.auth;

import dev.userservice.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The services allowed to ask for service tokens, as {@code {"clients": [{"client_id", "secret_sha256", "name"}]}}
 * from the deployment's secret store. Only hashes are stored: a client secret is 256 random bits, so SHA-256 is
 * the right hash (as for refresh tokens), and secrets are compared in constant time. An unknown client or a
 * secret that does not match makes it read the document again, at most every {@link #RELOAD_INTERVAL}, so a client
 * added or re-keyed in the secret store works without a new deployment (a SnapStart snapshot keeps the old list).
 */
public final class ServiceClients {
    /** A registered client: its id and a human name for logs. */
    public record Client(String clientId, String name) {}

    private record Registered(Client client, byte[] secretHash) {}

    static final Duration RELOAD_INTERVAL = Duration.ofSeconds(10);

    private final Supplier<String> source;
    private final Clock clock;
    private volatile Map<String, Registered> clients;
    private volatile Instant loadedAt;

    public ServiceClients(Supplier<String> source, Clock clock) {
        this.source = source;
        this.clock = clock;
        load();
    }

    /** The client whose id and secret these are; empty for an unknown id or a wrong secret alike. */
    public Optional<Client> authenticate(String clientId, String secret) {
        Optional<Client> client = check(clientId, secret);
        if (client.isEmpty() && reloadIfDue()) {
            client = check(clientId, secret);
        }
        return client;
    }

    private synchronized boolean reloadIfDue() {
        if (clock.instant().isBefore(loadedAt.plus(RELOAD_INTERVAL))) {
            return false;
        }
        load();
        return true;
    }

    private synchronized void load() {
        clients = parse(source.get());
        loadedAt = clock.instant();
    }

    private Optional<Client> check(String clientId, String secret) {
        Registered registered = clients.get(clientId);
        byte[] presented = sha256(secret);
        // The comparison runs for unknown ids too, so timing does not tell which ids exist.
        byte[] expected = registered == null ? new byte[presented.length] : registered.secretHash();
        boolean matches = MessageDigest.isEqual(presented, expected);
        return registered != null && matches ? Optional.of(registered.client()) : Optional.empty();
    }

    /** The stored form of a new client's secret, as the README's instructions and the local runner write it. */
    public static String hashSecret(String secret) {
        return java.util.HexFormat.of().formatHex(sha256(secret));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Registered> parse(String json) {
        Map<String, Registered> parsed = new HashMap<>();
        Object list = Json.parseObject(json).get("clients");
        if (!(list instanceof List<?> entries)) {
            throw new IllegalStateException("The service clients document has no \"clients\" list");
        }
        for (Object entry : entries) {
            Map<String, Object> client = (Map<String, Object>) entry;
            String id = (String) client.get("client_id");
            String hash = (String) client.get("secret_sha256");
            if (id == null || hash == null || hash.length() != 64) {
                throw new IllegalStateException("Each service client needs client_id and a 64-hex-digit secret_sha256");
            }
            String name = client.get("name") instanceof String text ? text : id;
            parsed.put(id, new Registered(new Client(id, name), java.util.HexFormat.of().parseHex(hash)));
        }
        return Map.copyOf(parsed);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
