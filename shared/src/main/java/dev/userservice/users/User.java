package dev.userservice.users;

import dev.userservice.auth.Role;
import dev.userservice.json.JsonWritable;
import dev.userservice.validation.Text;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A user account. The password hash stays inside the service: {@link #toJson()} is what clients see.
 *
 * @param username an optional handle, unique case-insensitively, that signs in in place of the email; null when none
 * @param type one of the deployment's {@link AccountTypes}; null only where a caller built an account without one
 * @param plan     the account's plan, one of the deployment's {@link Plans}; null only on an account being created by
 *                 code that predates plans, which is stored on the deployment's default plan
 * @param namePrivate whether the owner made their name private in their profile: the account's name is then kept
 *                 out of the index a user's search reads (only admins and services find it); the profile holds the
 *                 visibility, and its change writes this with it
 */
public record User(
        String id,
        String email,
        String name,
        String phone,
        String timezone,
        String locale,
        Role role,
        Status status,
        boolean emailVerified,
        Map<String, Object> attributes,
        Instant createdAt,
        Instant updatedAt,
        String passwordHash,
        String username,
        String type,
        String plan,
        boolean namePrivate) implements JsonWritable {

    public enum Status { ACTIVE, DISABLED }

    public static final String DEFAULT_TIMEZONE = "UTC";
    public static final String DEFAULT_LOCALE = "en";
    /** The longest values of the fields a user gives at registration and may change later. */
    public static final int NAME_MAX_LENGTH = Text.NAME_MAX_LENGTH;
    public static final int PHONE_MAX_LENGTH = 16;
    public static final int TIMEZONE_MAX_LENGTH = 64;
    public static final int LOCALE_MAX_LENGTH = 35;
    private static final java.util.Set<String> NOT_CHANGES = java.util.Set.of("updated_at", "email_verified");


    /** An account whose name is not private (new accounts' names are public). */
    public User(String id, String email, String name, String phone, String timezone, String locale, Role role,
                Status status, boolean emailVerified, Map<String, Object> attributes, Instant createdAt,
                Instant updatedAt, String passwordHash, String username, String type, String plan) {
        this(id, email, name, phone, timezone, locale, role, status, emailVerified, attributes, createdAt, updatedAt,
                passwordHash, username, type, plan, false);
    }

    /** An account without a username. */
    public User(String id, String email, String name, String phone, String timezone, String locale, Role role,
                Status status, boolean emailVerified, Map<String, Object> attributes, Instant createdAt,
                Instant updatedAt, String passwordHash) {
        this(id, email, name, phone, timezone, locale, role, status, emailVerified, attributes, createdAt, updatedAt,
                passwordHash, null, null, null);
    }

    /** An account without a type or a plan: the deployment's defaults are stored for them. */
    public User(String id, String email, String name, String phone, String timezone, String locale, Role role,
                Status status, boolean emailVerified, Map<String, Object> attributes, Instant createdAt,
                Instant updatedAt, String passwordHash, String username) {
        this(id, email, name, phone, timezone, locale, role, status, emailVerified, attributes, createdAt, updatedAt,
                passwordHash, username, null, null);
    }

    public boolean isActive() {
        return status == Status.ACTIVE;
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /**
     * Whether this account, changed from {@code before}, lost what its sessions' tokens claim: it was active and is
     * disabled, or was an admin and is not. A change that names the role or status it already has takes nothing away.
     */
    public boolean lostAccessSince(User before) {
        return before.isActive() && !isActive() || before.isAdmin() && !isAdmin();
    }

    /** The same account with the fields a user edits about themselves replaced. */
    public User withProfile(String newEmail, String newName, String newPhone, String newTimezone, String newLocale,
                            boolean newEmailVerified, Map<String, Object> newAttributes, Instant at) {
        return new User(id, newEmail, newName, newPhone, newTimezone, newLocale, role, status, newEmailVerified,
                newAttributes, createdAt, at, passwordHash, username, type, plan, namePrivate);
    }

    /** The same account with another username (null: none). */
    public User withUsername(String newUsername, Instant at) {
        return new User(id, email, name, phone, timezone, locale, role, status, emailVerified, attributes, createdAt,
                at, passwordHash, newUsername, type, plan, namePrivate);
    }

    /** The same account with the fields only an admin changes replaced. */
    public User withAccess(Role newRole, Status newStatus, Instant at) {
        return new User(id, email, name, phone, timezone, locale, newRole, newStatus, emailVerified, attributes,
                createdAt, at, passwordHash, username, type, plan, namePrivate);
    }

    /** The same account with what an admin manages replaced: type, role, status and attributes. */
    public User withManagement(String newType, Role newRole, Status newStatus, Map<String, Object> newAttributes, Instant at) {
        return new User(id, email, name, phone, timezone, locale, newRole, newStatus, emailVerified, newAttributes,
                createdAt, at, passwordHash, username, newType, plan, namePrivate);
    }

    /** The same account on another plan. */
    public User withPlan(String newPlan, Instant at) {
        return new User(id, email, name, phone, timezone, locale, role, status, emailVerified, attributes, createdAt,
                at, passwordHash, username, type, newPlan, namePrivate);
    }

    /**
     * The client-visible fields ({@link #toJson()} names) whose values differ from {@code before}, sorted, as
     * {@code user.updated} reports them. {@code updated_at} changes with every write, and {@code email_verified}
     * only through verification or as a consequence of a new email, so neither counts as a change of its own.
     */
    public java.util.List<String> changedFrom(User before) {
        Map<String, Object> previous = before.toJson();
        return toJson().entrySet().stream()
                .filter(field -> !NOT_CHANGES.contains(field.getKey()))
                .filter(field -> !java.util.Objects.equals(field.getValue(), previous.get(field.getKey())))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("email", email);
        json.put("username", username);
        json.put("name", name);
        json.put("phone", phone);
        json.put("timezone", timezone);
        json.put("locale", locale);
        json.put("type", type);
        json.put("role", role.claim());
        json.put("status", status.name().toLowerCase(Locale.ROOT)); // as the JSON writer spells it, so a cached view reads alike
        json.put("plan", plan);
        json.put("email_verified", emailVerified);
        json.put("attributes", attributes);
        json.put("created_at", createdAt);
        json.put("updated_at", updatedAt);
        return json;
    }

    /** Every component but passwordHash, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "User[id=" + id + ", email=" + email + ", name=" + name + ", phone=" + phone + ", timezone=" + timezone
                + ", locale=" + locale + ", role=" + role + ", status=" + status + ", emailVerified=" + emailVerified
                + ", attributes=" + attributes + ", createdAt=" + createdAt + ", updatedAt=" + updatedAt
                + ", passwordHash=<redacted>, username=" + username + ", type=" + type + ", plan=" + plan
                + ", namePrivate=" + namePrivate + "]";
    }
}
