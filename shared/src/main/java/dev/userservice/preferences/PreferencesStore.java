package dev.userservice.preferences;

import dev.userservice.events.UserEvent;
import java.util.Optional;

/** Where a user's preferences live: one record per user, created with the account and erased with it. */
public interface PreferencesStore {

    /** The user's preferences as stored now (strongly consistent); empty when the user has none, or no account. */
    Optional<Preferences> find(String userId);

    /**
     * Replaces {@code before} with {@code after} and stores {@code updated} (the outbox event) in one transaction,
     * only if the stored preferences are still {@code before} (same {@code updated_at}), so concurrent changes
     * never overwrite each other. False, with nothing stored, when they changed or vanished since they were read.
     */
    boolean replace(String userId, Preferences before, Preferences after, UserEvent updated);
}
