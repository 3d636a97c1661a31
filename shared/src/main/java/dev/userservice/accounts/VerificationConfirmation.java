package dev.userservice.accounts;

import dev.userservice.auth.SecureTokens;
import dev.userservice.validation.Fields;
import java.util.Map;

/** The confirmation of an email address: {@code {token}}, the token mailed to it. */
public record VerificationConfirmation(String token) {

    /** Reads the body; a missing or oversized token is {@code validation_failed}. */
    public static VerificationConfirmation read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String token = fields.requiredString("token", SecureTokens.MAX_LENGTH);
        fields.validate();
        return new VerificationConfirmation(token);
    }

    /** Every component but token, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "VerificationConfirmation[token=<redacted>]";
    }
}
