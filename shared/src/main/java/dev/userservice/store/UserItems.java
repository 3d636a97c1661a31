package dev.userservice.store;

import dev.userservice.sessions.SessionCutoff;
import dev.userservice.sessions.SessionEnd;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The attribute names of a user's profile item and email claim, as {@link DynamoUserStore} writes them, in one place
 * for every store that reads or updates them (credentials, sessions, notification profiles, delivery status).
 */
final class UserItems {
    /** The email claim: {@code EMAIL#<address>} / {@code EMAIL}, holding the owner's id. */
    static final String EMAIL_CLAIM_SK = "EMAIL";
    static final String CLAIM_OWNER = "user_id";
    /** The username claim: {@code USERNAME#<key>} / {@code USERNAME}, holding the owner's id like the email claim. */
    static final String USERNAME_CLAIM_SK = "USERNAME";
    static final String USERNAME = "username";
    /** The account's plan; absent means the deployment's default plan. */
    static final String PLAN = "plan";
    /** True while the owner keeps their name private, absent otherwise: see {@link dev.userservice.users.User#namePrivate}. */
    static final String NAME_PRIVATE = "name_private";

    /**
     * The condition that the account's name is still private or public as read, for the writes that follow the
     * privacy (the name index's partition): with {@code #namePrivate} naming {@link #NAME_PRIVATE} and, when private,
     * {@code :true}.
     */
    static String namePrivacyAsRead(boolean namePrivate) {
        return namePrivate ? "#namePrivate = :true" : "attribute_not_exists(#namePrivate)";
    }

    static final String EMAIL = "email";
    static final String PASSWORD_HASH = "password_hash";
    static final String EMAIL_VERIFIED = "email_verified";
    static final String STATUS = "status";
    static final String ROLE = "role";
    /** The {@link #STATUS} of an account that may sign in. */
    static final String ACTIVE = "active";
    static final String UPDATED_AT = "updated_at";
    /** Set by a hard bounce of the profile's email; a new or re-verified address clears it. */
    static final String EMAIL_BOUNCED = "email_bounced";
    /**
     * When the account was created or {@link #EMAIL_BOUNCED} last cleared (the address changed, or a token mailed to
     * it was used), in epoch milliseconds: a bounce timestamped before it was of another account's mail, an earlier
     * address, or this one before it was proven, and does not mark it. Absent on accounts created before it was
     * written at creation and whose flag was never cleared: every bounce counts.
     */
    static final String EMAIL_BOUNCES_FROM = "email_bounces_from";
    /**
     * Sessions begun before this instant are over, however their own items read. Written in the same write as a
     * password reset, or as an account's loss of access (disabled, or no longer an admin), so no crash can leave the
     * old sessions alive.
     */
    static final String SESSIONS_VALID_AFTER = "sessions_valid_after";
    /**
     * Why {@link #SESSIONS_VALID_AFTER} ended the sessions, a {@link SessionEnd} code ({@code password_reset} or
     * {@code admin}), written beside it for the history of sessions whose own revocation never followed. Absent on
     * accounts written before it was: their history reads {@link SessionEnd#REVOKED}, as a session revoked before
     * reasons were recorded does.
     */
    static final String SESSIONS_ENDED_BY = "sessions_ended_by";
    /**
     * As {@link #SESSIONS_VALID_AFTER}, for a password change, which keeps {@link #SESSION_KEPT} (its caller's). An
     * attribute of its own: a version of the service that reads only the reset's would end the kept session too.
     */
    static final String SESSIONS_CHANGED_AT = "sessions_changed_at";
    static final String SESSION_KEPT = "session_kept";
    /**
     * When the password last changed, by a change or a reset, in epoch milliseconds: a reset token issued before it
     * is refused, so a mailed link cannot undo the owner's new password.
     */
    static final String PASSWORD_CHANGED_AT = "password_changed_at";
    /**
     * When the email last changed, in epoch milliseconds: a reset, invitation or verification token issued before it
     * is refused even once the account has its old address back, as the token went to the address as it was then.
     */
    static final String EMAIL_CHANGED_AT = "email_changed_at";

    private UserItems() {}

    /** A transaction's condition that the user's account (its profile item) still exists. */
    static TransactWriteItem accountExists(String table, String userId) {
        return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                .key(Item.keyOf(Keys.user(userId), Keys.PROFILE))
                .conditionExpression("attribute_exists(" + Item.PK + ")")
                .build()).build();
    }

    /** Whether the account's profile item says it may sign in (and be found by a user's search). */
    static boolean isActive(Item profile) {
        return ACTIVE.equals(profile.optionalString(STATUS).orElse(null));
    }

    /** Why the account's {@link #SESSIONS_VALID_AFTER} ended the sessions begun before it. */
    static SessionEnd sessionsEndedBy(Item profile) {
        return SessionEnd.ofCode(profile.optionalString(SESSIONS_ENDED_BY).orElse(null));
    }

    /** The sessions the last password reset or change ended, as the profile item records them. */
    static Optional<SessionCutoff> sessionCutoff(Item profile) {
        Optional<Instant> resetAt = profile.optionalInstant(SESSIONS_VALID_AFTER);
        Optional<Instant> changedAt = profile.optionalInstant(SESSIONS_CHANGED_AT);
        return resetAt.isEmpty() && changedAt.isEmpty() ? Optional.empty()
                : Optional.of(new SessionCutoff(resetAt.orElse(null), changedAt.orElse(null), profile.optionalString(SESSION_KEPT).orElse(null)));
    }
}
