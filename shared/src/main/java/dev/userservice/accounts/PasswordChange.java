package dev.userservice.accounts;

import dev.userservice.auth.PasswordPolicy;
import dev.userservice.validation.Fields;
import java.util.Map;

/**
 * A password change while signed in: {@code {current_password, new_password, confirm_password?}}, where the earlier
 * services' {@code old_password} is {@code current_password} and {@code confirm_password}, when sent, must repeat
 * the new password.
 */
public record PasswordChange(String currentPassword, String newPassword) {
    static final String NEW_PASSWORD = "new_password";
    static final String CONFIRM_PASSWORD = "confirm_password";

    /** Reads the body; the password policy is checked by the change, which knows the account's email. */
    public static PasswordChange read(Map<String, Object> body) {
        Fields fields = Fields.of(body).synonym("current_password", "old_password");
        String current = fields.requiredString("current_password", PasswordPolicy.MAX_LENGTH);
        String next = fields.requiredString(NEW_PASSWORD, PasswordPolicy.MAX_LENGTH);
        fields.confirmation(CONFIRM_PASSWORD, NEW_PASSWORD, next);
        fields.validate();
        return new PasswordChange(current, next);
    }

    /** Every component but currentPassword and newPassword, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "PasswordChange[currentPassword=<redacted>, newPassword=<redacted>]";
    }
}
