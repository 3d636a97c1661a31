package dev.userservice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.userservice.http.ApiException;
import dev.userservice.http.ErrorCode;
import dev.userservice.testing.MutableClock;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SigningKeysTest {
    private static final Instant START = Instant.parse("2025-01-15T10:00:00Z");
    private static final String ISSUER = "https://users.example.com";
    private static final String AUDIENCE = "user-service";

    private final MutableClock clock = new MutableClock(START);
    /** The secret as Secrets Manager holds it, counting how often a container fetches it. */
    private final KeySetSource secret = new KeySetSource(SigningKeys.generateKeySetJson());

    @Test
    void generatedSetHoldsOneSigningKey() throws ParseException {
        String set = SigningKeys.generateKeySetJson();

        assertEquals(1, JWKSet.parse(set).getKeys().size());
        assertTrue(SigningKeys.canSign(set));
    }

    @Test
    void tokenSignedByThePreviousKeyStillVerifiesAfterRotation() {
        SigningKeys before = new SigningKeys(secret, clock);
        String oldToken = issue(before);

        secret.rotate();
        SigningKeys after = new SigningKeys(secret, clock);

        assertNotEquals(before.signingKey().getKeyID(), after.signingKey().getKeyID());
        assertEquals("user-1", tokens(after).verify(oldToken).subject());
        assertEquals(after.signingKey().getKeyID(), keyIdOf(issue(after)));
    }

    @Test
    void containerLoadedBeforeARotationReloadsForTheNewKey() {
        SigningKeys oldContainer = new SigningKeys(secret, clock);
        secret.rotate();
        String newToken = issue(new SigningKeys(secret, clock));

        clock.advance(Duration.ofMinutes(2));

        assertEquals("user-1", tokens(oldContainer).verify(newToken).subject());
    }

    @Test
    void keyFromTwoRotationsAgoIsDropped() {
        SigningKeys first = new SigningKeys(secret, clock);
        String ancientToken = issue(first);

        secret.rotate();
        secret.rotate();
        SigningKeys current = new SigningKeys(secret, clock);

        ApiException refused = assertThrows(ApiException.class, () -> tokens(current).verify(ancientToken));
        assertEquals(ErrorCode.UNAUTHORIZED, refused.error());
        assertEquals(Optional.empty(), current.verificationKey(first.signingKey().getKeyID()));
    }

    @Test
    void rotatedSetHoldsTheNewSigningKeyThenThePreviousOne() throws ParseException {
        String original = secret.get();
        String previousKid = JWKSet.parse(original).getKeys().getFirst().getKeyID();

        String rotatedSet = SigningKeys.rotate(original);

        List<JWK> rotated = JWKSet.parse(rotatedSet).getKeys();
        assertEquals(2, rotated.size());
        assertNotEquals(previousKid, rotated.get(0).getKeyID());
        assertEquals(previousKid, rotated.get(1).getKeyID());
        assertTrue(SigningKeys.canSign(rotatedSet));
    }

    @Test
    void unknownKidReloadsTheSetAtMostOncePerInterval() {
        SigningKeys keys = new SigningKeys(secret, clock);
        int loadsAtStart = secret.loads.get();

        keys.verificationKey("unknown-1");
        clock.advance(SigningKeys.RELOAD_INTERVAL.plusSeconds(1));
        keys.verificationKey("unknown-2");
        keys.verificationKey("unknown-3");
        clock.advance(SigningKeys.RELOAD_INTERVAL.dividedBy(2));
        keys.verificationKey("unknown-4");

        assertEquals(1, loadsAtStart);
        assertEquals(2, secret.loads.get());

        clock.advance(SigningKeys.RELOAD_INTERVAL.dividedBy(2).plusSeconds(1));
        keys.verificationKey("unknown-5");

        assertEquals(3, secret.loads.get());
    }

    @Test
    void aSetWithoutASigningKeyYetIsReloadedUntilTheFirstRotationArrives() {
        AtomicReference<String> stored = new AtomicReference<>("{\"keys\":[]}");
        SigningKeys keys = new SigningKeys(stored::get, clock);
        assertThrows(IllegalStateException.class, keys::signingKey);

        stored.set(SigningKeys.generateKeySetJson());
        clock.advance(SigningKeys.RELOAD_INTERVAL.plusSeconds(1));

        assertTrue(keys.signingKey().isPrivate(), "the container signs once the rotation has put in a key");
    }

    @Test
    void aRestoredSnapshotSignsWithTheKeyRotatedInSinceItWasTaken() {
        SigningKeys keys = new SigningKeys(secret, clock);
        String snapshotKey = keys.signingKey().getKeyID();
        secret.rotate();

        keys.markStale();

        assertNotEquals(snapshotKey, keys.signingKey().getKeyID(), "the first signature after a restore reads the set again");
        keys.signingKey();
        assertEquals(2, secret.loads.get(), "once");
    }

    @Test
    void aRestoredSnapshotReloadsForTheFirstUnknownKidWithoutWaitingForTheInterval() {
        SigningKeys keys = new SigningKeys(secret, clock);
        keys.verificationKey("unknown-before-the-snapshot");
        secret.rotate();
        String rotatedKid = new SigningKeys(secret, clock).signingKey().getKeyID();
        int loadsAtRestore = secret.loads.get();

        keys.markStale();

        assertEquals(loadsAtRestore, secret.loads.get(), "marking reads nothing: a restore makes no call to the secret store");
        assertTrue(keys.verificationKey(rotatedKid).isPresent());
        keys.verificationKey("unknown-after-the-restore");
        assertEquals(loadsAtRestore + 1, secret.loads.get(), "then the usual interval applies again");
    }

    @Test
    void knownKidNeverReloads() {
        SigningKeys keys = new SigningKeys(secret, clock);
        String kid = keys.signingKey().getKeyID();

        clock.advance(Duration.ofHours(3));
        keys.verificationKey(kid);

        assertEquals(1, secret.loads.get());
    }

    @Test
    void floodOfForgedKidsCostsOneFetchPerMinute() {
        SigningKeys keys = new SigningKeys(secret, clock);
        clock.advance(Duration.ofMinutes(5));

        for (int i = 0; i < 1_000; i++) {
            keys.verificationKey("forged-" + i);
        }

        assertEquals(2, secret.loads.get());
    }

    @Test
    void publishedSetHasEveryKeyWithoutItsPrivatePart() {
        secret.rotate();
        SigningKeys keys = new SigningKeys(secret, clock);

        Map<String, Object> jwks = keys.publicJwks();

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> published = (List<Map<String, Object>>) jwks.get("keys");
        assertEquals(2, published.size());
        for (Map<String, Object> key : published) {
            assertEquals("EC", key.get("kty"));
            assertEquals("P-256", key.get("crv"));
            assertTrue(key.containsKey("kid"));
            assertFalse(key.containsKey("d"), "a private key was published");
        }
    }

    @Test
    void publicOnlySetCannotSign() throws ParseException {
        String publicOnly = JWKSet.parse(secret.get()).toPublicJWKSet().toString(false);

        assertFalse(SigningKeys.canSign(publicOnly));
        assertThrows(IllegalStateException.class, () -> new SigningKeys(() -> publicOnly, clock).signingKey());
    }

    @Test
    void invalidKeySetIsRefusedAtLoad() {
        assertThrows(IllegalStateException.class, () -> new SigningKeys(() -> "{\"keys\": 5}", clock));
    }

    private AccessTokens tokens(SigningKeys keys) {
        return new AccessTokens(keys, ISSUER, AUDIENCE, Duration.ofMinutes(15), clock);
    }

    private String issue(SigningKeys keys) {
        return tokens(keys).issue("user-1", "session-1", Set.of(Role.USER), true).token();
    }

    private static String keyIdOf(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class KeySetSource implements Supplier<String> {
        private final AtomicInteger loads = new AtomicInteger();
        private volatile String current;

        KeySetSource(String initial) {
            current = initial;
        }

        void rotate() {
            current = SigningKeys.rotate(current);
        }

        @Override
        public String get() {
            loads.incrementAndGet();
            return current;
        }
    }
}
