package dev.userservice.accounts;

import dev.userservice.auth.PasswordPolicy;
import dev.userservice.auth.SecureTokens;
import dev.userservice.validation.Fields;
import java.util.Map;

/**
 * The confirmation of a password reset: {@code {token, new_password, confirm_password?}}, the mailed token and the
 * password to set ({@code confirm_password}, when sent, must repeat it).
 */
public record PasswordReset(String token, String newPassword) {

    /** Reads the body; the password policy is checked by the reset, which knows the account's email. */
    public static PasswordReset read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String token = fields.requiredString("token", SecureTokens.MAX_LENGTH);
        String next = fields.requiredString(PasswordChange.NEW_PASSWORD, PasswordPolicy.MAX_LENGTH);
        fields.confirmation(PasswordChange.CONFIRM_PASSWORD, PasswordChange.NEW_PASSWORD, next);
        fields.validate();
        return new PasswordReset(token, next);
    }

    /** Every component but newPassword and token, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "PasswordReset[token=<redacted>, newPassword=<redacted>]";
    }
}
