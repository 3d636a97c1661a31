package dev.userservice.auth;

import dev.userservice.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The services allowed to ask for service tokens, as {@code {"clients": [{"client_id", "secret_sha256", "name"}]}}
 * from the deployment's secret store. Only hashes are stored: a client secret is 256 random bits, so SHA-256 is
 * the right hash (as for refresh tokens), and secrets are compared in constant time.
 *
 * <p>The list is read again as {@link Reloading} does: a minute after the last read ({@link #REFRESH_INTERVAL}) and
 * after a SnapStart restore, so a client removed or re-keyed in the secret store stops working within that minute, in
 * every container. An unknown client or a secret that does not match reads it again at once, at most every
 * {@link Reloading#RETRY_INTERVAL}, so a client added works without waiting.
 */
public final class ServiceClients {
    /** A registered client: its id and a human name for logs. */
    public record Client(String clientId, String name) {}

    private record Registered(Client client, byte[] secretHash) {}

    static final Duration REFRESH_INTERVAL = Duration.ofMinutes(1);

    private final Reloading<Map<String, Registered>> clients;

    public ServiceClients(Supplier<String> source, Clock clock) {
        this.clients = new Reloading<>("service clients", source, ServiceClients::parse, REFRESH_INTERVAL, clock);
    }

    /** The client whose id and secret these are; empty for an unknown id or a wrong secret alike. */
    public Optional<Client> authenticate(String clientId, String secret) {
        Optional<Client> client = check(clientId, secret);
        if (client.isEmpty() && clients.reloadUnlessTriedRecently()) {
            client = check(clientId, secret);
        }
        return client;
    }

    /** Makes the next authentication read the list again: a SnapStart snapshot keeps the list it was taken with. */
    public void markStale() {
        clients.markStale();
    }

    private Optional<Client> check(String clientId, String secret) {
        Registered registered = clients.get().get(clientId);
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
