package dev.userservice.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The service's ES256 keys, held as a JWK set: the first key signs, the others (the previous key after a
 * rotation) still verify. The set comes from Secrets Manager in the cloud and from a generated file on a
 * developer machine. A token signed with a key this container has not seen yet makes it reload the set, and so
 * does a set with no signing key yet (a fresh deployment before its first rotation), each at most every
 * {@link #RELOAD_INTERVAL}: a rotation needs no restart, and tokens with made-up key ids cannot flood the store.
 */
public final class SigningKeys {
    /** Keys kept in a rotated set: the new signing key and the one before it. */
    static final int KEYS_KEPT = 2;
    static final Duration RELOAD_INTERVAL = Duration.ofSeconds(10);

    private final Supplier<String> source;
    private final Clock clock;
    private volatile List<ECKey> keys;
    private volatile Instant loadedAt;
    /** Set after a SnapStart restore: the set may be months old, however recently the clock says it was read. */
    private volatile boolean stale;

    public SigningKeys(Supplier<String> source, Clock clock) {
        this.source = source;
        this.clock = clock;
        load();
    }

    /** A new key set holding one fresh signing key, as the local runner and the first rotation create it. */
    public static String generateKeySetJson() {
        return JwkSetJson.write(List.of(newKey()));
    }

    /** The set after a rotation: a fresh signing key first, then the current signing key, older ones dropped. */
    public static String rotate(String currentSetJson) {
        List<ECKey> rotated = new ArrayList<>();
        rotated.add(newKey());
        JwkSetJson.parse(currentSetJson).stream().limit(KEYS_KEPT - 1).forEach(rotated::add);
        return JwkSetJson.write(rotated);
    }

    /** Whether a set holds a key this service can sign with; the rotation function tests a new set with it. */
    public static boolean canSign(String setJson) {
        return canSign(JwkSetJson.parse(setJson));
    }

    public ECKey signingKey() {
        if (stale || !canSign(keys)) {
            reloadIfDue();
        }
        List<ECKey> current = keys;
        if (!canSign(current)) {
            throw new IllegalStateException("The key set has no signing key yet");
        }
        return current.getFirst();
    }

    public Optional<ECKey> verificationKey(String keyId) {
        Optional<ECKey> key = find(keyId);
        if (key.isEmpty() && reloadIfDue()) {
            key = find(keyId);
        }
        return key;
    }

    /**
     * Makes the next signature, and the next unknown key id, read the set again at once. A SnapStart snapshot keeps
     * the set it was taken with, and is restored for as long as its version serves: rotations since then would
     * otherwise go unseen by a function that only signs, until its old key is dropped and its tokens refused.
     * Nothing is read here: the restore itself stays free of calls to the secret store.
     */
    public void markStale() {
        stale = true;
    }

    private boolean reloadIfDue() {
        if (!stale && clock.instant().isBefore(loadedAt.plus(RELOAD_INTERVAL))) {
            return false;
        }
        load();
        return true;
    }

    private static boolean canSign(List<ECKey> set) {
        return !set.isEmpty() && set.getFirst().isPrivate();
    }

    /**
     * A 256-bit secret for one {@code purpose} (such as signing list cursors), derived as SHA-256 over a label
     * naming the purpose and the current signing key's private scalar, so the service needs no further secret to
     * store or rotate. Different purposes get unrelated secrets, and none reveals the key. It changes when the
     * signing key rotates: whatever it protected before (a list cursor) is refused afterwards, which its users
     * must accept.
     */
    public byte[] derivedSecret(String purpose) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(("user-service derived secret v1\0" + purpose + "\0").getBytes(StandardCharsets.UTF_8));
            digest.update(signingKey().getD().decode());
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public half of every key, as {@code /.well-known/jwks.json} serves it. */
    public Map<String, Object> publicJwks() {
        return JwkSetJson.publicSet(keys);
    }

    private Optional<ECKey> find(String keyId) {
        return keys.stream().filter(key -> key.getKeyID().equals(keyId)).findFirst();
    }

    private synchronized void load() {
        keys = JwkSetJson.parse(source.get());
        loadedAt = clock.instant();
        stale = false;
    }

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .issueTime(new Date())
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot generate an ES256 key", e);
        }
    }
}
