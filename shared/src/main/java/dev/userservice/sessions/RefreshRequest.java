package dev.userservice.sessions;

import dev.userservice.auth.SecureTokens;
import dev.userservice.validation.Fields;
import java.util.Map;

/** A refresh: {@code {refresh_token}}, the token to exchange for a new pair. */
public record RefreshRequest(String refreshToken) {

    /** Reads the body; a missing or oversized token is {@code validation_failed}. */
    public static RefreshRequest read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String refreshToken = fields.requiredString("refresh_token", SecureTokens.MAX_LENGTH);
        fields.validate();
        return new RefreshRequest(refreshToken);
    }
}
