package dev.userservice.accounts;

import dev.userservice.auth.PasswordPolicy;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.preferences.Preferences;
import dev.userservice.users.User;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A registration: {@code {email, password, name, username?, phone?, timezone?, locale?, preferences?, push_token?,
 * platform?, device_name?}}. {@code preferences} are the defaults with the given fields applied; their {@code updated_at} is
 * stamped when the account is stored. The earlier services' forms are read too: {@code full_name} for {@code name},
 * and {@code confirm_password}, which must repeat the password.
 */
public record RegistrationRequest(String email, String password, String name, String phone, String timezone,
                                  String locale, Preferences preferences, Optional<DeviceRegistration> device,
                                  String username) {
    static final String NAME = "name";
    static final String USERNAME = "username";
    private static final String PASSWORD = "password";

    /**
     * Reads the body; every problem at once in one {@code validation_failed}, a password the {@code policy}
     * refuses among them.
     */
    public static RegistrationRequest read(Map<String, Object> body, PasswordPolicy policy) {
        Fields fields = Fields.of(body).synonym(NAME, "full_name");
        String email = fields.required("email", Text.EMAIL_MAX_LENGTH, Text::chosenEmail);
        String password = fields.requiredString(PASSWORD, PasswordPolicy.MAX_LENGTH);
        fields.confirmation(PasswordChange.CONFIRM_PASSWORD, PASSWORD, password);
        String name = fields.required(NAME, User.NAME_MAX_LENGTH, Text::chosenName);
        String username = fields.optional(USERNAME, Text.USERNAME_MAX_LENGTH, Text::chosenUsername).orElse(null);
        String phone = fields.optional("phone", User.PHONE_MAX_LENGTH, Text::phone).orElse(null);
        String timezone = fields.optional("timezone", User.TIMEZONE_MAX_LENGTH, Text::timezone).orElse(User.DEFAULT_TIMEZONE);
        String locale = fields.optional("locale", User.LOCALE_MAX_LENGTH, Text::locale).orElse(User.DEFAULT_LOCALE);
        Preferences preferences = fields.optionalObject("preferences")
                .map(object -> Preferences.read(object, Instant.EPOCH))
                .orElseGet(() -> Preferences.defaults(Instant.EPOCH));
        Optional<DeviceRegistration> device = DeviceRegistration.readAtSignup(fields);
        if (password != null) {
            policy.problem(password, email).ifPresent(problem -> fields.reject(PASSWORD, problem));
        }
        fields.validate();
        return new RegistrationRequest(email, password, name, phone, timezone, locale, preferences, device, username);
    }

    /** The preferences chosen, as stored at {@code at}. */
    Preferences preferencesAt(Instant at) {
        return preferences.at(at);
    }

    /** Every component but password, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "RegistrationRequest[email=" + email + ", password=<redacted>, name=" + name + ", phone=" + phone
                + ", timezone=" + timezone + ", locale=" + locale + ", preferences=" + preferences + ", device="
                + device + ", username=" + username + "]";
    }
}
