package dev.userservice.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.userservice.auth.KeySetAuthority;
import dev.userservice.auth.PublishedKeySetStore;
import dev.userservice.auth.SigningKeys;
import dev.userservice.cache.CacheKeys;
import dev.userservice.testing.InMemoryCache;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

public class PublishedKeysTest {
    private static final Duration CACHED_FOR = Duration.ofMinutes(5);
    private static final Instant READ_AT = Instant.parse("2026-12-05T20:00:00Z");

    private final KeySetAuthority authority = KeySetAuthority.of(KeySetAuthority.generate());
    private final ECKey authorityKey = KeySetAuthority.publicKey(authority.publicKeyJson());
    private final InMemoryCache cache = new InMemoryCache(Clock.systemUTC());
    private final Table table = new Table();
    private final PublishedKeys keys = new PublishedKeys(authorityKey, cache, () -> table, CACHED_FOR);

    @Test
    void theCachedSetAnswersWithoutReadingTheTable() {
        String signingSet = SigningKeys.generateKeySetJson();
        cache.put(CacheKeys.publishedKeySet(), authority.sign(signingSet, READ_AT), CACHED_FOR);

        assertEquals(keyIds(signingSet), keyIds(keys.get()));
        assertEquals(0, table.reads.get());
    }

    @Test
    void withoutACachedSetTheTablesAnswersAndFillsTheCache() {
        String signingSet = SigningKeys.generateKeySetJson();
        table.publish(authority.sign(signingSet, READ_AT), READ_AT);

        assertEquals(keyIds(signingSet), keyIds(keys.get()));
        assertEquals(table.read(), cache.get(CacheKeys.publishedKeySet()));
    }

    @Test
    void aCachedSetTheAuthorityDidNotSignIsIgnoredForTheTables() {
        String signingSet = SigningKeys.generateKeySetJson();
        table.publish(authority.sign(signingSet, READ_AT), READ_AT);
        String attackersSet = SigningKeys.generateKeySetJson();
        cache.put(CacheKeys.publishedKeySet(), KeySetAuthority.of(KeySetAuthority.generate()).sign(attackersSet, READ_AT.plusSeconds(60)),
                CACHED_FOR);

        assertEquals(keyIds(signingSet), keyIds(keys.get()));
        assertEquals(table.read(), cache.get(CacheKeys.publishedKeySet()), "the table's set replaces the forged one");
    }

    @Test
    void aCachedSetOlderThanOneAlreadyReadIsIgnoredForTheTables() {
        String older = SigningKeys.generateKeySetJson();
        String newer = SigningKeys.rotate(older);
        table.publish(authority.sign(newer, READ_AT.plusSeconds(60)), READ_AT.plusSeconds(60));
        assertEquals(keyIds(newer), keyIds(keys.get()));

        cache.put(CacheKeys.publishedKeySet(), authority.sign(older, READ_AT), CACHED_FOR);

        assertEquals(keyIds(newer), keyIds(keys.get()), "an old set put back into the cache");
    }

    @Test
    void beforeTheFirstPublicationNothingVerifiesAndNothingIsCached() {
        assertEquals(List.of(), keyIds(keys.get()));
        assertFalse(cache.contains(CacheKeys.publishedKeySet()));
    }

    @Test
    void aTableSetTheAuthorityDidNotSignIsAnError() {
        table.publish(KeySetAuthority.of(KeySetAuthority.generate()).sign(SigningKeys.generateKeySetJson(), READ_AT), READ_AT);

        assertThrows(IllegalStateException.class, keys::get);
        assertFalse(cache.contains(CacheKeys.publishedKeySet()));
    }

    @Test
    void aDeadCacheLeavesTheTable() {
        String signingSet = SigningKeys.generateKeySetJson();
        table.publish(authority.sign(signingSet, READ_AT), READ_AT);
        cache.setDown(true);

        assertEquals(keyIds(signingSet), keyIds(keys.get()));
    }

    @Test
    void signingKeysVerifyTokensWithThePublishedSetAlone() {
        String signingSet = SigningKeys.generateKeySetJson();
        table.publish(authority.sign(signingSet, READ_AT), READ_AT);
        SigningKeys signing = new SigningKeys(() -> signingSet, Clock.systemUTC());
        SigningKeys published = new SigningKeys(keys, Clock.systemUTC());

        assertTrue(published.verificationKey(signing.signingKey().getKeyID()).isPresent());
        assertThrows(IllegalStateException.class, published::signingKey, "the published set cannot sign");
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
