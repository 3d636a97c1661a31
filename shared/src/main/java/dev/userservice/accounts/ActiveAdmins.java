package dev.userservice.accounts;

import dev.userservice.auth.Role;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import dev.userservice.users.UserStore;
import java.util.List;
import java.util.Optional;

/**
 * The active admins, asked after by a deletion that could leave none: only an admin can make another in the API, so
 * without one only an operator (PromoteAdminFunction) could. Read from the listing by kind, one index query per
 * account type and plan at most.
 */
final class ActiveAdmins {
    private final UserStore users;
    private final List<UserStore.Kind> kinds;

    ActiveAdmins(UserStore users, AccountTypes types, Plans plans) {
        this.users = users;
        this.kinds = UserStore.Kind.every(types.names(), List.of(Role.ADMIN), List.of(User.Status.ACTIVE), plans.names());
    }

    /** An active admin other than {@code userId}, if there is one. */
    Optional<String> other(String userId) {
        return users.listByKind(kinds, Optional.empty(), Optional.empty(), 2).users().stream()
                .map(User::id)
                .filter(id -> !id.equals(userId))
                .findFirst();
    }
}
