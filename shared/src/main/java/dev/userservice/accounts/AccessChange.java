package dev.userservice.accounts;

import dev.userservice.auth.Role;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.User;
import dev.userservice.validation.Fields;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * An admin's change of an account: {@code {type?, role?, status?, attributes?}}, any of them; empty where not
 * given. {@code attributes} merge into the stored ones as in the user's own PATCH (a {@code null} value removes its
 * key).
 */
public record AccessChange(Optional<String> type, Optional<Role> role, Optional<User.Status> status,
                           Optional<Map<String, Object>> attributes) {
    static final String TYPE = "type";
    static final String ROLE = "role";
    static final int CHOICE_MAX_LENGTH = 16;
    /** What the account's owner changes, which an admin's change names to say so. */
    private static final List<String> OWNERS_FIELDS = List.of("name", "full_name", "email", "username", "phone", "timezone",
            "locale", "password");
    private static final Map<String, Role> ROLES = Map.of("user", Role.USER, "admin", Role.ADMIN);
    private static final Map<String, User.Status> STATUSES = Map.of("active", User.Status.ACTIVE, "disabled", User.Status.DISABLED);

    /** A change of the role or status only. */
    public AccessChange(Optional<Role> role, Optional<User.Status> status) {
        this(Optional.empty(), role, status, Optional.empty());
    }

    /** Reads the body; a type, role or status outside its choices is {@code validation_failed}. */
    public static AccessChange read(Map<String, Object> body, AccountTypes types) {
        Fields fields = Fields.of(body);
        // An earlier admin screen renamed people; here a person's own details are theirs to change.
        OWNERS_FIELDS.forEach(owners -> fields.refusedAs(owners,
                "is the account owner's to change (PATCH /api/v1/users/me); an admin changes type, role, status and attributes"));
        Optional<String> type = fields.optional(TYPE, AccountTypes.NAME_MAX_LENGTH, types::choice);
        Optional<Role> role = fields.optional(ROLE, CHOICE_MAX_LENGTH, AccessChange::role);
        Optional<User.Status> status = fields.optional("status", CHOICE_MAX_LENGTH, AccessChange::status);
        Optional<Map<String, Object>> attributes = Attributes.readPatch(fields);
        fields.validate();
        return new AccessChange(type, role, status, attributes);
    }

    /** The account with the change applied at {@code at}; 400 on {@code attributes} when the merge is over the limits. */
    User applyTo(User current, java.time.Instant at) {
        return current.withManagement(type.orElse(current.type()), role.orElse(current.role()), status.orElse(current.status()),
                attributes.map(patch -> Attributes.merge(current.attributes(), patch)).orElse(current.attributes()), at);
    }

    /** {@code user} or {@code admin}; a service is a client, never an account's role. */
    static Role role(String text) {
        return choice(ROLES, text);
    }

    /** {@code active} or {@code disabled}. */
    static User.Status status(String text) {
        return choice(STATUSES, text);
    }

    private static <T> T choice(Map<String, T> choices, String text) {
        T value = choices.get(text);
        if (value == null) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", new TreeSet<>(choices.keySet())));
        }
        return value;
    }
}
