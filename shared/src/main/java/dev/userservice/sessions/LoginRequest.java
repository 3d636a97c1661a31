package dev.userservice.sessions;

import dev.userservice.auth.PasswordPolicy;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.util.Map;

/**
 * A sign-in: {@code {email, password, device_name?}}. The email is taken as typed: it is normalised when looked up,
 * so a malformed one fails like an unknown one rather than telling which addresses are well-formed.
 */
public record LoginRequest(String email, String password, String deviceName) {
    private static final int DEVICE_NAME_MAX_LENGTH = 100;

    /** Reads the body; every problem at once in one {@code validation_failed}. */
    public static LoginRequest read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String email = fields.requiredString("email", Text.EMAIL_MAX_LENGTH);
        String password = fields.requiredString("password", PasswordPolicy.MAX_LENGTH);
        String deviceName = fields.optional("device_name", DEVICE_NAME_MAX_LENGTH, Text::name).orElse(null);
        fields.validate();
        return new LoginRequest(email, password, deviceName);
    }
}
