package dev.userservice.secrets;

import com.nimbusds.jose.jwk.ECKey;
import dev.userservice.auth.KeySetAuthority;
import dev.userservice.auth.PublishedKeySetStore;
import dev.userservice.auth.SigningKeys;
import dev.userservice.cache.Cache;
import dev.userservice.cache.CacheKeys;
import dev.userservice.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The verification keys as published ({@link KeySetAuthority}): the source of {@link SigningKeys} in a function that
 * has the authority's public key. The cache answers first; the table when the cache has no set, or one the authority
 * did not sign, or one whose publication has expired, or one older than a set this container has read already (the
 * last two: an old set put back into Redis); the table's set then fills the cache for a refresh interval. So checking
 * a token reads no secret and, while Redis has the set, builds no AWS client. The table's set is trusted expired too:
 * the table is the service's root of trust anyway (whoever can write it can change any account), and a publication
 * that was not renewed makes the functions slower, not blind.
 */
public final class PublishedKeys implements Supplier<String> {
    /** What a function verifies with before the first publication: nothing, as before the first rotation. */
    private static final String NOTHING_PUBLISHED = "{\"keys\":[]}";

    private final ECKey authority;
    private final Cache cache;
    private final Supplier<PublishedKeySetStore> store;
    private final Duration cachedFor;
    private final Clock clock;
    private volatile Instant newestRead = Instant.MIN;

    /** {@code store} is asked for only when the cache cannot answer. */
    public PublishedKeys(ECKey authority, Cache cache, Supplier<PublishedKeySetStore> store, Duration cachedFor, Clock clock) {
        this.authority = authority;
        this.cache = cache;
        this.store = store;
        this.cachedFor = cachedFor;
        this.clock = clock;
    }

    @Override
    public String get() {
        Instant now = clock.instant();
        Optional<KeySetAuthority.Published> cached = cache.get(CacheKeys.publishedKeySet()).flatMap(this::verifiedFromCache);
        if (cached.isPresent() && !cached.get().expiredAt(now) && !cached.get().readAt().isBefore(newestRead)) {
            return read(cached.get());
        }
        return fromTable();
    }

    /**
     * The table's set, past the cache, which it fills: what a container reads when a token names a key the cached set
     * lacks, as after two rotations within the cache's time (the first's set cached, the second's key signing).
     */
    public String fromTable() {
        Instant now = clock.instant();
        Optional<String> stored = store.get().read();
        if (stored.isEmpty()) {
            return NOTHING_PUBLISHED;
        }
        KeySetAuthority.Published published = KeySetAuthority.verify(stored.get(), authority).orElseThrow(
                () -> new IllegalStateException("The published key set is not signed by this deployment's key-set authority"));
        if (published.expiredAt(now)) {
            // Cached, it would be refused again: every cold container reads the table until the set is published anew.
            Log.warn("the published key set has expired and is read from the table until it is published again",
                    Map.of("expired_at", published.expiresAt().toString()));
        } else if (!published.readAt().isBefore(newestRead)) {
            // Not a set older than one this container has read (a slow read racing a publication) over the newer one.
            cache.put(CacheKeys.publishedKeySet(), stored.get(), cachedFor);
        }
        return read(published);
    }

    private Optional<KeySetAuthority.Published> verifiedFromCache(String signedSet) {
        Optional<KeySetAuthority.Published> published = KeySetAuthority.verify(signedSet, authority);
        if (published.isEmpty()) {
            Log.warn("the cache holds a key set the key-set authority did not sign; reading the table's",
                    Map.of("cache_key", CacheKeys.publishedKeySet()));
        }
        return published;
    }

    private String read(KeySetAuthority.Published published) {
        if (published.readAt().isAfter(newestRead)) {
            newestRead = published.readAt();
        }
        return published.publicSetJson();
    }
}
