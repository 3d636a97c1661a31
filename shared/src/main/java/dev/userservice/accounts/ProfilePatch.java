package dev.userservice.accounts;

import dev.userservice.auth.PasswordPolicy;
import dev.userservice.users.User;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/** The fields of a profile PATCH, read and checked before the account is; null where not given. */
public record ProfilePatch(String email, String name, boolean phoneGiven, String phone, String timezone,
                           String locale, Map<String, Object> attributes, String currentPassword) {

    /** Reads the body; every problem at once in one {@code validation_failed}. */
    public static ProfilePatch read(Map<String, Object> body) {
        Fields fields = Fields.of(body).synonym(RegistrationRequest.NAME, "full_name");
        String email = nonNull(fields, "email", Text.EMAIL_MAX_LENGTH, Text::email);
        String name = nonNull(fields, RegistrationRequest.NAME, User.NAME_MAX_LENGTH, Text::name);
        boolean phoneGiven = fields.has("phone");
        String phone = fields.optional("phone", User.PHONE_MAX_LENGTH, Text::phone).orElse(null);
        String timezone = nonNull(fields, "timezone", User.TIMEZONE_MAX_LENGTH, Text::timezone);
        String locale = nonNull(fields, "locale", User.LOCALE_MAX_LENGTH, Text::locale);
        Map<String, Object> attributes = Attributes.readPatch(fields).orElse(null);
        String currentPassword = fields.optionalString("current_password", PasswordPolicy.MAX_LENGTH).orElse(null);
        fields.validate();
        return new ProfilePatch(email, name, phoneGiven, phone, timezone, locale, attributes, currentPassword);
    }

    /** A field that may be left out but not cleared: {@code null} is refused rather than read as absent. */
    private static String nonNull(Fields fields, String name, int maxLength, Function<String, String> parser) {
        if (fields.has(name) && fields.raw(name) == null) {
            fields.reject(name, "must not be null");
            return null;
        }
        return fields.optional(name, maxLength, parser).orElse(null);
    }

    /** {@code current} with the given fields replaced and the attributes merged, stamped {@code at}. */
    User applyTo(User current, Instant at) {
        String newEmail = email == null ? current.email() : email;
        return current.withProfile(
                newEmail,
                name == null ? current.name() : name,
                phoneGiven ? phone : current.phone(),
                timezone == null ? current.timezone() : timezone,
                locale == null ? current.locale() : locale,
                newEmail.equals(current.email()) && current.emailVerified(),
                attributes == null ? current.attributes() : Attributes.merge(current.attributes(), attributes),
                at);
    }
}
