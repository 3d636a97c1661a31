package dev.userservice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.SignedJWT;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SigningKeysTest {
    private static final Instant START = Instant.parse("2025-01-15T10:00:00Z");
    private static final String ISSUER = "https://users.example.com";
    private static final String AUDIENCE = "user-service";

    private final MutableClock clock = new MutableClock(START);
    /** The secret as Secrets Manager holds it, counting how often a container fetches it. */
    private final KeySetSource secret = new KeySetSource(SigningKeys.generateKeySetJson());

    @Test
    void aStoredSetsTextNamesItsKeysWithoutTheirSecrets() throws ParseException {
        String set = SigningKeys.generateKeySetJson();
        JwkSetJson.StoredSet stored = JwkSetJson.parse(set);

        String text = stored.toString();

        for (JWK key : JWKSet.parse(set).getKeys()) {
            assertTrue(text.contains(key.getKeyID()), text);
            assertFalse(text.contains(key.toECKey().getD().toString()), "a private key's secret: " + text);
        }
    }

    @Test
    void generatedSetHoldsASigningKeyAndPublishesTheNextOne() throws ParseException {
        String set = SigningKeys.generateKeySetJson();

        assertEquals(2, JWKSet.parse(set).getKeys().size());
        assertTrue(SigningKeys.canSign(set));
        assertTrue(SigningKeys.publishesNextKey(set));
        assertNotEquals(new SigningKeys(() -> set, clock).signingKey().getKeyID(), nextKid(set));
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

        ServiceException refused = assertThrows(ServiceException.class, () -> tokens(current).verify(ancientToken));
        assertEquals(ErrorCode.UNAUTHORIZED, refused.error());
        assertEquals(Optional.empty(), current.verificationKey(first.signingKey().getKeyID()));
    }

    @Test
    void rotationMakesThePublishedNextKeyCurrentAndPublishesAFreshNextKey() throws ParseException {
        String original = secret.get();
        String currentKid = JWKSet.parse(original).getKeys().getFirst().getKeyID();
        String nextKid = nextKid(original);

        String rotatedSet = SigningKeys.rotate(original);

        List<String> rotated = JWKSet.parse(rotatedSet).getKeys().stream().map(JWK::getKeyID).toList();
        assertEquals(3, rotated.size());
        assertEquals(nextKid, rotated.get(0), "the key published a rotation ago signs");
        assertEquals(currentKid, rotated.get(2), "the key that signed before still verifies");
        assertEquals(rotated.get(1), nextKid(rotatedSet), "a fresh key is published ahead of its use");
        assertTrue(SigningKeys.canSign(rotatedSet));
        assertEquals(nextKid, new SigningKeys(() -> rotatedSet, clock).signingKey().getKeyID());
    }

    @Test
    void aKeySignsOnlyAfterARotationHasPublishedIt() {
        SigningKeys keys = new SigningKeys(secret, clock);
        List<String> publishedBefore = publishedKids(keys);

        for (int rotation = 0; rotation < 4; rotation++) {
            secret.rotate();
            keys.markStale();
            assertTrue(publishedBefore.contains(keys.signingKey().getKeyID()),
                    "rotation " + rotation + " signs with a key published before it");
            publishedBefore = publishedKids(keys);
        }
    }

    @Test
    void firstRotationOfAnEmptySetCreatesASigningKeyAndTheNextOne() {
        String rotated = SigningKeys.rotate("{\"keys\":[]}");

        assertTrue(SigningKeys.canSign(rotated));
        assertTrue(SigningKeys.publishesNextKey(rotated));
    }

    @Test
    void aNextKeyNeverSignsBeforeItsRotation() {
        String nextFirst = "{\"keys\":" + Json.write(keyMembers(secret.get()).reversed()) + ",\"next_kid\":\"" + nextKid(secret.get()) + "\"}";

        assertFalse(SigningKeys.canSign(nextFirst));
        assertThrows(IllegalStateException.class, () -> new SigningKeys(() -> nextFirst, clock).signingKey());
    }

    @Test
    void unknownKidReloadsTheSetAtMostOncePerInterval() {
        SigningKeys keys = new SigningKeys(secret, clock);
        int loadsAtStart = secret.loads.get();

        keys.verificationKey("unknown-1");
        clock.advance(Reloading.RETRY_INTERVAL.plusSeconds(1));
        keys.verificationKey("unknown-2");
        keys.verificationKey("unknown-3");
        clock.advance(Reloading.RETRY_INTERVAL.dividedBy(2));
        keys.verificationKey("unknown-4");

        assertEquals(1, loadsAtStart);
        assertEquals(2, secret.loads.get());

        clock.advance(Reloading.RETRY_INTERVAL.dividedBy(2).plusSeconds(1));
        keys.verificationKey("unknown-5");

        assertEquals(3, secret.loads.get());
    }

    @Test
    void aSetWithoutASigningKeyYetIsReloadedUntilTheFirstRotationArrives() {
        AtomicReference<String> stored = new AtomicReference<>("{\"keys\":[]}");
        SigningKeys keys = new SigningKeys(stored::get, clock);
        assertThrows(IllegalStateException.class, keys::signingKey);

        stored.set(SigningKeys.generateKeySetJson());
        clock.advance(Reloading.RETRY_INTERVAL.plusSeconds(1));

        assertTrue(keys.signingKey().isPrivate(), "the container signs once the rotation has put in a key");
    }

    @Test
    void aRestoredSnapshotPublishesTheKeysRotatedInSinceItWasTaken() {
        SigningKeys keys = new SigningKeys(secret, clock);
        secret.rotate();

        keys.markStale();

        assertTrue(publishedKids(keys).contains(nextKid(secret.get())));
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
    void knownKidDoesNotReloadWithinTheRefreshInterval() {
        SigningKeys keys = new SigningKeys(secret, clock);
        String kid = keys.signingKey().getKeyID();

        clock.advance(SigningKeys.DEFAULT_REFRESH_INTERVAL.minusSeconds(1));
        keys.verificationKey(kid);
        keys.signingKey();
        keys.publicJwks();

        assertEquals(1, secret.loads.get());
    }

    // ---- the refresh rules: every use sees a rotation within the refresh interval

    @Test
    void aSigningContainerSignsWithTheRotatedKeyOnceItsSetIsOlderThanTheRefreshInterval() {
        SigningKeys keys = new SigningKeys(secret, clock);
        String before = keys.signingKey().getKeyID();
        secret.rotate();

        clock.advance(SigningKeys.DEFAULT_REFRESH_INTERVAL.minusSeconds(1));
        assertEquals(before, keys.signingKey().getKeyID(), "within the interval the set read stays in use");

        clock.advance(Duration.ofSeconds(1));
        assertEquals(new SigningKeys(secret, clock).signingKey().getKeyID(), keys.signingKey().getKeyID());
    }

    @Test
    void thePublishedSetGainsTheRotationsNextKeyWithinTheRefreshInterval() {
        SigningKeys keys = new SigningKeys(secret, clock);
        secret.rotate();
        String newNextKey = nextKid(secret.get());

        clock.advance(SigningKeys.DEFAULT_REFRESH_INTERVAL);

        assertTrue(publishedKids(keys).contains(newNextKey));
    }

    @Test
    void aConfiguredRefreshIntervalBoundsHowLongARotationGoesUnseen() {
        SigningKeys keys = new SigningKeys(secret, Duration.ofSeconds(1), clock);
        secret.rotate();

        clock.advance(Duration.ofSeconds(1));

        assertEquals(new SigningKeys(secret, clock).signingKey().getKeyID(), keys.signingKey().getKeyID(),
                "an interval shorter than the reload interval still applies");
    }

    @Test
    void aKeyDroppedFromTheStoreStopsVerifyingWithinTheRefreshInterval() {
        SigningKeys keys = new SigningKeys(secret, clock);
        String dropped = keys.signingKey().getKeyID();
        secret.rotate();
        secret.rotate();

        assertTrue(keys.verificationKey(dropped).isPresent(), "the set read before the rotations still holds it");
        clock.advance(SigningKeys.DEFAULT_REFRESH_INTERVAL);

        assertEquals(Optional.empty(), keys.verificationKey(dropped));
    }

    @Test
    void aFailedRefreshKeepsTheSetInUseAndIsRetriedAfterTheReloadInterval() {
        AtomicReference<String> stored = new AtomicReference<>(secret.get());
        AtomicInteger reads = new AtomicInteger();
        SigningKeys keys = new SigningKeys(() -> {
            reads.incrementAndGet();
            String set = stored.get();
            if (set == null) {
                throw new IllegalStateException("the store is unreachable");
            }
            return set;
        }, clock);
        String kid = keys.signingKey().getKeyID();
        stored.set(null);

        clock.advance(SigningKeys.DEFAULT_REFRESH_INTERVAL);
        assertEquals(kid, keys.signingKey().getKeyID(), "an unreachable store fails no request");
        keys.signingKey();
        assertEquals(2, reads.get(), "not read again at once");

        stored.set(SigningKeys.rotate(secret.get()));
        clock.advance(Reloading.RETRY_INTERVAL);
        assertNotEquals(kid, keys.signingKey().getKeyID(), "read again after the reload interval");
        assertEquals(3, reads.get());
    }

    /**
     * A restored copy whose first read fails does not fall back on the snapshot's set, which may be rotations old (a
     * leaked key dropped since among it): 503 until a read succeeds, spaced as any retry.
     */
    @Test
    void aRestoredCopyWhoseReadFailsUsesNotTheSnapshotsSet() {
        AtomicReference<String> stored = new AtomicReference<>(secret.get());
        SigningKeys keys = new SigningKeys(() -> {
            String set = stored.get();
            if (set == null) {
                throw new IllegalStateException("the store is unreachable");
            }
            return set;
        }, clock);
        keys.signingKey();
        stored.set(null);

        keys.markStale();

        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, assertThrows(ServiceException.class, keys::signingKey).error());
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, assertThrows(ServiceException.class, keys::signingKey).error(), "until read");
        stored.set(SigningKeys.rotate(secret.get()));
        clock.advance(Reloading.RETRY_INTERVAL);
        assertTrue(keys.signingKey().isPrivate(), "read again after the retry interval");
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
        assertEquals(3, published.size(), "current, next and previous");
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

    // ---- the stored format: sets written before the service stopped using nimbus's JSON still work

    /**
     * A rotated key set as the service stored it while nimbus wrote its JSON (throwaway test keys), with the derived
     * secret that version computed from it.
     */
    private static final String SET_STORED_BY_NIMBUS = "{\"keys\":[{\"kty\":\"EC\",\"d\":\"4Hztjr_QCXiVna7OJ9CUCflG2zxB2lIxHxNZmZLytZk\",\"use\":\"sig\",\"crv\":\"P-256\",\"kid\":\"37b2bd66-2052-4446-b747-0649260ec68b\",\"x\":\"6ODBGmuvlXDMosva7dem0prdXr9WwWp3s-Ek8MuKBp0\",\"y\":\"nlXFqPuD1T_ev0NkvnRSu__EydepdIA10cjR0_x-sew\",\"alg\":\"ES256\",\"iat\":1795411111},"
            + "{\"kty\":\"EC\",\"d\":\"2LEokiPUvJXeTVIj7tAcYCVTR7OzB-nvSO96S7QGlrw\",\"use\":\"sig\",\"crv\":\"P-256\",\"kid\":\"0b34cbd7-8d75-4737-8382-f135a206a484\",\"x\":\"BP2Vsih5i4UkX49SByCuIgbXKvfP1vkxzdaqBONVQrA\",\"y\":\"LVz1fGCBTEtDvjf6hH8bppL08QrTCh_-S6TvovuDjuQ\",\"alg\":\"ES256\",\"iat\":1795411105}]}";

    @Test
    void setStoredByNimbusLoadsWithTheSameKeys() throws ParseException {
        SigningKeys keys = new SigningKeys(() -> SET_STORED_BY_NIMBUS, clock);
        List<JWK> asNimbusReadsIt = JWKSet.parse(SET_STORED_BY_NIMBUS).getKeys();

        assertEquals(asNimbusReadsIt.get(0), keys.signingKey());
        assertEquals(Optional.of(asNimbusReadsIt.get(1)), keys.verificationKey(asNimbusReadsIt.get(1).getKeyID()));
    }

    @Test
    void generatedSetReadsWithNimbusAsTheSameSigningKey() throws ParseException {
        String set = SigningKeys.generateKeySetJson();

        ECKey asNimbusReadsIt = (ECKey) JWKSet.parse(set).getKeys().getFirst();

        assertEquals(asNimbusReadsIt, new SigningKeys(() -> set, clock).signingKey());
        assertEquals(Curve.P_256, asNimbusReadsIt.getCurve());
        assertEquals(KeyUse.SIGNATURE, asNimbusReadsIt.getKeyUse());
        assertEquals(JWSAlgorithm.ES256, asNimbusReadsIt.getAlgorithm());
        assertTrue(asNimbusReadsIt.isPrivate());
        assertTrue(asNimbusReadsIt.getIssueTime() != null);
    }

    @Test
    void aSetStoredBeforeNextKeysKeepsItsSigningKeyThroughOneRotationWhileItsSuccessorIsPublished() {
        String rotated = SigningKeys.rotate(SET_STORED_BY_NIMBUS);

        assertEquals(keyMembers(SET_STORED_BY_NIMBUS).get(0), keyMembers(rotated).get(0), "still signs, as it was stored");
        assertEquals(keyMembers(SET_STORED_BY_NIMBUS).get(1), keyMembers(rotated).get(2), "still verifies, as it was stored");
        assertTrue(SigningKeys.publishesNextKey(rotated));
        String successor = nextKid(rotated);
        assertEquals(successor, new SigningKeys(() -> SigningKeys.rotate(rotated), clock).signingKey().getKeyID());
    }

    @Test
    void publishedSetIsWhatNimbusWouldPublish() throws ParseException {
        SigningKeys keys = new SigningKeys(() -> SET_STORED_BY_NIMBUS, clock);

        JWKSet published = JWKSet.parse(Json.write(keys.publicJwks()));

        assertEquals(JWKSet.parse(SET_STORED_BY_NIMBUS).toPublicJWKSet().getKeys(), published.getKeys());
        assertEquals(JWKSet.parse(SET_STORED_BY_NIMBUS).toPublicJWKSet().toJSONObject(), Json.parseObject(Json.write(keys.publicJwks())));
    }

    @Test
    void keysTheServiceCannotUseAreSkipped() {
        String set = "{\"keys\":["
                + "{\"kty\":\"RSA\",\"kid\":\"rsa\",\"n\":\"sXch\",\"e\":\"AQAB\"},"
                + "{\"kty\":\"EC\",\"crv\":\"P-384\",\"kid\":\"p384\",\"x\":\"AA\",\"y\":\"AA\"},"
                + "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"},"
                + SET_STORED_BY_NIMBUS.substring("{\"keys\":[".length());

        SigningKeys keys = new SigningKeys(() -> set, clock);

        assertEquals(new SigningKeys(() -> SET_STORED_BY_NIMBUS, clock).signingKey(), keys.signingKey());
        assertEquals(Optional.empty(), keys.verificationKey("rsa"));
        assertEquals(Optional.empty(), keys.verificationKey("p384"));
    }

    /** A public P-256 key with only the members it needs, to be spoiled one way at a time; its object is left open. */
    private static final String MINIMAL_KEY = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k\","
            + "\"x\":\"BP2Vsih5i4UkX49SByCuIgbXKvfP1vkxzdaqBONVQrA\",\"y\":\"LVz1fGCBTEtDvjf6hH8bppL08QrTCh_-S6TvovuDjuQ\"";

    @Test
    void minimalPublicKeyLoadsForVerification() {
        SigningKeys keys = new SigningKeys(() -> "{\"keys\":[" + MINIMAL_KEY + "}]}", clock);

        assertTrue(keys.verificationKey("k").isPresent());
        assertFalse(keys.verificationKey("k").orElseThrow().isPrivate());
    }

    static Stream<Named<String>> malformedSets() {
        return Stream.of(
                Named.of("not JSON", "keys"),
                Named.of("an array", "[]"),
                Named.of("no keys", "{}"),
                Named.of("keys not an array", "{\"keys\":{}}"),
                Named.of("a key not an object", "{\"keys\":[5]}"),
                Named.of("no x", "{\"keys\":[" + MINIMAL_KEY.replace("\"x\"", "\"w\"") + "}]}"),
                Named.of("x as a number", "{\"keys\":[" + MINIMAL_KEY.replace("\"x\":\"BP2Vsih5i4UkX49SByCuIgbXKvfP1vkxzdaqBONVQrA\"", "\"x\":5") + "}]}"),
                Named.of("a point off the curve", "{\"keys\":[" + MINIMAL_KEY.replace("BP2V", "CP2V") + "}]}"),
                Named.of("iat as a string", "{\"keys\":[" + MINIMAL_KEY + ",\"iat\":\"1795411105\"}]}"),
                Named.of("a member twice", "{\"keys\":[" + MINIMAL_KEY + ",\"kid\":\"k2\"}]}"));
    }

    @ParameterizedTest
    @MethodSource("malformedSets")
    void malformedSetIsRefusedAtLoad(String set) {
        assertThrows(IllegalStateException.class, () -> new SigningKeys(() -> set, clock));
    }

    @Test
    void errorAboutAMalformedSetNeverQuotesIt() {
        String privateScalar = "2LEokiPUvJXeTVIj7tAcYCVTR7OzB-nvSO96S7QGlrw";
        String unquoted = SET_STORED_BY_NIMBUS.replace("\"" + privateScalar + "\"", privateScalar);

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new SigningKeys(() -> unquoted, clock));

        assertFalse(String.valueOf(refused.getMessage()).contains(privateScalar.substring(0, 8)));
        assertEquals(null, refused.getCause(), "a parser's message could quote the set");
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

    private static String nextKid(String set) {
        return (String) Json.parseObject(set).get("next_kid");
    }

    @SuppressWarnings("unchecked")
    private static List<String> publishedKids(SigningKeys keys) {
        return ((List<Map<String, Object>>) keys.publicJwks().get("keys")).stream().map(key -> (String) key.get("kid")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> keyMembers(String set) {
        return (List<Object>) Json.parseObject(set).get("keys");
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
