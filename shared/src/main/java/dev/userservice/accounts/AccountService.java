package dev.userservice.accounts;

import dev.userservice.users.User;
import dev.userservice.users.UserStore;
import dev.userservice.users.UserService;
import dev.userservice.users.AccountErasure;
import dev.userservice.auth.PasswordHasher;
import dev.userservice.auth.PasswordPolicy;
import dev.userservice.auth.SecureTokens;
import dev.userservice.concurrency.OptimisticWrites;
import dev.userservice.events.UserEvent;
import dev.userservice.errors.ServiceException;
import dev.userservice.errors.ErrorCode;
import dev.userservice.sessions.SessionGuard;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** What users do to their own account: change their profile or email, and delete the account. */
public final class AccountService {
    static final Duration EMAIL_VERIFICATION_LIFETIME = Duration.ofHours(24);
    private static final int NAME_MAX_LENGTH = 100;
    private static final int PHONE_MAX_LENGTH = 16;
    private static final int TIMEZONE_MAX_LENGTH = 64;
    private static final int LOCALE_MAX_LENGTH = 35;

    private final UserStore users;
    private final UserService views;
    private final PasswordHasher hasher;
    private final SessionGuard sessions;
    private final AccountErasure erasure;
    private final AccountUpdates updates;
    private final Clock clock;

    public AccountService(UserStore users, UserService views, PasswordHasher hasher, SessionGuard sessions,
                          AccountErasure erasure, Clock clock) {
        this.users = users;
        this.views = views;
        this.hasher = hasher;
        this.sessions = sessions;
        this.erasure = erasure;
        this.updates = new AccountUpdates(users, views, clock);
        this.clock = clock;
    }

    /**
     * {@code PATCH /users/me}: changes the fields given and answers the account as stored. Only the profile's own
     * fields are accepted: {@code role}, {@code status}, {@code email_verified} or anything else is refused as an
     * unknown field. A new email needs {@code current_password} (checked whenever it is given), clears
     * {@code email_verified} and mails a verification token. A PATCH that changes nothing stores and emits
     * nothing; every other emits {@code user.updated}.
     */
    public User updateProfile(String userId, Map<String, Object> body) {
        ProfilePatch patch = ProfilePatch.read(body);
        boolean[] passwordChecked = {false};
        return updates.apply(userId, (current, at) -> {
            User after = patch.applyTo(current, at);
            boolean emailChanges = !after.email().equals(current.email());
            if (emailChanges && patch.currentPassword() == null) {
                throw ServiceException.validation("current_password", "is required to change the email");
            }
            if (patch.currentPassword() != null && !passwordChecked[0]) {
                if (!hasher.verify(patch.currentPassword(), current.passwordHash())) {
                    throw new ServiceException(ErrorCode.INVALID_CREDENTIALS, "The current password is incorrect");
                }
                passwordChecked[0] = true;
            }
            if (after.changedFrom(current).isEmpty()) {
                return Optional.empty();
            }
            List<UserEvent> events = new ArrayList<>(List.of(UserEvents.updated(current, after, clock)));
            Optional<UserStore.EmailVerification> verification = Optional.empty();
            if (emailChanges) {
                String token = SecureTokens.newToken();
                Instant expiresAt = at.plus(EMAIL_VERIFICATION_LIFETIME);
                verification = Optional.of(new UserStore.EmailVerification(SecureTokens.hash(token), expiresAt));
                events.add(UserEvents.emailVerificationRequested(after, token, expiresAt, clock));
            }
            return Optional.of(new AccountUpdates.Write(after, verification, events));
        }).user();
    }

    /**
     * {@code DELETE /users/me}: with the right password, deletes the account, its email claim and
     * {@code user.deleted} in one transaction, ends every session at once, then erases everything else the account
     * owns. Should this function die after the transaction, the eraser triggered by {@code user.deleted} finishes.
     */
    public void deleteAccount(String userId, Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String password = fields.requiredString("password", PasswordPolicy.MAX_LENGTH);
        fields.validate();

        User user = users.findById(userId).orElseThrow(AccountUpdates::notFound);
        if (!hasher.verify(password, user.passwordHash())) {
            throw new ServiceException(ErrorCode.INVALID_CREDENTIALS, "The password is incorrect");
        }
        for (int attempt = 1; !users.delete(user, UserEvents.deleted(user, clock)); attempt++) {
            // Changed since it was read (a new email, say): delete the account as it is now.
            if (attempt >= OptimisticWrites.MAX_ATTEMPTS) {
                throw new ServiceException(ErrorCode.SERVICE_UNAVAILABLE, "The account is being changed by other requests; try again");
            }
            OptimisticWrites.pauseBeforeRetry();
            user = users.findById(userId).orElseThrow(AccountUpdates::notFound);
        }
        views.forget(userId);
        sessions.revokeAll(userId, Optional.empty());
        erasure.erase(userId);
    }

    /** The fields of a profile PATCH, read and checked before the account is; null where not given. */
    private record ProfilePatch(String email, String name, boolean phoneGiven, String phone, String timezone,
                                String locale, Map<String, Object> attributes, String currentPassword) {

        static ProfilePatch read(Map<String, Object> body) {
            Fields fields = Fields.of(body);
            String email = nonNull(fields, "email", Text.EMAIL_MAX_LENGTH, Text::email);
            String name = nonNull(fields, "name", NAME_MAX_LENGTH, Text::name);
            boolean phoneGiven = fields.has("phone");
            String phone = fields.optional("phone", PHONE_MAX_LENGTH, Text::phone).orElse(null);
            String timezone = nonNull(fields, "timezone", TIMEZONE_MAX_LENGTH, Text::timezone);
            String locale = nonNull(fields, "locale", LOCALE_MAX_LENGTH, Text::locale);
            Map<String, Object> attributes = Attributes.readPatch(fields).orElse(null);
            String currentPassword = fields.optionalString("current_password", PasswordPolicy.MAX_LENGTH).orElse(null);
            fields.validate();
            return new ProfilePatch(email, name, phoneGiven, phone, timezone, locale, attributes, currentPassword);
        }

        /** A field that may be left out but not cleared: {@code null} is refused rather than read as absent. */
        private static String nonNull(Fields fields, String name, int maxLength, Function<String, String> parser) {
            if (fields.has(name) && fields.raw(name) == null) {
                fields.reject(name, "must not be null");
                return null;
            }
            return fields.optional(name, maxLength, parser).orElse(null);
        }

        User applyTo(User current, Instant at) {
            String newEmail = email == null ? current.email() : email;
            return current.withProfile(
                    newEmail,
                    name == null ? current.name() : name,
                    phoneGiven ? phone : current.phone(),
                    timezone == null ? current.timezone() : timezone,
                    locale == null ? current.locale() : locale,
                    newEmail.equals(current.email()) && current.emailVerified(),
                    attributes == null ? current.attributes() : Attributes.merge(current.attributes(), attributes),
                    at);
        }
    }
}
