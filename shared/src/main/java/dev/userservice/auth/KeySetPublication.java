package dev.userservice.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Publishes the signing keys' public half, signed by the key-set authority, for the functions that only verify
 * ({@code secrets.PublishedKeys}). A deployment makes the authority if its secret holds none and publishes the
 * current set ({@link #deploy}), so a stack that existed before publication has a published set from its first
 * deployment with it; the rotation then publishes each set it makes current, and a schedule publishes the current set
 * again well within each publication's {@link #VALIDITY}.
 */
public final class KeySetPublication {
    /**
     * How long a publication may be trusted from the cache: as long as a set replayed into Redis could still be taken
     * after the keys rotated past it. A day leaves the schedule ({@code PublishKeySetFunction}, every six hours) three
     * runs to miss before the functions stop trusting the cache's set and read the table's instead.
     */
    public static final Duration VALIDITY = Duration.ofDays(1);
    /** How far ahead of this function's clock another publisher's may be: Lambda's hosts keep theirs within milliseconds. */
    private static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(1);

    private final KeySetAuthoritySecret authoritySecret;
    private final SigningKeyStore signingKeys;
    private final PublishedKeySetStore published;
    private final Clock clock;

    public KeySetPublication(KeySetAuthoritySecret authoritySecret, SigningKeyStore signingKeys,
            PublishedKeySetStore published, Clock clock) {
        this.authoritySecret = authoritySecret;
        this.signingKeys = signingKeys;
        this.published = published;
        this.clock = clock;
    }

    /**
     * The deployment's step: makes the authority unless its secret holds one already (an earlier deployment's, or
     * an attempt that failed after storing it), publishes the current set, and answers the authority's public key
     * for every function's configuration ({@code KEY_SET_AUTHORITY}).
     */
    public String deploy() {
        KeySetAuthority authority = authoritySecret.read().filter(KeySetAuthority::holdsKey).map(KeySetAuthority::of)
                .orElseGet(() -> {
                    String made = KeySetAuthority.generate();
                    authoritySecret.write(made);
                    return KeySetAuthority.of(made);
                });
        publishCurrent(authority);
        return authority.publicKeyJson();
    }

    /** A new authority signing a new set, in memory only: the work of {@link #deploy} that reads and stores nothing. */
    public static void prime() {
        Instant now = Instant.now();
        KeySetAuthority.of(KeySetAuthority.generate()).sign(SigningKeys.generateKeySetJson(), now, now.plus(VALIDITY));
    }

    /**
     * The rotation's step, once it has made a set current, and the schedule's, which renews the publication.
     *
     * @return whether a set was published: not while the current set holds no key, nor when a publisher that read
     *     the keys later won the race to the table
     * @throws IllegalStateException when the table holds a set this authority did not sign, or one read in the
     *     future: it refuses every publication until then, so the rotation and the schedule fail (and alarm) rather
     *     than answer as if they had published
     */
    public boolean publishCurrent() {
        return publishCurrent(authority());
    }

    /**
     * The rotation's finish, before it makes {@code pending} current: the set publishes the key that will sign and
     * still the one that signs now (as previous), so verifiers have both before the switch, even when the last
     * rotation's own publication failed and the table still holds the set before it.
     */
    public boolean publishPending(String pending) {
        return publish(authority(), clock.instant(), pending);
    }

    private KeySetAuthority authority() {
        return KeySetAuthority.of(authoritySecret.read().orElseThrow(
                () -> new IllegalStateException("The key-set authority has not been made: deploy the stack first")));
    }

    /**
     * Publishes the current set, unless it holds no key yet (a new deployment before its first rotation, which
     * publishes its set itself) or a set read later is published already. The instant is taken before the read, so
     * of two publishers the one that read the newer set wins.
     */
    private boolean publishCurrent(KeySetAuthority authority) {
        Instant readAt = clock.instant();
        return publish(authority, readAt, signingKeys.current());
    }

    private boolean publish(KeySetAuthority authority, Instant readAt, String keySet) {
        if (JwkSetJson.parse(keySet).keys().isEmpty()) {
            return false;
        }
        if (published.publish(authority.sign(keySet, readAt, readAt.plus(VALIDITY)), readAt)) {
            return true;
        }
        Optional<KeySetAuthority.Published> newer = published.read().flatMap(authority::verify);
        if (newer.isEmpty() || newer.get().readAt().isAfter(clock.instant().plus(CLOCK_TOLERANCE))) {
            throw new IllegalStateException("The table holds a published key set that "
                    + (newer.isEmpty() ? "this key-set authority did not sign" : "was read in the future, at " + newer.get().readAt())
                    + ", which refuses every publication: see operations.md, Verification keys");
        }
        return false;
    }
}
