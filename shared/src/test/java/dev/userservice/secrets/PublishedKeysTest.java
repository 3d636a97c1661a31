package dev.userservice.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.userservice.auth.KeySetAuthority;
import dev.userservice.auth.PublishedKeySetStore;
import dev.userservice.auth.SigningKeys;
import dev.userservice.cache.CacheKeys;
import dev.userservice.testing.InMemoryCache;
import dev.userservice.testing.MutableClock;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

public class PublishedKeysTest {
    private static final Duration CACHED_FOR = Duration.ofMinutes(5);
    private static final Instant READ_AT = Instant.parse("2026-12-05T20:00:00Z");
    private static final Instant EXPIRES_AT = READ_AT.plus(Duration.ofDays(1));

    private final String authoritySecret = KeySetAuthority.generate();
    private final KeySetAuthority authority = KeySetAuthority.of(authoritySecret);
    private final ECKey authorityKey = KeySetAuthority.publicKey(authority.publicKeyJson());
    private final MutableClock clock = new MutableClock(READ_AT.plusSeconds(1));
    private final InMemoryCache cache = new InMemoryCache(clock);
    private final Table table = new Table();
    private final PublishedKeys keys = new PublishedKeys(authorityKey, cache, () -> table, CACHED_FOR, clock);

    @Test
    void theCachedSetAnswersWithoutReadingTheTable() {
        String signingSet = SigningKeys.generateKeySetJson();
        cache.put(CacheKeys.publishedKeySet(), authority.sign(signingSet, READ_AT, EXPIRES_AT), CACHED_FOR);

        assertEquals(keyIds(signingSet), keyIds(keys.get()));
        assertEquals(0, table.reads.get());
    }

    @Test
    void withoutACachedSetTheTablesAnswersAndFillsTheCache() {
        String signingSet = SigningKeys.generateKeySetJson();
        table.publish(authority.sign(signingSet, READ_AT, EXPIRES_AT), READ_AT);

        assertEquals(keyIds(signingSet), keyIds(keys.get()));
        assertEquals(table.read(), cache.get(CacheKeys.publishedKeySet()));
    }

    @Test
    void aCachedSetTheAuthorityDidNotSignIsIgnoredForTheTables() {
        String signingSet = SigningKeys.generateKeySetJson();
        table.publish(authority.sign(signingSet, READ_AT, EXPIRES_AT), READ_AT);
        String attackersSet = SigningKeys.generateKeySetJson();
        cache.put(CacheKeys.publishedKeySet(), KeySetAuthority.of(KeySetAuthority.generate()).sign(attackersSet, READ_AT.plusSeconds(60), EXPIRES_AT),
                CACHED_FOR);

        assertEquals(keyIds(signingSet), keyIds(keys.get()));
        assertEquals(table.read(), cache.get(CacheKeys.publishedKeySet()), "the table's set replaces the forged one");
    }

    @Test
    void aCachedSetOlderThanOneAlreadyReadIsIgnoredForTheTables() {
        String older = SigningKeys.generateKeySetJson();
        String newer = SigningKeys.rotate(older);
        table.publish(authority.sign(newer, READ_AT.plusSeconds(60), EXPIRES_AT), READ_AT.plusSeconds(60));
        assertEquals(keyIds(newer), keyIds(keys.get()));

        cache.put(CacheKeys.publishedKeySet(), authority.sign(older, READ_AT, EXPIRES_AT), CACHED_FOR);

        assertEquals(keyIds(newer), keyIds(keys.get()), "an old set put back into the cache");
    }

    /**
     * A cold container has read no newer set to compare with: what keeps it from a set put back into Redis from before
     * a rotation (with a key rotated out, perhaps a leaked one) is the publication's expiry.
     */
    @Test
    void anExpiredSetInTheCacheIsIgnoredForTheTablesEvenByAContainerThatHasReadNone() {
        String older = SigningKeys.generateKeySetJson();
        String newer = SigningKeys.rotate(SigningKeys.rotate(older));
        Instant rotatedAt = EXPIRES_AT.plus(Duration.ofDays(30));
        table.publish(authority.sign(newer, rotatedAt, rotatedAt.plus(Duration.ofDays(1))), rotatedAt);
        clock.advance(Duration.between(clock.instant(), rotatedAt.plusSeconds(60)));

        cache.put(CacheKeys.publishedKeySet(), authority.sign(older, READ_AT, EXPIRES_AT), CACHED_FOR);

        assertEquals(keyIds(newer), keyIds(keys.get()));
        assertEquals(1, table.reads.get());
        assertEquals(table.read(), cache.get(CacheKeys.publishedKeySet()), "the table's set replaces the expired one");
    }

    @Test
    void aSetSignedBeforePublicationsExpiredIsTrustedFromTheTableOnly() throws Exception {
        String signingSet = SigningKeys.generateKeySetJson();
        String withoutExpiry = signedWithoutExpiry(signingSet);
        cache.put(CacheKeys.publishedKeySet(), withoutExpiry, CACHED_FOR);
        table.publish(withoutExpiry, READ_AT);

        assertEquals(keyIds(signingSet), keyIds(keys.get()));
        assertEquals(1, table.reads.get(), "the cache's copy is not trusted");
    }

    @Test
    void anExpiredSetInTheTableStillVerifiesButIsNotCached() {
        String signingSet = SigningKeys.generateKeySetJson();
        table.publish(authority.sign(signingSet, READ_AT, EXPIRES_AT), READ_AT);
        clock.advance(Duration.ofDays(2));

        assertEquals(keyIds(signingSet), keyIds(keys.get()), "a publication not renewed makes the functions slower, not blind");
        assertFalse(cache.contains(CacheKeys.publishedKeySet()));
    }

    @Test
    void beforeTheFirstPublicationNothingVerifiesAndNothingIsCached() {
        assertEquals(List.of(), keyIds(keys.get()));
        assertFalse(cache.contains(CacheKeys.publishedKeySet()));
    }

    @Test
    void aTableSetTheAuthorityDidNotSignIsAnError() {
        table.publish(KeySetAuthority.of(KeySetAuthority.generate()).sign(SigningKeys.generateKeySetJson(), READ_AT, EXPIRES_AT), READ_AT);

        assertThrows(IllegalStateException.class, keys::get);
        assertFalse(cache.contains(CacheKeys.publishedKeySet()));
    }

    @Test
    void aDeadCacheLeavesTheTable() {
        String signingSet = SigningKeys.generateKeySetJson();
        table.publish(authority.sign(signingSet, READ_AT, EXPIRES_AT), READ_AT);
        cache.setDown(true);

        assertEquals(keyIds(signingSet), keyIds(keys.get()));
    }

    @Test
    void signingKeysVerifyTokensWithThePublishedSetAlone() {
        String signingSet = SigningKeys.generateKeySetJson();
        table.publish(authority.sign(signingSet, READ_AT, EXPIRES_AT), READ_AT);
        SigningKeys signing = new SigningKeys(() -> signingSet, Clock.systemUTC());
        SigningKeys published = new SigningKeys(keys, Clock.systemUTC());

        assertTrue(published.verificationKey(signing.signingKey().getKeyID()).isPresent());
        assertThrows(IllegalStateException.class, published::signingKey, "the published set cannot sign");
    }

    /**
     * Two rotations within the cache's time: the set from before them is cached, and the key that signs after the
     * second is not in it (a set publishes the next key, not the one after). A token under that key sends its
     * container to the table at once, past the cache, which it then fills for every other container: even right
     * after it read the cache (here at its start; as well at a scheduled refresh or after a restore).
     */
    @Test
    void aKeyTheCachedSetLacksIsLookedUpInTheTableAndRefillsTheCache() {
        String before = SigningKeys.generateKeySetJson();
        String twice = SigningKeys.rotate(SigningKeys.rotate(before));
        cache.put(CacheKeys.publishedKeySet(), authority.sign(before, READ_AT, EXPIRES_AT), CACHED_FOR);
        table.publish(authority.sign(twice, READ_AT.plusSeconds(1), EXPIRES_AT), READ_AT.plusSeconds(1));
        String newKey = new SigningKeys(() -> twice, clock).signingKey().getKeyID();
        SigningKeys published = new SigningKeys(keys, keys::fromTable, CACHED_FOR, clock);
        assertFalse(keyIds(before).contains(newKey), "the cached set lacks the key that signs now");

        assertTrue(published.verificationKey(newKey).isPresent());
        assertEquals(table.read(), cache.get(CacheKeys.publishedKeySet()));
        int reads = table.reads.get();
        assertTrue(published.verificationKey("made-up").isEmpty());
        assertEquals(reads, table.reads.get(), "a made-up key id reads the table at most every 10 seconds");
    }

    /** A set as the authority signed it before publications carried {@code expires_at}, read at {@link #READ_AT}. */
    private String signedWithoutExpiry(String signingSet) throws Exception {
        ECKey key = JWKSet.parse(authoritySecret).getKeys().get(0).toECKey();
        Map<String, Object> payload = new LinkedHashMap<>(JWKSet.parse(signingSet).toPublicJWKSet().toJSONObject());
        payload.put("read_at", READ_AT.toEpochMilli());
        JWSObject signed = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("jwk-set+jws"))
                .keyID(key.getKeyID()).build(), new Payload(payload));
        signed.sign(new ECDSASigner(key));
        return signed.serialize();
    }

    public static List<String> keyIds(String setJson) {
        try {
            return JWKSet.parse(setJson).getKeys().stream().map(JWK::getKeyID).toList();
        } catch (ParseException e) {
            throw new AssertionError("not a JWK set", e);
        }
    }

    /** The table's conditional put, in memory. */
    public static final class Table implements PublishedKeySetStore {
        private final AtomicInteger reads = new AtomicInteger();
        private String signedSet;
        private Instant readAt = Instant.MIN;

        @Override
        public synchronized Optional<String> read() {
            reads.incrementAndGet();
            return Optional.ofNullable(signedSet);
        }

        @Override
        public synchronized boolean publish(String signedSet, Instant readAt) {
            if (!readAt.isAfter(this.readAt)) {
                return false;
            }
            this.signedSet = signedSet;
            this.readAt = readAt;
            return true;
        }
    }
}
