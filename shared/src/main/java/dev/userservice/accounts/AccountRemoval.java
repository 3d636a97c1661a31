package dev.userservice.accounts;

import dev.userservice.concurrency.FollowUp;
import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.sessions.SessionGuard;
import dev.userservice.users.AccountErasure;
import dev.userservice.users.User;
import dev.userservice.users.UserService;
import dev.userservice.users.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The deletion of an account, whoever asks for it (its owner or an admin): the account, its claims and
 * {@code user.deleted} in one transaction, every session's tokens refused at once, then everything else the account owns
 * erased for up to {@link #INLINE_ERASURE}. The eraser triggered by {@code user.deleted} finishes what that left, or
 * what a function that died after the transaction left.
 */
final class AccountRemoval {
    /**
     * How long the request erases before it answers and leaves the rest to the queued eraser: an account's partition
     * is erased in well under this, its months of delivery-status markers (one delete each) may not be.
     */
    static final Duration INLINE_ERASURE = Duration.ofSeconds(3);
    private final UserStore users;
    private final UserService views;
    private final SessionGuard sessions;
    private final AccountErasure erasure;
    private final Clock clock;

    AccountRemoval(UserStore users, UserService views, SessionGuard sessions, AccountErasure erasure, Clock clock) {
        this.users = users;
        this.views = views;
        this.sessions = sessions;
        this.erasure = erasure;
        this.clock = clock;
    }

    /**
     * Deletes the account read as {@code read}, or as it is now if it changed since and passes {@code check} (what
     * the caller checked on {@code read}: a changed password must be given again); 404 when it is gone.
     */
    void remove(User read, UserEvents.DeletedBy by, Consumer<User> check) {
        remove(read, by, check, Optional.empty());
    }

    /**
     * As {@link #remove(User, UserEvents.DeletedBy, Consumer)}, while {@code remainingAdmin} is an active admin: an
     * admin account is deleted only then, so no two deletions at once leave none (two admins deleting each other,
     * each the acting admin of one; or deleting themselves, each the other's remaining admin).
     */
    void remove(User read, UserEvents.DeletedBy by, Consumer<User> check, Optional<String> remainingAdmin) {
        String userId = read.id();
        // Read first: the eraser, which the outbox starts moments after the deletion commits, may delete the
        // session items before revokeAll reads them, and a session cached as active would keep its access token.
        List<String> liveSessions = sessions.liveSessionIds(userId);
        AtomicReference<User> current = new AtomicReference<>(read);
        OptimisticRetry.run(() -> {
            if (users.delete(current.get(), UserEvents.deleted(current.get(), by, clock),
                    remainingAdmin.filter(admin -> current.get().isAdmin()))) {
                return Optional.of(true);
            }
            // Changed since it was read (a new email, say): delete the account as it is now.
            User now = users.findById(userId).orElseThrow(AccountUpdates::notFound);
            check.accept(now);
            current.set(now);
            return Optional.empty();
        }, AccountUpdates.BUSY);
        views.forget(userId);
        // Only the cache is told, of the sessions read before and of any begun since. Ending them in the table would
        // deactivate their devices, each with a device.deactivated queued after user.deleted, for a consumer that has
        // forgotten the user to learn the tokens again; the sessions and devices go with the account, and no session
        // of an account that is gone is accepted.
        Set<String> ended = new LinkedHashSet<>(liveSessions);
        FollowUp.run("listing the sessions begun meanwhile", () -> ended.addAll(sessions.liveSessionIds(userId)));
        sessions.ended(userId, List.copyOf(ended));
        FollowUp.run("erasing the account", () -> erasure.eraseUntil(userId, clock.instant().plus(INLINE_ERASURE)));
    }
}
