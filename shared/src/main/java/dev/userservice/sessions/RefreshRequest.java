package dev.userservice.sessions;

import dev.userservice.auth.SecureTokens;
import dev.userservice.validation.Fields;
import java.util.Map;

/** A refresh: {@code {refresh_token}} (or Simple JWT's {@code refresh}), the token to exchange for a new pair. */
public record RefreshRequest(String refreshToken) {
    static final String REFRESH_TOKEN = "refresh_token";

    /** Reads the body; a missing or oversized token is {@code validation_failed}. */
    public static RefreshRequest read(Map<String, Object> body) {
        Fields fields = Fields.of(body).synonym(REFRESH_TOKEN, "refresh");
        String refreshToken = fields.requiredString(REFRESH_TOKEN, SecureTokens.MAX_LENGTH);
        fields.validate();
        return new RefreshRequest(refreshToken);
    }

    /** Every component but refreshToken, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "RefreshRequest[refreshToken=<redacted>]";
    }
}
