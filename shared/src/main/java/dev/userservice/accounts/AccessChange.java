package dev.userservice.accounts;

import dev.userservice.auth.Role;
import dev.userservice.users.User;
import dev.userservice.validation.Fields;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** An admin's change of an account: {@code {role?, status?}}, either or both; empty where not given. */
public record AccessChange(Optional<Role> role, Optional<User.Status> status) {
    private static final int CHOICE_MAX_LENGTH = 16;
    private static final Map<String, Role> ROLES = Map.of("user", Role.USER, "admin", Role.ADMIN);
    private static final Map<String, User.Status> STATUSES = Map.of("active", User.Status.ACTIVE, "disabled", User.Status.DISABLED);

    /** Reads the body; a role or status outside its choices is {@code validation_failed}. */
    public static AccessChange read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        Optional<Role> role = fields.optional("role", CHOICE_MAX_LENGTH, text -> choice(ROLES, text));
        Optional<User.Status> status = fields.optional("status", CHOICE_MAX_LENGTH, text -> choice(STATUSES, text));
        fields.validate();
        return new AccessChange(role, status);
    }

    /** Whether the change takes something away: the account disabled, or the admin role removed. */
    boolean losesAccess() {
        return status.equals(Optional.of(User.Status.DISABLED)) || role.equals(Optional.of(Role.USER));
    }

    private static <T> T choice(Map<String, T> choices, String text) {
        T value = choices.get(text);
        if (value == null) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", new TreeSet<>(choices.keySet())));
        }
        return value;
    }
}
