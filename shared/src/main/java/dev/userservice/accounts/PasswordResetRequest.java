package dev.userservice.accounts;

import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.util.Map;

/** A request for a password-reset email: {@code {email}}, normalised as stored. */
public record PasswordResetRequest(String email) {

    /** Reads the body; a missing or malformed email is {@code validation_failed}. */
    public static PasswordResetRequest read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String email = fields.required("email", Text.EMAIL_MAX_LENGTH, Text::email);
        fields.validate();
        return new PasswordResetRequest(email);
    }
}
