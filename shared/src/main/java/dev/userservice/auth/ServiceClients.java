package dev.userservice.auth;

import dev.userservice.json.Json;
import dev.userservice.logging.Log;
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
 * the right hash (as for refresh tokens), and secrets are compared in constant time.
 *
 * <p>The list is read again by the first authentication {@link #REFRESH_INTERVAL} after the last read, and after a
 * SnapStart restore ({@link #markStale}), so a client removed or re-keyed in the secret store stops working within
 * that interval, in every container. An unknown client or a secret that does not match reads it again at once, at
 * most every {@link #RELOAD_INTERVAL}, so a client added works without waiting.
 */
public final class ServiceClients {
    /** A registered client: its id and a human name for logs. */
    public record Client(String clientId, String name) {}

    private record Registered(Client client, byte[] secretHash) {}

    static final Duration REFRESH_INTERVAL = Duration.ofMinutes(1);
    static final Duration RELOAD_INTERVAL = Duration.ofSeconds(10);

    private final Supplier<String> source;
    private final Clock clock;
    private volatile Map<String, Registered> clients;
    /** When the list was last read, or a read was last tried. */
    private volatile Instant triedAt;
    private volatile boolean stale;

    public ServiceClients(Supplier<String> source, Clock clock) {
        this.source = source;
        this.clock = clock;
        this.clients = parse(source.get());
        this.triedAt = clock.instant();
    }

    /** The client whose id and secret these are; empty for an unknown id or a wrong secret alike. */
    public Optional<Client> authenticate(String clientId, String secret) {
        if (stale || readBefore(REFRESH_INTERVAL)) {
            load();
        }
        Optional<Client> client = check(clientId, secret);
        if (client.isEmpty() && readBefore(RELOAD_INTERVAL) && load()) {
            client = check(clientId, secret);
        }
        return client;
    }

    /** Makes the next authentication read the list again: a SnapStart snapshot keeps the list it was taken with. */
    public void markStale() {
        stale = true;
    }

    private boolean readBefore(Duration interval) {
        return !clock.instant().isBefore(triedAt.plus(interval));
    }

    /**
     * A document that cannot be read keeps the list read before in use, and is tried again after
     * {@link #RELOAD_INTERVAL}; the failure is logged without its message, which could quote the document.
     *
     * @return whether a new list was read
     */
    private synchronized boolean load() {
        triedAt = clock.instant();
        stale = false;
        try {
            clients = parse(source.get());
            return true;
        } catch (RuntimeException e) {
            Log.warn("service clients not read again; the list read before stays in use",
                    Map.of("error", e.getClass().getSimpleName()));
            return false;
        }
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
