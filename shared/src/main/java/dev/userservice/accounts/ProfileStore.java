package dev.userservice.accounts;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Where extended profiles live, one per account, erased with it. */
public interface ProfileStore {

    /** The stored profile; empty when the user never wrote one. */
    Optional<Profile> find(String userId);

    /** The stored profiles of those of {@code userIds} who wrote one, by user id, read together. */
    Map<String, Profile> findAll(Collection<String> userIds);

    /**
     * Stores {@code profile} if the stored one is still the version last changed at {@code readVersion} (empty: none
     * stored) and the account still exists. False, with nothing changed, otherwise.
     */
    boolean save(String userId, Optional<Instant> readVersion, Profile profile);
}
