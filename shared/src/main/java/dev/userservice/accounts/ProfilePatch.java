package dev.userservice.accounts;

import dev.userservice.auth.PasswordPolicy;
import dev.userservice.users.User;
import dev.userservice.validation.Fields;
import dev.userservice.validation.ReadOnlyFields;
import dev.userservice.validation.Text;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * The fields of a profile change, read and checked before the account is; null where not given. A PATCH changes the
 * fields given; a PUT ({@link #readReplacement}) replaces every field a user sets, and may send back the read-only
 * ones as a GET returned them.
 *
 * @param replacesAttributes whether {@code attributes} replace the stored ones (PUT) rather than merge into them
 * @param readOnly the read-only fields a PUT sent back, refused by {@link #applyTo} when they differ from the account
 * @param usernameGiven whether {@code username} is to be set (null: the username is released)
 */
public record ProfilePatch(String email, String name, boolean phoneGiven, String phone, String timezone,
                           String locale, Map<String, Object> attributes, String currentPassword,
                           boolean replacesAttributes, ReadOnlyFields readOnly, boolean usernameGiven, String username) {
    /** What a client reads in a user but only the service or an admin sets. */
    private static final String[] READ_ONLY = {"id", "type", "role", "status", "plan", "email_verified", "created_at", "updated_at"};
    private static final String ATTRIBUTES_INSTEAD = "attributes, e.g. {\"attributes\": {\"%s\": ...}}";

    /** A PATCH's fields, with nothing read-only. */
    public ProfilePatch(String email, String name, boolean phoneGiven, String phone, String timezone, String locale,
                        Map<String, Object> attributes, String currentPassword) {
        this(email, name, phoneGiven, phone, timezone, locale, attributes, currentPassword, false, new ReadOnlyFields(Map.of()),
                false, null);
    }

    /** Reads a PATCH body; every problem at once in one {@code validation_failed}. */
    public static ProfilePatch read(Map<String, Object> body) {
        Fields fields = fields(body);
        String email = nonNull(fields, "email", Text.EMAIL_MAX_LENGTH, Text::email);
        String name = nonNull(fields, RegistrationRequest.NAME, User.NAME_MAX_LENGTH, Text::name);
        boolean phoneGiven = fields.has("phone");
        String phone = fields.optional("phone", User.PHONE_MAX_LENGTH, Text::phone).orElse(null);
        boolean usernameGiven = fields.has(RegistrationRequest.USERNAME);
        String username = username(fields);
        String timezone = nonNull(fields, "timezone", User.TIMEZONE_MAX_LENGTH, Text::timezone);
        String locale = nonNull(fields, "locale", User.LOCALE_MAX_LENGTH, Text::locale);
        Map<String, Object> attributes = Attributes.readPatch(fields).orElse(null);
        String currentPassword = currentPassword(fields);
        fields.validate();
        return new ProfilePatch(email, name, phoneGiven, phone, timezone, locale, attributes, currentPassword, false,
                new ReadOnlyFields(Map.of()), usernameGiven, username);
    }

    /**
     * Reads a PUT body, a full replacement: {@code name} is required, a missing {@code phone} or {@code attributes}
     * (or {@code username}) clears it and a missing {@code timezone} or {@code locale} is the default, as at registration. A missing
     * {@code email} keeps the address (changing it still needs {@code current_password}). The read-only fields of
     * a user may be sent back; {@link #applyTo} refuses those that changed.
     */
    public static ProfilePatch readReplacement(Map<String, Object> body) {
        Fields fields = fields(body);
        ReadOnlyFields readOnly = fields.readOnly(READ_ONLY);
        String email = nonNull(fields, "email", Text.EMAIL_MAX_LENGTH, Text::email);
        String name = fields.required(RegistrationRequest.NAME, User.NAME_MAX_LENGTH, Text::name);
        String phone = fields.optional("phone", User.PHONE_MAX_LENGTH, Text::phone).orElse(null);
        String username = username(fields);
        String timezone = fields.optional("timezone", User.TIMEZONE_MAX_LENGTH, Text::timezone).orElse(User.DEFAULT_TIMEZONE);
        String locale = fields.optional("locale", User.LOCALE_MAX_LENGTH, Text::locale).orElse(User.DEFAULT_LOCALE);
        Map<String, Object> attributes = Attributes.readPatch(fields).orElse(Map.of());
        String currentPassword = currentPassword(fields);
        fields.validate();
        return new ProfilePatch(email, name, true, phone, timezone, locale, attributes, currentPassword, true, readOnly,
                true, username);
    }

    /** The names both forms read besides their own: the earlier services' names and fields. */
    private static Fields fields(Map<String, Object> body) {
        return Fields.of(body)
                .synonym(RegistrationRequest.NAME, "full_name")
                .synonym("current_password", "old_password")
                .superseded("current_title", ATTRIBUTES_INSTEAD.formatted("current_title"))
                .superseded("location", ATTRIBUTES_INSTEAD.formatted("location"));
    }

    private static String username(Fields fields) {
        return fields.optional(RegistrationRequest.USERNAME, Text.USERNAME_MAX_LENGTH, Text::username).orElse(null);
    }

    private static String currentPassword(Fields fields) {
        return fields.optionalString("current_password", PasswordPolicy.MAX_LENGTH).orElse(null);
    }

    /** A field that may be left out but not cleared: {@code null} is refused rather than read as absent. */
    private static String nonNull(Fields fields, String name, int maxLength, Function<String, String> parser) {
        if (fields.has(name) && fields.raw(name) == null) {
            fields.reject(name, "must not be null");
            return null;
        }
        return fields.optional(name, maxLength, parser).orElse(null);
    }

    /**
     * {@code current} with the given fields replaced and the attributes merged (or replaced, for a PUT), stamped
     * {@code at}; 400 naming each read-only field sent back changed.
     */
    User applyTo(User current, Instant at) {
        readOnly.requireUnchanged(current);
        String newEmail = email == null ? current.email() : email;
        Map<String, Object> base = replacesAttributes ? Map.of() : current.attributes();
        User withUsername = usernameGiven ? current.withUsername(username, at) : current;
        return withUsername.withProfile(
                newEmail,
                name == null ? current.name() : name,
                phoneGiven ? phone : current.phone(),
                timezone == null ? current.timezone() : timezone,
                locale == null ? current.locale() : locale,
                newEmail.equals(current.email()) && current.emailVerified(),
                attributes == null ? current.attributes() : Attributes.merge(base, attributes),
                at);
    }
}
