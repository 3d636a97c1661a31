package dev.userservice.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import dev.userservice.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The key-set authority: an ES256 key that signs one thing only, the public half of the signing keys as they are
 * published for verification ({@code secrets.PublishedKeys}). A function that only checks tokens then needs no
 * secret at all: it trusts a published set because the authority signed it, and the authority's public key comes
 * with the function's configuration ({@code KEY_SET_AUTHORITY}, set at deploy time), so a set read from the cache,
 * which anyone able to write to Redis could replace, is as good as one read from the table. The private key is in a
 * secret that only the publishers read: the rotation, the deployment's step that makes the authority, and the
 * schedule that publishes the set again before it expires.
 *
 * <p>Both halves are JWK sets of one key, the form every other key of this service is kept in. A published set is a
 * compact JWS typed {@value #TYPE}, so it can never pass for an access token. Its payload is the public keys, the
 * instant their signing set was read ({@code read_at}, in milliseconds), which orders publications, and the instant
 * the publication expires ({@code expires_at}): a signature alone would let whoever can write to Redis put back a set
 * signed years ago, with keys rotated out since, and a cold container, which has read no newer one, would trust it.
 */
public final class KeySetAuthority {
    static final String TYPE = "jwk-set+jws";

    private final ECKey key;

    private KeySetAuthority(ECKey key) {
        this.key = key;
    }

    /**
     * A set published by the authority: its public keys, as a JWK set, when the signing set was read, and until when
     * the publication may be trusted from where anyone could have put it back. A set signed before publications
     * expired expires when it was read.
     */
    public record Published(String publicSetJson, Instant readAt, Instant expiresAt) {
        public boolean expiredAt(Instant instant) {
            return !expiresAt.isAfter(instant);
        }
    }

    /** A new authority's private key, as its secret stores it. */
    public static String generate() {
        return JwkSetJson.write(List.of(SigningKeys.newKey()), null);
    }

    /** Whether {@code secretJson} holds an authority's key, rather than the placeholder a new secret is made with. */
    public static boolean holdsKey(String secretJson) {
        return onlyKey(secretJson).filter(ECKey::isPrivate).isPresent();
    }

    /** The authority kept in {@code privateSetJson}, as {@link #generate} wrote it. */
    public static KeySetAuthority of(String privateSetJson) {
        return new KeySetAuthority(onlyKey(privateSetJson)
                .filter(ECKey::isPrivate)
                .orElseThrow(() -> new IllegalStateException("The key-set authority's secret holds no private key")));
    }

    /** The authority's public key, as a JWK set, for every function's configuration. */
    public String publicKeyJson() {
        return Json.write(JwkSetJson.publicSet(List.of(key)));
    }

    /** The authority's public key from a function's configuration. */
    public static ECKey publicKey(String publicSetJson) {
        return onlyKey(publicSetJson).map(ECKey::toPublicJWK)
                .orElseThrow(() -> new IllegalStateException("KEY_SET_AUTHORITY holds no P-256 key"));
    }

    /** The public half of {@code signingSetJson}, as read at {@code readAt}, signed to be trusted until {@code expiresAt}. */
    public String sign(String signingSetJson, Instant readAt, Instant expiresAt) {
        Map<String, Object> payload = new LinkedHashMap<>(JwkSetJson.publicSet(JwkSetJson.parse(signingSetJson).keys()));
        payload.put("read_at", readAt.toEpochMilli());
        payload.put("expires_at", expiresAt.toEpochMilli());
        try {
            return CompactJws.sign(TYPE, payload, key);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign the published key set", e);
        }
    }

    /** The set {@code jws} publishes, if this authority signed it. */
    public Optional<Published> verify(String jws) {
        return verify(jws, key.toPublicJWK());
    }

    /** The set {@code jws} publishes, if {@code authority} signed it; anything else, a forged set included, is empty. */
    public static Optional<Published> verify(String jws, ECKey authority) {
        Optional<CompactJws> parsed = CompactJws.parse(jws);
        if (parsed.flatMap(signed -> signed.keyId(TYPE)).filter(authority.getKeyID()::equals).isEmpty()) {
            return Optional.empty();
        }
        try {
            return parsed.get().payloadVerifiedWith(authority).flatMap(KeySetAuthority::published);
        } catch (JOSEException e) {
            return Optional.empty();
        }
    }

    private static Optional<Published> published(Map<String, Object> payload) {
        if (!(payload.get("read_at") instanceof Long readAt) || !(payload.get("keys") instanceof List<?> keys)) {
            return Optional.empty();
        }
        Object expiresAt = payload.getOrDefault("expires_at", readAt);
        if (!(expiresAt instanceof Long expiresAtMillis)) {
            return Optional.empty();
        }
        return Optional.of(new Published(Json.write(Map.of("keys", keys)), Instant.ofEpochMilli(readAt),
                Instant.ofEpochMilli(expiresAtMillis)));
    }

    private static Optional<ECKey> onlyKey(String setJson) {
        List<ECKey> keys = JwkSetJson.parse(setJson).keys();
        return keys.size() == 1 ? Optional.of(keys.get(0)) : Optional.empty();
    }
}
