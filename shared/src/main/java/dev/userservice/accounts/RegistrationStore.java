package dev.userservice.accounts;

import dev.userservice.devices.DeviceRegistration;
import dev.userservice.events.UserEvent;
import dev.userservice.preferences.Preferences;
import dev.userservice.sessions.Session;
import dev.userservice.users.EmailTakenException;
import dev.userservice.users.User;
import java.util.Optional;
import java.util.Set;

/** Where a registration is stored: everything a new account starts with, written together or not at all. */
public interface RegistrationStore {

    /**
     * Stores a new account in one transaction: the user, its email claim (and username claim, when it has one), its
     * preferences, its first session with
     * that session's refresh token, the {@code user.registered} event, and, when given, the {@code device}
     * registered in that session (a token another user holds moves in the same transaction). Throws
     * {@link EmailTakenException} when the email is claimed, {@code UsernameTakenException} when the username is,
     * and then stores nothing. Answers the other users whose
     * devices changed (a token moved from them), for their cached views to be forgotten.
     */
    Set<String> create(User user, Preferences preferences, Session session, String refreshTokenHash, UserEvent registered,
                       Optional<DeviceRegistration> device);

    /** A password-setting token stored with an account an admin invites: only its hash, when issued and until when. */
    record Invitation(String tokenHash, java.time.Instant issuedAt, java.time.Instant expiresAt) {}

    /**
     * Stores an account an admin creates, in one transaction: the user, its email claim (and username claim), its
     * preferences, its {@code events}, and, for an invitation, the token that sets its first password (a
     * password-reset token of the account, so {@code POST /auth/password-reset/confirm} accepts it). No session:
     * nobody is signed in. Throws {@link EmailTakenException} or {@code UsernameTakenException} like
     * {@link #create}, and then stores nothing.
     */
    void createAccount(User user, Preferences preferences, Optional<Invitation> invitation, java.util.List<UserEvent> events);
}
