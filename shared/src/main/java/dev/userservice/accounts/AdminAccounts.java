package dev.userservice.accounts;

import dev.userservice.auth.PasswordHasher;
import dev.userservice.auth.Principal;
import dev.userservice.auth.SecureTokens;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.UserEvent;
import dev.userservice.preferences.Preferences;
import dev.userservice.sessions.SessionGuard;
import dev.userservice.users.AccountErasure;
import dev.userservice.users.EmailTakenException;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import dev.userservice.users.UserService;
import dev.userservice.users.UserStore;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/** What admins do to whole accounts: create one (with a password, or inviting its owner to set one) and delete one. */
public final class AdminAccounts {
    /** How long an invitation's token sets a password: long enough for a mail read after a weekend. */
    public static final Duration INVITATION_LIFETIME = Duration.ofDays(7);

    private final RegistrationStore registrations;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final AccountRemoval removal;
    private final Clock clock;

    private final String defaultPlan;

    public AdminAccounts(RegistrationStore registrations, UserStore users, UserService views, SessionGuard sessions,
                         AccountErasure erasure, PasswordHasher hasher, Clock clock) {
        this(registrations, users, views, sessions, erasure, hasher, Plans.DEFAULT, clock);
    }

    /** Creating accounts on the default of {@code plans}. */
    public AdminAccounts(RegistrationStore registrations, UserStore users, UserService views, SessionGuard sessions,
                         AccountErasure erasure, PasswordHasher hasher, Plans plans, Clock clock) {
        this.defaultPlan = plans.defaultPlan();
        this.registrations = registrations;
        this.users = users;
        this.hasher = hasher;
        this.removal = new AccountRemoval(users, views, sessions, erasure, clock);
        this.clock = clock;
    }

    /**
     * {@code POST /users} by an admin: stores the account with default preferences and {@code user.registered}, in
     * one transaction; nobody is signed in. Without a password the account is invited: a token valid for
     * {@link #INVITATION_LIFETIME}, stored only as its hash in the same transaction, goes to {@code user.invited}, and
     * {@code POST /auth/password-reset/confirm} with it sets the first password, once, and verifies the email (the
     * token reached it, see {@link PasswordFlows#confirmReset}). Until then no password signs
     * in: the account's is random and unknown. 409 {@code email_taken} or {@code username_taken} as at registration.
     */
    public User create(UserCreation creation) {
        Instant now = clock.instant();
        String password = creation.password().orElseGet(SecureTokens::newToken);
        User user = new User(UUID.randomUUID().toString(), creation.email(), creation.name(), creation.phone(),
                creation.timezone(), creation.locale(), creation.role(), User.Status.ACTIVE, false, creation.attributes(),
                now, now, hasher.hash(password), creation.username(), creation.type(), defaultPlan);
        List<UserEvent> events = new ArrayList<>(List.of(UserEvents.registered(user, clock)));
        Optional<RegistrationStore.Invitation> invitation = Optional.empty();
        if (creation.invites()) {
            String token = SecureTokens.newToken();
            Instant expiresAt = now.plus(INVITATION_LIFETIME).truncatedTo(ChronoUnit.SECONDS);
            invitation = Optional.of(new RegistrationStore.Invitation(SecureTokens.hash(token), now, expiresAt));
            events.add(UserEvents.invited(user, token, expiresAt, clock));
        }
        try {
            registrations.createAccount(user, Preferences.defaults(now), invitation, events);
        } catch (EmailTakenException e) {
            throw new ServiceException(ErrorCode.EMAIL_TAKEN);
        }
        return user;
    }

    /**
     * {@code DELETE /users/{id}} by an admin: the same deletion as the owner's own ({@link AccountRemoval}), with
     * {@code user.deleted} saying {@code by: admin}, and no password asked. An admin deletes their own account as its
     * owner, with the password ({@code DELETE /users/me}). Within an earlier service's {@code view}, an account
     * outside it is not found.
     */
    public void delete(Principal admin, String userId, Optional<AccountView> view) {
        if (admin.subject().equals(userId)) {
            throw new ServiceException(ErrorCode.FORBIDDEN, "Admins delete their own account with DELETE /api/v1/users/me");
        }
        if (!Text.isId(userId)) {
            throw AccountUpdates.notFound();
        }
        Consumer<User> withinView = found -> {
            if (view.isPresent() && !view.get().holds(found.type(), found.role())) {
                throw AccountUpdates.notFound();
            }
        };
        User user = users.findById(userId).orElseThrow(AccountUpdates::notFound);
        withinView.accept(user);
        removal.remove(user, UserEvents.DeletedBy.ADMIN, withinView, Optional.of(admin.subject()));
    }
}
