package dev.userservice.accounts;

import dev.userservice.users.User;
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
     * Stores {@code owner}'s {@code profile} if the stored one is still the version last changed at
     * {@code readVersion} (empty: none stored) and the account still exists; when it makes the name private or public
     * again, only while the account's name and its privacy are still as {@code owner} read them, and the account's
     * {@link User#namePrivate} with it. False, with nothing changed, otherwise.
     */
    boolean save(User owner, Optional<Instant> readVersion, Profile profile);
}
