package dev.userservice.accounts;

import dev.userservice.auth.PasswordHasher;
import dev.userservice.auth.SecureTokens;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.UserEvent;
import dev.userservice.ratelimit.RateLimiter;
import dev.userservice.ratelimit.RateLimits;
import dev.userservice.sessions.SessionEnd;
import dev.userservice.sessions.SessionGuard;
import dev.userservice.users.AccountErasure;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.ActingAdminLostAccessException;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import dev.userservice.users.UserService;
import dev.userservice.users.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What users do to their own account: change their profile or email, and delete the account. */
public final class AccountService {
    static final Duration EMAIL_VERIFICATION_LIFETIME = Duration.ofHours(24);

    /** How often a deletion looks for another admin when the one it found lost access before the deletion held. */
    private static final int MAX_ADMIN_LOOKUPS = 3;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final RateLimiter limiter;
    private final RateLimits limits;
    private final AccountUpdates updates;
    private final AccountRemoval removal;
    private final ActiveAdmins admins;
    private final Clock clock;

    public AccountService(UserStore users, UserService views, PasswordHasher hasher, SessionGuard sessions,
                          AccountErasure erasure, RateLimiter limiter, RateLimits limits, AccountTypes types, Plans plans,
                          Clock clock) {
        this.users = users;
        this.admins = new ActiveAdmins(users, types, plans);
        this.hasher = hasher;
        this.limiter = limiter;
        this.limits = limits;
        this.updates = new AccountUpdates(users, views, clock);
        this.removal = new AccountRemoval(users, views, sessions, erasure, clock);
        this.clock = clock;
    }

    /**
     * {@code PATCH /users/me}: changes the fields given and answers the account as stored. Only the profile's own
     * fields are accepted: {@code role}, {@code status}, {@code email_verified} or anything else is refused as an
     * unknown field. A new email needs {@code current_password} (checked whenever it is given), clears
     * {@code email_verified} and mails a verification token. A PATCH that changes nothing stores and emits
     * nothing; every other emits {@code user.updated}.
     */
    public User updateProfile(String userId, ProfilePatch patch) {
        PasswordCheck password = new PasswordCheck();
        boolean[] mailCounted = {false};
        return updates.apply(userId, (current, at) -> {
            User after = patch.applyTo(current, at);
            boolean emailChanges = !after.email().equals(current.email());
            if (emailChanges && patch.currentPassword() == null) {
                throw ServiceException.validation("current_password", "is required to change the email");
            }
            if (patch.currentPassword() != null) {
                password.check(current, patch.currentPassword(), "The current password is incorrect");
            }
            if (after.changedFrom(current).isEmpty()) {
                return Optional.empty();
            }
            if (emailChanges && !mailCounted[0]) {
                // The new address is mailed a token: counted per user and per address as a verification request is,
                // or a user could have any number of addresses mailed by changing to each in turn, and several users
                // one address by taking it in turn.
                limiter.enforce(limits.emailVerification(), userId);
                // Not an address another account holds: the change is refused (409) and nothing is mailed, and
                // attempts that are refused must not use up its owner's allowance.
                if (users.findByEmail(after.email()).isEmpty()) {
                    EmailVerification.countMailTo(limiter, limits, after.email());
                }
                mailCounted[0] = true;
            }
            List<UserEvent> events = new ArrayList<>(List.of(UserEvents.updated(current, after, clock)));
            Optional<UserStore.EmailVerification> verification = Optional.empty();
            if (emailChanges) {
                String token = SecureTokens.newToken();
                Instant expiresAt = at.plus(EMAIL_VERIFICATION_LIFETIME).truncatedTo(ChronoUnit.SECONDS);
                verification = Optional.of(new UserStore.EmailVerification(SecureTokens.hash(token), expiresAt));
                events.add(UserEvents.emailVerificationRequested(after, token, expiresAt, clock));
            }
            return Optional.of(new AccountUpdates.Write(after, verification, events));
        }).user();
    }

    /**
     * {@code DELETE /users/me}: with the right password, deletes the account as {@link AccountRemoval} does, with
     * {@code user.deleted} saying {@code by: self}. The last active admin may not (403): the deletion holds only while
     * another admin it found still is one, so two admins deleting themselves at once cannot leave none either.
     */
    public void deleteAccount(String userId, AccountDeletion deletion) {
        User user = users.findById(userId).orElseThrow(AccountUpdates::notFound);
        PasswordCheck password = new PasswordCheck();
        password.check(user, deletion.password(), "The password is incorrect");
        for (int attempt = 1; ; attempt++) {
            Optional<String> remainingAdmin = user.isAdmin() && user.isActive() ? Optional.of(admins.other(userId)
                    .orElseThrow(() -> new ServiceException(ErrorCode.FORBIDDEN,
                            "The last active admin cannot delete their account; make another admin first")))
                    : Optional.empty();
            try {
                removal.remove(user, UserEvents.DeletedBy.SELF,
                        changed -> password.check(changed, deletion.password(), "The password is incorrect"), remainingAdmin);
                return;
            } catch (ActingAdminLostAccessException remainingAdminLostAccess) {
                // Demoted, disabled or deleted meanwhile: look for another, a few times at most.
                if (attempt == MAX_ADMIN_LOOKUPS) {
                    throw new ServiceException(ErrorCode.SERVICE_UNAVAILABLE, AccountUpdates.BUSY);
                }
                user = users.findById(userId).orElseThrow(AccountUpdates::notFound);
            }
        }
    }

    /**
     * One request's check of the password it carries, made again whenever a retry reads another hash: a password
     * changed or reset meanwhile must be given anew, and the same hash is not checked twice. Every check counts against
     * the account's sign-in limit, as signing in does: a stolen access token must not become a way around that limit.
     */
    private final class PasswordCheck {
        private String checkedHash;

        void check(User user, String password, String refusal) {
            if (user.passwordHash().equals(checkedHash)) {
                return;
            }
            limiter.enforce(limits.loginPerEmail(), user.email());
            if (!hasher.verify(password, user.passwordHash())) {
                throw new ServiceException(ErrorCode.INVALID_CREDENTIALS, refusal);
            }
            checkedHash = user.passwordHash();
        }
    }
}
