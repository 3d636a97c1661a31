package dev.userservice.accounts;

import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.concurrency.OptimisticWrites;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.UserEvent;
import dev.userservice.users.User;
import dev.userservice.users.UserService;
import dev.userservice.users.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Read, change, write-if-unchanged for one account: the write is conditioned on the account being as it was read
 * ({@link UserStore#update}), and when another write got there first the change is worked out again on the fresh
 * account, so concurrent updates (two attribute merges, say) both land instead of one overwriting the other.
 */
final class AccountUpdates {
    /** What a change that keeps losing to other writers is refused with, a 503 {@code service_unavailable}. */
    static final String BUSY = "The account is being changed by other requests; try again";
    private final UserStore users;
    private final UserService views;
    private final Clock clock;

    AccountUpdates(UserStore users, UserService views, Clock clock) {
        this.users = users;
        this.views = views;
        this.clock = clock;
    }

    /**
     * What to store for one account: its new version, the events of the change, a verification token if any, and
     * the acting admin, if any, who must still be an active admin as it is stored.
     */
    record Write(User after, Optional<UserStore.EmailVerification> verification, List<UserEvent> events,
                 Optional<String> actingAdmin) {
        Write(User after, Optional<UserStore.EmailVerification> verification, List<UserEvent> events) {
            this(after, verification, events, Optional.empty());
        }
    }

    /** The account as the stored change found it, the account after it, and whether anything was written. */
    record Outcome(User before, User user, boolean changed) {}

    /**
     * Applies {@code change} to the current account until it is stored. {@code change} receives the account and
     * the time to stamp as {@code updated_at}; it returns empty when there is nothing to change, and may throw
     * {@link ServiceException} to refuse, with nothing stored. 404 when the account does not exist.
     */
    Outcome apply(String userId, ChangeFunction change) {
        return OptimisticRetry.run(() -> {
            User before = users.findById(userId).orElseThrow(AccountUpdates::notFound);
            Optional<Write> write = change.apply(before, OptimisticWrites.nextUpdatedAt(clock, before.updatedAt()));
            if (write.isEmpty()) {
                return Optional.of(new Outcome(before, before, false));
            }
            if (!users.update(before, write.get().after(), write.get().verification(), write.get().events(), write.get().actingAdmin())) {
                return Optional.empty();
            }
            views.forget(userId);
            return Optional.of(new Outcome(before, write.get().after(), true));
        }, BUSY);
    }

    /** The change of one attempt. */
    @FunctionalInterface
    interface ChangeFunction {
        Optional<Write> apply(User current, Instant updatedAt);
    }

    static ServiceException notFound() {
        return new ServiceException(ErrorCode.NOT_FOUND, "User not found");
    }

}
