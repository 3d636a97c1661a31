package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.userservice.auth.AccessTokens;
import dev.userservice.auth.KeySetAuthority;
import dev.userservice.auth.Role;
import dev.userservice.auth.SigningKeys;
import dev.userservice.cache.CacheKeys;
import dev.userservice.config.ServiceConfig;
import dev.userservice.local.LocalOptions;
import dev.userservice.json.Json;
import dev.userservice.store.DynamoPublishedKeySet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a verifier outside the service relies on: the keys published at {@code /.well-known/jwks.json} and where the
 * discovery document says they are. The signing keys rotate here while every function keeps running (one service,
 * never restarted), as the scheduled rotation does in AWS; the functions read the key set again after one second
 * instead of five minutes, so the test need not wait for them.
 */
class PublishedKeysEndToEndTest {
    private static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);
    private static final String SIGNING_KEY_SECRET = "SigningKeySecret";

    @RegisterExtension
    static final RunningService running = RunningService.start(withRefreshInterval());

    private final Api api = running.api();
    private final Accounts accounts = running.accounts();

    private static Map<String, String> withRefreshInterval() {
        Map<String, String> environment = new HashMap<>(TestEnvironment.FAST);
        environment.put("JWT_KEYS_REFRESH_SECONDS", Long.toString(REFRESH_INTERVAL.toSeconds()));
        return environment;
    }

    @Test
    void tokensSignedAfterRotationsWhileTheFunctionsRunVerifyOfflineAgainstThePublishedKeys() throws Exception {
        String email = uniqueEmail("rotation");
        String tokenBefore = accounts.register(email).accessToken();
        JWKSet cachedByAVerifier = publishedKeys();
        assertVerifiesOffline(tokenBefore, cachedByAVerifier);

        for (int rotation = 1; rotation <= 3; rotation++) {
            String kidBefore = keyId(tokenBefore);
            running.service().rotateSecret(SIGNING_KEY_SECRET);

            String tokenAfter = signInUntilSignedWithAnotherKeyThan(kidBefore, email);
            JWKSet publishedNow = publishedKeysUntilTheyDifferFrom(cachedByAVerifier);

            assertVerifiesOffline(tokenAfter, publishedNow);
            assertVerifiesOffline(tokenAfter, cachedByAVerifier);
            assertVerifiesOffline(tokenBefore, publishedNow);
            assertEquals(200, api.get("/api/v1/users/me", "Authorization", Api.bearer(tokenAfter)).status(),
                    "the service's own verifying functions accept the new token");

            tokenBefore = tokenAfter;
            cachedByAVerifier = publishedNow;
        }
    }

    /**
     * Whoever can write to Redis can replace the published set there, with a key of their own and a set signed by an
     * authority of their own; the functions refuse it for the table's, and a token signed with that key.
     */
    @Test
    void aKeySetInTheCacheThatTheDeploymentsAuthorityDidNotSignVerifiesNothing() throws Exception {
        Instant now = Instant.now();
        assertACachedSetVerifiesNothing("forged-set", (attackersKeys, authority) -> KeySetAuthority.of(KeySetAuthority.generate())
                .sign(attackersKeys, now.plusSeconds(3600), now.plus(Duration.ofDays(1))));
    }

    /**
     * The deployment's own authority signed a set whose publication has expired: a set put back into Redis from
     * before a rotation, holding a key rotated out since (here one the attacker holds, as a leaked key would be).
     * Signed as read later than anything published, so only its expiry refuses it.
     */
    @Test
    void anExpiredPublicationInTheCacheVerifiesNothing() throws Exception {
        Instant now = Instant.now();
        assertACachedSetVerifiesNothing("expired-set", (leakedKeys, authority) ->
                authority.sign(leakedKeys, now.plusSeconds(3600), now.minusSeconds(60)));
    }

    private void assertACachedSetVerifiesNothing(String emailPrefix, BiFunction<String, KeySetAuthority, String> attackersPublication)
            throws Exception {
        String email = uniqueEmail(emailPrefix);
        String genuine = accounts.register(email).accessToken();
        JWTClaimsSet claims = SignedJWT.parse(genuine).getJWTClaimsSet();
        String attackersKeys = SigningKeys.generateKeySetJson();
        ServiceConfig config = ServiceConfig.from(running.service().functionEnvironment("GetCurrentUserFunction"));
        String forged = new AccessTokens(new SigningKeys(() -> attackersKeys, Clock.systemUTC()), config.jwtIssuer(),
                config.jwtAudience(), Duration.ofMinutes(5), Clock.systemUTC())
                .issue(claims.getSubject(), claims.getStringClaim("sid"), Set.of(Role.ADMIN), true).token();
        KeySetAuthority deployments = KeySetAuthority.of(Files.readString(Path.of(
                running.service().functionEnvironment("KeySetAuthorityFunction").get("KEY_SET_AUTHORITY_FILE"))));
        String attackersSet = attackersPublication.apply(attackersKeys, deployments);

        try (Jedis redis = running.redis()) {
            redis.set(CacheKeys.publishedKeySet(), attackersSet);
            Thread.sleep(REFRESH_INTERVAL.multipliedBy(2).toMillis()); // every function's set is due for a refresh

            assertEquals(401, api.get("/api/v1/users/me", "Authorization", Api.bearer(forged)).status());
            assertEquals(200, api.get("/api/v1/users/me", "Authorization", Api.bearer(genuine)).status());
            assertNotEquals(attackersSet, redis.get(CacheKeys.publishedKeySet()), "the table's set replaced the attacker's");
        }
    }

    /** The schedule's run (events/publish-key-set.json) signs the same keys again, for a day from its read. */
    @Test
    void theScheduledPublicationSignsTheCurrentSetForAnotherDay() throws Exception {
        ECKey authority = KeySetAuthority.publicKey(running.service().functionEnvironment("GetCurrentUserFunction").get("KEY_SET_AUTHORITY"));
        KeySetAuthority.Published before = KeySetAuthority.verify(publishedInTheTable(), authority).orElseThrow();

        Instant invokedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS); // as the set keeps its read_at
        byte[] answer = running.service().invoke("PublishKeySetFunction", Files.readAllBytes(LocalOptions.defaults().template().getParent().resolve("events/publish-key-set.json")));

        assertEquals(Map.of("published", true), Json.parseObject(new String(answer, StandardCharsets.UTF_8)));
        KeySetAuthority.Published after = KeySetAuthority.verify(publishedInTheTable(), authority).orElseThrow();
        assertEquals(before.publicSetJson(), after.publicSetJson());
        assertTrue(!after.readAt().isBefore(invokedAt), "read at " + after.readAt() + ", invoked at " + invokedAt);
        assertEquals(after.readAt().plus(Duration.ofDays(1)), after.expiresAt());
    }

    /**
     * A publication that loses to a set read later (another publisher, moments ahead) reads that set to tell a race
     * from a set read in the future: the publishers may read the table, not only write it.
     */
    @Test
    void aPublicationThatLosesToANewerSetReadsItAndStandsDown() throws Exception {
        KeySetAuthority deployments = KeySetAuthority.of(Files.readString(Path.of(
                running.service().functionEnvironment("KeySetAuthorityFunction").get("KEY_SET_AUTHORITY_FILE"))));
        String publicSet = KeySetAuthority.verify(publishedInTheTable(),
                KeySetAuthority.publicKey(running.service().functionEnvironment("GetCurrentUserFunction").get("KEY_SET_AUTHORITY")))
                .orElseThrow().publicSetJson();
        Instant ahead = Instant.now().plusSeconds(20);
        DynamoPublishedKeySet table = new DynamoPublishedKeySet(running.dynamo(), running.table());
        assertTrue(table.publish(deployments.sign(publicSet, ahead, ahead.plus(Duration.ofDays(1))), ahead));
        byte[] event = Files.readAllBytes(LocalOptions.defaults().template().getParent().resolve("events/publish-key-set.json"));
        try {
            assertEquals(Map.of("published", false),
                    Json.parseObject(new String(running.service().invoke("PublishKeySetFunction", event), StandardCharsets.UTF_8)));
        } finally {
            running.dynamo().deleteItem(request -> request.tableName(running.table())
                    .key(Map.of("pk", AttributeValue.fromS("KEYSET"), "sk", AttributeValue.fromS("PUBLISHED"))));
            running.service().invoke("PublishKeySetFunction", event);
        }
    }

    private String publishedInTheTable() {
        return running.dynamo().getItem(request -> request.tableName(running.table()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("KEYSET"), "sk", AttributeValue.fromS("PUBLISHED")))).item().get("signed_set").s();
    }

    @Test
    void aForgedHostHeaderDoesNotChangeWhereDiscoverySendsVerifiers() throws IOException {
        String expected = running.service().apiUrl().toString().replaceAll("/$", "") + "/.well-known/jwks.json";

        Map<String, Object> forged = Json.parseObject(getWithHost("/.well-known/openid-configuration", "attacker.example"));

        assertEquals(expected, forged.get("jwks_uri"));
        assertEquals(expected, api.get("/.well-known/openid-configuration").body().get("jwks_uri"));
    }

    /**
     * Signs in until the token's key differs from {@code keyId}: the sign-in function reads the rotated set within
     * its refresh interval.
     */
    private String signInUntilSignedWithAnotherKeyThan(String keyId, String email) throws Exception {
        return within(() -> accounts.login(email).accessToken(), token -> !keyId(token).equals(keyId),
                "still signing with " + keyId + " long after the rotation");
    }

    /**
     * The published set once it holds a key {@code cached} lacks, the rotation's new next key: the JWKS function
     * reads the rotated set within its own refresh interval, independently of the sign-in function.
     */
    private JWKSet publishedKeysUntilTheyDifferFrom(JWKSet cached) throws Exception {
        return within(this::publishedKeys, published -> !keyIds(cached).containsAll(keyIds(published)),
                "the rotation's next key is still unpublished long after it");
    }

    /** What {@code attempt} gives once {@code done}, tried again and again for a generous multiple of the interval. */
    private static <T> T within(Callable<T> attempt, Predicate<T> done, String failure) throws Exception {
        Instant giveUp = Instant.now().plus(REFRESH_INTERVAL.multipliedBy(20));
        while (true) {
            T result = attempt.call();
            if (done.test(result)) {
                return result;
            }
            assertTrue(Instant.now().isBefore(giveUp), failure);
            Thread.sleep(REFRESH_INTERVAL.toMillis() / 4);
        }
    }

    private JWKSet publishedKeys() throws Exception {
        Api.Response jwks = api.get("/.well-known/jwks.json");
        assertEquals(200, jwks.status(), jwks.text());
        return JWKSet.parse(jwks.text());
    }

    /** Verifies as a service outside this one does: the published keys alone, no call to the service. */
    private static void assertVerifiesOffline(String token, JWKSet published) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(published)));
        JWTClaimsSet claims = processor.process(token, null);
        assertNotEquals(null, claims.getSubject());
    }

    private static String keyId(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (ParseException e) {
            throw new AssertionError("not a JWT", e);
        }
    }

    private static Set<String> keyIds(JWKSet set) {
        return new HashSet<>(set.getKeys().stream().map(JWK::getKeyID).toList());
    }

    /** A request with a Host header of the caller's choosing, which Java's HTTP clients do not allow to set. */
    private String getWithHost(String path, String host) throws IOException {
        try (Socket socket = new Socket("localhost", running.service().apiUrl().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nAccept: application/json\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200") || response.startsWith("HTTP/1.0 200"), response);
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }
}
