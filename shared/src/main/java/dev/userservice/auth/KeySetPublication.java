package dev.userservice.auth;

import java.time.Clock;
import java.time.Instant;

/**
 * Publishes the signing keys' public half, signed by the key-set authority, for the functions that only verify
 * ({@code secrets.PublishedKeys}). A deployment makes the authority if its secret holds none and publishes the
 * current set ({@link #deploy}), so a stack that existed before publication has a published set from its first
 * deployment with it; the rotation then publishes each set it makes current.
 */
public final class KeySetPublication {
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
        KeySetAuthority.of(KeySetAuthority.generate()).sign(SigningKeys.generateKeySetJson(), Instant.now());
    }

    /** The rotation's step, once it has made a set current. */
    public void publishCurrent() {
        publishCurrent(KeySetAuthority.of(authoritySecret.read().orElseThrow(
                () -> new IllegalStateException("The key-set authority has not been made: deploy the stack first"))));
    }

    /**
     * Publishes the current set, unless it holds no key yet (a new deployment before its first rotation, which
     * publishes its set itself) or a set read later is published already. The instant is taken before the read, so
     * of two publishers the one that read the newer set wins.
     */
    private void publishCurrent(KeySetAuthority authority) {
        Instant readAt = clock.instant();
        String current = signingKeys.current();
        if (!JwkSetJson.parse(current).keys().isEmpty()) {
            published.publish(authority.sign(current, readAt), readAt);
        }
    }
}
