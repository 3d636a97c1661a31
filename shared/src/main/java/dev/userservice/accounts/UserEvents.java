package dev.userservice.accounts;

import dev.userservice.events.EventType;
import dev.userservice.events.TokenMail;
import dev.userservice.events.UserEvent;
import dev.userservice.users.User;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The events account changes emit, with what their consumers need and nothing secret but a mailed token. */
public final class UserEvents {
    private UserEvents() {}

    /** {@code user.registered}: what a welcome email needs. */
    public static UserEvent registered(User user, Clock clock) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("email", user.email());
        data.put("name", user.name());
        data.put("locale", user.locale());
        data.put("timezone", user.timezone());
        return UserEvent.of(EventType.USER_REGISTERED, user.id(), data, clock);
    }

    /** {@code user.updated}: which fields changed (sorted), and what an email to the user needs. */
    static UserEvent updated(User before, User after, Clock clock) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("changed", after.changedFrom(before));
        data.put("email", after.email());
        data.put("name", after.name());
        data.put("locale", after.locale());
        data.put("timezone", after.timezone());
        return UserEvent.of(EventType.USER_UPDATED, after.id(), data, clock);
    }

    /** {@code user.email_verification_requested}: the token goes to the email service only, never back to a client. */
    static UserEvent emailVerificationRequested(User user, String token, Instant expiresAt, Clock clock) {
        TokenMail mail = new TokenMail(user.email(), token, expiresAt, user.name(), user.locale());
        return UserEvent.of(EventType.USER_EMAIL_VERIFICATION_REQUESTED, user.id(), mail.toEventData(), clock);
    }

    /** Who deleted an account, as {@code user.deleted} says: its owner, or an admin. */
    enum DeletedBy { SELF, ADMIN }

    /** {@code user.deleted}: the address, so downstream systems can forget it too, and who deleted the account. */
    static UserEvent deleted(User user, DeletedBy by, Clock clock) {
        return UserEvent.of(EventType.USER_DELETED, user.id(),
                Map.of("email", user.email(), "by", by.name().toLowerCase(java.util.Locale.ROOT)), clock);
    }

    /**
     * {@code user.invited}: an admin created the account without a password; the mail carries the token that sets
     * one ({@code POST /auth/password-reset/confirm}), and the account's type for the mail's wording.
     */
    static UserEvent invited(User user, String token, Instant expiresAt, Clock clock) {
        Map<String, Object> data = new TokenMail(user.email(), token, expiresAt, user.name(), user.locale()).toEventData();
        data.put("type", user.type());
        return UserEvent.of(EventType.USER_INVITED, user.id(), data, clock);
    }

    /** {@code user.plan_changed}: the plan before and after, and who changed it ({@code self}, {@code admin}, {@code service}). */
    static UserEvent planChanged(User before, User after, String by, Clock clock) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("before", before.plan());
        data.put("after", after.plan());
        data.put("by", by);
        return UserEvent.of(EventType.USER_PLAN_CHANGED, after.id(), data, clock);
    }
}
