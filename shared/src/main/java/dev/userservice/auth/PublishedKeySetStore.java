package dev.userservice.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the signed public key set is published ({@link KeySetAuthority}): the table in every environment. Only the
 * newest publication is kept: one of a set read earlier than the one published is refused, so two publishers
 * racing (a deployment and a rotation) cannot put an older set back.
 */
public interface PublishedKeySetStore {
    /** The published set, as the authority signed it; empty before the first publication. */
    Optional<String> read();

    /**
     * Publishes {@code signedSet}, whose signing set was read at {@code readAt}, unless a set read at that instant or
     * later is published already.
     *
     * @return whether it was published
     */
    boolean publish(String signedSet, Instant readAt);
}
