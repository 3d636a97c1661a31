package dev.userservice.users;

import dev.userservice.events.UserEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where accounts live. Implementations keep the email, and the username where there is one, unique with an item of
 * its own each, written and released with the user. New
 * accounts are stored with everything they start with by {@code accounts.RegistrationStore}.
 */
public interface UserStore {

    Optional<User> findById(String id);

    /** Strongly consistent, so a login right after registration finds the account. */
    Optional<User> findByEmail(String email);

    /** The account holding {@code usernameKey} ({@code Text.usernameKey} of a username); strongly consistent. */
    Optional<User> findByUsername(String usernameKey);

    /** A verification token stored with an email change: only its hash, and when it stops working. */
    record EmailVerification(String tokenHash, Instant expiresAt) {}

    /**
     * Replaces {@code before} with {@code after} in one transaction with its {@code events}: only the fields that
     * differ are written, and only if the stored account is still {@code before} (same {@code updated_at}), so
     * concurrent changes never overwrite each other. A changed email moves the email claim in the same transaction
     * and stores {@code verification} for the new address; a changed username moves its claim likewise. False, with
     * nothing changed, when the account changed or vanished since it was read; {@link EmailTakenException} when the
     * new email is claimed, {@link UsernameTakenException} when the new username is.
     */
    default boolean update(User before, User after, Optional<EmailVerification> verification, List<UserEvent> events) {
        return update(before, after, verification, events, Optional.empty());
    }

    /**
     * As {@link #update}, and only while {@code actingAdmin}'s own account is still an active admin, checked in the
     * same transaction: of two admins taking each other's access at the same moment, one is refused
     * ({@link ActingAdminLostAccessException}), so the two cannot leave the service without an admin.
     */
    boolean update(User before, User after, Optional<EmailVerification> verification, List<UserEvent> events,
                   Optional<String> actingAdmin);

    /**
     * Deletes the account and its email and username claims with the {@code deleted} event in one transaction, if the account is
     * still {@code user} as read. False, with nothing changed, otherwise. What else the account owns is left to
     * {@link AccountErasure}.
     */
    default boolean delete(User user, UserEvent deleted) {
        return delete(user, deleted, Optional.empty());
    }

    /** As {@link #delete(User, UserEvent)}, and only while {@code actingAdmin} is still an active admin, as for {@link #update}. */
    boolean delete(User user, UserEvent deleted, Optional<String> actingAdmin);

    /** Where a listing by email stopped: the last account returned, identified by its email and id. */
    record ListPosition(String email, String id) {}

    /** One page of a listing by email: the accounts, and where the next page starts if there is one. */
    record UserPage(List<User> users, Optional<ListPosition> next) {}

    /**
     * Accounts in email order, at most {@code limit}, those whose email starts with {@code emailPrefix} when one
     * is given, starting after {@code after}.
     */
    UserPage listByEmail(Optional<String> emailPrefix, Optional<ListPosition> after, int limit);

    /** One kind of account: a type, a role, a status and a plan; the filtered listing walks kinds one after another. */
    record Kind(String type, dev.userservice.auth.Role role, User.Status status, String plan) {
        /** Every kind the values given make, types outermost and plans innermost, each in the order given. */
        public static List<Kind> every(List<String> types, List<dev.userservice.auth.Role> roles, List<User.Status> statuses,
                                       List<String> plans) {
            List<Kind> kinds = new ArrayList<>();
            for (String type : types) {
                for (dev.userservice.auth.Role role : roles) {
                    for (User.Status status : statuses) {
                        for (String plan : plans) {
                            kinds.add(new Kind(type, role, status, plan));
                        }
                    }
                }
            }
            return List.copyOf(kinds);
        }
    }

    /** Where a listing by kind stopped: the last account returned, with its kind. */
    record KindPosition(Kind kind, String email, String id) {}

    /** One page of a listing by kind: the accounts, and where the next page starts if there is one. */
    record KindPage(List<User> users, Optional<KindPosition> next) {}

    /**
     * Accounts of the {@code kinds} given, kind after kind in the order given and in email order within a kind, at
     * most {@code limit}, those whose email starts with {@code emailPrefix} when one is given, starting after
     * {@code after}. Each kind is one index partition: a page costs at most one query per kind it passes.
     */
    KindPage listByKind(List<Kind> kinds, Optional<String> emailPrefix, Optional<KindPosition> after, int limit);
}
