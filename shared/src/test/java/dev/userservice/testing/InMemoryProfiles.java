package dev.userservice.testing;

import dev.userservice.accounts.Profile;
import dev.userservice.accounts.ProfileStore;
import dev.userservice.users.User;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Profiles as a table would keep them: by user, written only over the version read. */
public final class InMemoryProfiles implements ProfileStore {
    private final Map<String, Profile> byUser = new HashMap<>();

    @Override
    public synchronized Optional<Profile> find(String userId) {
        return Optional.ofNullable(byUser.get(userId));
    }

    @Override
    public synchronized Map<String, Profile> findAll(Collection<String> userIds) {
        Map<String, Profile> found = new HashMap<>();
        userIds.forEach(userId -> find(userId).ifPresent(profile -> found.put(userId, profile)));
        return found;
    }

    @Override
    public synchronized boolean save(User owner, Optional<Instant> readVersion, Profile profile) {
        if (!readVersion.equals(find(owner.id()).map(Profile::updatedAt))) {
            return false;
        }
        byUser.put(owner.id(), profile);
        return true;
    }
}
