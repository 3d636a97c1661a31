package dev.userservice.accounts;

import dev.userservice.auth.PasswordPolicy;
import dev.userservice.errors.ServiceException;
import dev.userservice.users.User;
import dev.userservice.validation.Fields;
import dev.userservice.validation.ReadOnlyFields;
import dev.userservice.validation.Text;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The fields of a profile change, read and checked before the account is; null where not given. PATCH and PUT both
 * change only the fields given, as the earlier FastAPI service's PUT did; a PUT ({@link #readSentBack}) may also send
 * back the read-only fields as a GET returned them.
 *
 * @param readOnly the read-only fields a PUT sent back, refused by {@link #applyTo} when they differ from the account
 * @param usernameGiven whether {@code username} is to be set (null: the username is released)
 * @param extendedProfile the earlier FastAPI service's {@code current_title} and {@code location}, which belong to
 *     the extended profile ({@link Profiles#update})
 */
public record ProfilePatch(String email, String name, boolean phoneGiven, String phone, String timezone,
                           String locale, Map<String, Object> attributes, String currentPassword,
                           ReadOnlyFields readOnly, boolean usernameGiven, String username,
                           Optional<ProfileUpdate> extendedProfile) {
    /** What a client reads in a user but only the service or an admin sets. */
    private static final String[] READ_ONLY = {"id", "type", "role", "status", "plan", "email_verified", "created_at", "updated_at"};

    /** A PATCH's fields, with nothing read-only. */
    public ProfilePatch(String email, String name, boolean phoneGiven, String phone, String timezone, String locale,
                        Map<String, Object> attributes, String currentPassword) {
        this(email, name, phoneGiven, phone, timezone, locale, attributes, currentPassword, new ReadOnlyFields(Map.of()),
                false, null, Optional.empty());
    }

    /** Reads a PATCH body; every problem at once in one {@code validation_failed}. */
    public static ProfilePatch read(Map<String, Object> body) {
        return read(body, false);
    }

    /** Reads a PUT body: a PATCH's, in which the read-only fields of a user may be sent back; {@link #applyTo} refuses those that changed. */
    public static ProfilePatch readSentBack(Map<String, Object> body) {
        return read(body, true);
    }

    private static ProfilePatch read(Map<String, Object> body, boolean readOnlySentBack) {
        Fields fields = Fields.of(body)
                .synonym(RegistrationRequest.NAME, "full_name")
                .synonym("current_password", "old_password");
        ReadOnlyFields readOnly = readOnlySentBack ? fields.readOnly(READ_ONLY) : new ReadOnlyFields(Map.of());
        String email = nonNull(fields, "email", Text.EMAIL_MAX_LENGTH, Text::email);
        String name = nonNull(fields, RegistrationRequest.NAME, User.NAME_MAX_LENGTH, Text::name);
        boolean phoneGiven = fields.has("phone");
        String phone = fields.optional("phone", User.PHONE_MAX_LENGTH, Text::phone).orElse(null);
        boolean usernameGiven = fields.has(RegistrationRequest.USERNAME);
        String username = fields.optional(RegistrationRequest.USERNAME, Text.USERNAME_MAX_LENGTH, Text::username).orElse(null);
        String timezone = nonNull(fields, "timezone", User.TIMEZONE_MAX_LENGTH, Text::storedTimezone);
        String locale = nonNull(fields, "locale", User.LOCALE_MAX_LENGTH, Text::locale);
        Map<String, Object> attributes = Attributes.readPatch(fields).orElse(null);
        String currentPassword = fields.optionalString("current_password", PasswordPolicy.MAX_LENGTH).orElse(null);
        Optional<ProfileUpdate> extendedProfile = ProfileUpdate.readEarlierAccountFields(fields);
        fields.validate();
        return new ProfilePatch(email, name, phoneGiven, phone, timezone, locale, attributes, currentPassword, readOnly,
                usernameGiven, username, extendedProfile);
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
     * {@code current} with the given fields replaced and the attributes merged, stamped {@code at}; 400 naming each
     * read-only field sent back changed.
     */
    User applyTo(User current, Instant at) {
        readOnly.requireUnchanged(current);
        // A PUT sends back what a GET returned: a value stored before today's rules for new ones is kept as it is.
        takenAnew("email", email, current.email(), Text::chosenEmail);
        takenAnew(RegistrationRequest.NAME, name, current.name(), Text::chosenName);
        takenAnew("timezone", timezone, current.timezone(), Text::timezone);
        if (usernameGiven && username != null && (current.username() == null
                || !Text.usernameKey(username).equals(Text.usernameKey(current.username())))) {
            takenAnew(RegistrationRequest.USERNAME, username, null, Text::chosenUsername);
        }
        String newEmail = email == null ? current.email() : email;
        User withUsername = usernameGiven ? current.withUsername(username, at) : current;
        return withUsername.withProfile(
                newEmail,
                name == null ? current.name() : name,
                phoneGiven ? phone : current.phone(),
                timezone == null ? current.timezone() : timezone,
                locale == null ? current.locale() : locale,
                newEmail.equals(current.email()) && current.emailVerified(),
                attributes == null ? current.attributes() : Attributes.merge(current.attributes(), attributes),
                at);
    }

    /** {@code rule} for a value that replaces {@code stored}: 400 on {@code field} when it refuses it. */
    private static void takenAnew(String field, String given, String stored, Function<String, String> rule) {
        if (given != null && !given.equals(stored)) {
            try {
                rule.apply(given);
            } catch (IllegalArgumentException refused) {
                throw ServiceException.validation(field, refused.getMessage());
            }
        }
    }

    /** Every component but currentPassword, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "ProfilePatch[email=" + email + ", name=" + name + ", phoneGiven=" + phoneGiven + ", phone=" + phone
                + ", timezone=" + timezone + ", locale=" + locale + ", attributes=" + attributes
                + ", currentPassword=<redacted>, readOnly=" + readOnly + ", usernameGiven=" + usernameGiven
                + ", username=" + username + ", extendedProfile=" + extendedProfile + "]";
    }
}
