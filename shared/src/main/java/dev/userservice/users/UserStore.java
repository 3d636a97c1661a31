package dev.userservice.users;

import dev.userservice.events.UserEvent;
import dev.userservice.preferences.Preferences;
import dev.userservice.sessions.Session;
import java.util.Optional;

/** Where accounts live. Implementations keep the email unique with an item of its own, written with the user. */
public interface UserStore {

    /**
     * Stores a new account in one transaction: the user, its email claim, its preferences, its first session with
     * that session's refresh token, and the {@code user.registered} event. Throws {@link EmailTakenException} when
     * the email is claimed, and then stores nothing.
     */
    void create(User user, Preferences preferences, Session session, String refreshTokenHash, UserEvent registered);

    Optional<User> findById(String id);

    /** Strongly consistent, so a login right after registration finds the account. */
    Optional<User> findByEmail(String email);
}
