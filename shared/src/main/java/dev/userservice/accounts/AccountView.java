package dev.userservice.accounts;

import dev.userservice.auth.Role;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.users.AccountTypes;
import java.util.Map;
import java.util.Optional;

/**
 * A typed collection of the earlier user-management service ({@code /api/v1/users/students/}, {@code /staff/},
 * {@code /admins/}), served as a view of the admin's user list: {@code students} are the accounts of type
 * {@code student}, {@code staff} those of type {@code staff}, {@code admins} those with the admin role. A
 * deployment whose {@code AccountTypes} lack the view's type has no such collection (404).
 */
public record AccountView(String collection, Optional<String> type, Optional<Role> role) {
    private static final String USERS = "/api/v1/users/";
    private static final Map<String, AccountView> VIEWS = Map.of(
            "students", new AccountView("students", Optional.of("student"), Optional.empty()),
            "staff", new AccountView("staff", Optional.of("staff"), Optional.empty()),
            "admins", new AccountView("admins", Optional.empty(), Optional.of(Role.ADMIN)));

    /**
     * The view a route serves ({@code GET /api/v1/users/students/{id}} serves {@code students}), or empty for a route
     * of the service's own ({@code GET /api/v1/users}); 404 when the deployment has no accounts of the view's type.
     */
    public static Optional<AccountView> ofRoute(String routeKey, AccountTypes types) {
        int start = routeKey.indexOf(USERS);
        if (start < 0) {
            return Optional.empty();
        }
        String rest = routeKey.substring(start + USERS.length());
        Optional<AccountView> view = Optional.ofNullable(VIEWS.get(rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest));
        view.flatMap(AccountView::type).filter(type -> !types.names().contains(type)).ifPresent(type -> {
            throw new ServiceException(ErrorCode.NOT_FOUND, "This service has no " + type + " accounts");
        });
        return view;
    }

    /** Whether an account of this type and role belongs to the view, so that reads and writes by id stay inside it. */
    public boolean holds(String accountType, Role accountRole) {
        return type.map(accountType::equals).orElse(true) && role.map(accountRole::equals).orElse(true);
    }

    /** A user as clients see it ({@code User#toJson}), when the account belongs to this view; 404 otherwise. */
    public Map<String, Object> admit(Map<String, Object> user) {
        Optional<Role> accountRole = Role.fromClaim(String.valueOf(user.get("role")));
        if (accountRole.isEmpty() || !holds(String.valueOf(user.get("type")), accountRole.get())) {
            throw new ServiceException(ErrorCode.NOT_FOUND, "User not found");
        }
        return user;
    }
}
