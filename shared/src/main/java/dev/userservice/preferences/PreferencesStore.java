package dev.userservice.preferences;

import dev.userservice.events.UserEvent;
import java.util.Optional;

/** Where a user's preferences live: one record per user, created with the account and erased with it. */
public interface PreferencesStore {

    /**
     * The user's preferences as stored now (strongly consistent); empty when there is no such account. An account
     * that has never stored any has the defaults, stamped {@link java.time.Instant#EPOCH}.
     */
    Optional<Preferences> find(String userId);

    /**
     * Replaces {@code before} with {@code after} and stores {@code updated} (the outbox event) in one transaction,
     * only if the stored preferences are still {@code before} (same {@code updated_at}), so concurrent changes
     * never overwrite each other (or only if none are stored, for the defaults of {@link #find}). False, with nothing
     * stored, when they changed or the account vanished since they were read.
     */
    boolean replace(String userId, Preferences before, Preferences after, UserEvent updated);
}
