package dev.userservice.accounts;

import dev.userservice.auth.PasswordPolicy;
import dev.userservice.validation.Fields;
import java.util.Map;

/** A user's deletion of their own account: {@code {password}}, which must be the account's. */
public record AccountDeletion(String password) {

    /** Reads the body; a missing password is {@code validation_failed}. */
    public static AccountDeletion read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String password = fields.requiredString("password", PasswordPolicy.MAX_LENGTH);
        fields.validate();
        return new AccountDeletion(password);
    }

    /** Every component but password, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "AccountDeletion[password=<redacted>]";
    }
}
