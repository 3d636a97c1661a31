package dev.userservice.accounts;

import dev.userservice.auth.PasswordPolicy;
import dev.userservice.auth.Role;
import dev.userservice.errors.ServiceException;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.User;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.util.Map;
import java.util.Optional;

/**
 * An account an admin creates: {@code {email, name, type?, role?, attributes?, password?, username?, phone?,
 * timezone?, locale?}}. {@code type} is one of the deployment's types (default: the first), {@code role}
 * {@code user} (default) or {@code admin}. With a {@code password} the account can sign in at once; without one it is
 * invited: {@code user.invited} carries a one-time token that sets the password.
 *
 * @param password empty for an invitation
 */
public record UserCreation(String email, String name, String type, Role role, Map<String, Object> attributes,
                           Optional<String> password, String username, String phone, String timezone, String locale) {
    private static final String PASSWORD = "password";

    /** Reads the body; every problem at once in one {@code validation_failed}, a refused password among them. */
    public static UserCreation read(Map<String, Object> body, AccountTypes types, PasswordPolicy policy) {
        Fields fields = Fields.of(body).synonym(RegistrationRequest.NAME, "full_name");
        String email = fields.required("email", Text.EMAIL_MAX_LENGTH, Text::chosenEmail);
        String name = fields.required(RegistrationRequest.NAME, User.NAME_MAX_LENGTH, Text::chosenName);
        String type = fields.optional(AccessChange.TYPE, AccountTypes.NAME_MAX_LENGTH, types::choice).orElse(types.defaultType());
        Role role = fields.optional(AccessChange.ROLE, AccessChange.CHOICE_MAX_LENGTH, AccessChange::role).orElse(Role.USER);
        Map<String, Object> attributes = Map.of();
        try {
            attributes = Attributes.readPatch(fields).map(given -> Attributes.merge(Map.of(), given)).orElse(Map.of());
        } catch (ServiceException overTheLimits) {
            // Reported with the body's other problems, not alone.
            overTheLimits.details().forEach(problem -> fields.reject(problem.field(), problem.message()));
        }
        Optional<String> password = fields.optionalString(PASSWORD, PasswordPolicy.MAX_LENGTH);
        String username = fields.optional(RegistrationRequest.USERNAME, Text.USERNAME_MAX_LENGTH, Text::chosenUsername).orElse(null);
        String phone = fields.optional("phone", User.PHONE_MAX_LENGTH, Text::phone).orElse(null);
        String timezone = fields.optional("timezone", User.TIMEZONE_MAX_LENGTH, Text::timezone).orElse(User.DEFAULT_TIMEZONE);
        String locale = fields.optional("locale", User.LOCALE_MAX_LENGTH, Text::locale).orElse(User.DEFAULT_LOCALE);
        if (password.isPresent() && email != null) {
            policy.problem(password.get(), email).ifPresent(problem -> fields.reject(PASSWORD, problem));
        }
        fields.validate();
        return new UserCreation(email, name, type, role, attributes, password, username, phone, timezone, locale);
    }

    /** Whether the account is invited, to set its own password, rather than given one. */
    public boolean invites() {
        return password.isEmpty();
    }

    /** Every component but password, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "UserCreation[email=" + email + ", name=" + name + ", type=" + type + ", role=" + role + ", attributes="
                + attributes + ", password=<redacted>, username=" + username + ", phone=" + phone + ", timezone="
                + timezone + ", locale=" + locale + "]";
    }
}
