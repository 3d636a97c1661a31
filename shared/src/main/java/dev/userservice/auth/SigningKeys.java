package dev.userservice.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The service's ES256 keys, held as a JWK set in three roles: the current key signs; the next key is published
 * (in {@code /.well-known/jwks.json}) but signs nothing until the following rotation makes it current, so every
 * verifier has it long before the first token signed with it; the previous key, current before the last
 * rotation, still verifies the tokens it signed. The set comes from the key store (Secrets Manager in the cloud,
 * a file on a developer machine; see {@link SigningKeyStore}), or, in a function that only verifies, from where
 * its public half is published ({@code secrets.PublishedKeys}): a set that cannot sign.
 *
 * <p>How soon a container sees a rotation is bounded: the set is read again as {@link Reloading} does, once older
 * than the refresh interval (five minutes unless configured) and after a SnapStart restore. A token signed with a key
 * this container has not seen yet, or a set with no signing key yet (a fresh deployment before its first rotation),
 * reads it again at once, at most every {@link Reloading#RETRY_INTERVAL}.
 */
public final class SigningKeys {
    /** Keys kept in a rotated set: the current, the next and the previous key. */
    static final int KEYS_KEPT = 3;
    /** How old the set may grow before a use reads it again, unless configured otherwise. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(5);

    private final Reloading<JwkSetJson.StoredSet> set;

    public SigningKeys(Supplier<String> source, Clock clock) {
        this(source, DEFAULT_REFRESH_INTERVAL, clock);
    }

    public SigningKeys(Supplier<String> source, Duration refreshInterval, Clock clock) {
        this(source, source, refreshInterval, clock);
    }

    /**
     * {@code afterMiss}: where the set is read when a token names a key it lacks, past any cache {@code source}
     * answers from: a key rotated in since the cached set was published would otherwise be refused until it expires.
     */
    public SigningKeys(Supplier<String> source, Supplier<String> afterMiss, Duration refreshInterval, Clock clock) {
        this.set = new Reloading<>("signing keys", source, afterMiss, JwkSetJson::parse, refreshInterval, clock);
    }

    /**
     * A new key set: a signing key and the next one, published from the start. The local runner creates its set
     * so; a deployment's first rotation makes one from an empty set.
     */
    public static String generateKeySetJson() {
        ECKey next = newKey();
        return JwkSetJson.write(List.of(newKey(), next), next.getKeyID());
    }

    /**
     * The set after a rotation: the next key becomes current, the current key previous, a fresh key next, and the
     * older keys are dropped. A set stored before next keys existed has none to promote: its current key goes on
     * signing through this rotation while its successor is published, and signs no longer after the next one.
     */
    public static String rotate(String currentSetJson) {
        JwkSetJson.StoredSet stored = JwkSetJson.parse(currentSetJson);
        Optional<ECKey> current = stored.current();
        ECKey fresh = newKey();
        List<ECKey> rotated = new ArrayList<>();
        if (stored.next().isPresent()) {
            rotated.add(stored.next().get());
            rotated.add(fresh);
            current.ifPresent(rotated::add);
        } else if (current.isPresent()) {
            rotated.add(current.get());
            rotated.add(fresh);
            stored.previous().stream().findFirst().ifPresent(rotated::add);
        } else {
            // A deployment's first rotation: no token exists yet that the new signing key could surprise.
            rotated.add(newKey());
            rotated.add(fresh);
        }
        return JwkSetJson.write(rotated.stream().limit(KEYS_KEPT).toList(), fresh.getKeyID());
    }

    /** Whether a set holds a key this service can sign with; the rotation tests a new set with it. */
    public static boolean canSign(String setJson) {
        return JwkSetJson.parse(setJson).current().isPresent();
    }

    /** Whether a set publishes the key that will sign after the next rotation; the rotation tests a new set with it. */
    public static boolean publishesNextKey(String setJson) {
        return JwkSetJson.parse(setJson).next().isPresent();
    }

    public ECKey signingKey() {
        Optional<ECKey> current = set.get().current();
        if (current.isEmpty() && set.reloadUnlessTriedRecently()) {
            current = set.get().current();
        }
        return current.orElseThrow(() -> new IllegalStateException("The key set has no signing key yet"));
    }

    public Optional<ECKey> verificationKey(String keyId) {
        Optional<ECKey> key = find(keyId);
        if (key.isEmpty() && set.reloadUnlessTriedRecently()) {
            key = find(keyId);
        }
        return key;
    }

    /**
     * Makes the next use read the set again at once. A SnapStart snapshot keeps the set it was taken with, and is
     * restored for as long as its version serves. Nothing is read here: the restore itself stays free of calls to
     * the key store.
     */
    public void markStale() {
        set.markStale();
    }

    /**
     * The public half of every key (current, next and previous), as {@code /.well-known/jwks.json} serves it: read
     * again once older than the refresh interval, so a rotation's next key is published within that interval.
     */
    public Map<String, Object> publicJwks() {
        return JwkSetJson.publicSet(set.get().keys());
    }

    private Optional<ECKey> find(String keyId) {
        return set.get().keys().stream().filter(key -> key.getKeyID().equals(keyId)).findFirst();
    }

    /** A new ES256 key with a random key id. */
    static ECKey newKey() {
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
