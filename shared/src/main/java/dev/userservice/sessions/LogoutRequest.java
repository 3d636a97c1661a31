package dev.userservice.sessions;

import dev.userservice.auth.SecureTokens;
import dev.userservice.validation.Fields;
import java.util.Map;
import java.util.Optional;

/**
 * A sign-out's body, which may be empty: {@code {refresh_token?}} (or Simple JWT's {@code refresh}), the refresh
 * token earlier clients send along to blacklist it. With an access token the service accepts, the session that ends
 * is the access token's, which retires its refresh token with it, and the token sent names nothing more; without
 * one, it names the session to end.
 */
public record LogoutRequest(Optional<String> refreshToken) {

    /** Reads the body; anything but that one field is {@code validation_failed}. */
    public static LogoutRequest read(Map<String, Object> body) {
        Fields fields = Fields.of(body).synonym(RefreshRequest.REFRESH_TOKEN, "refresh");
        Optional<String> refreshToken = fields.optionalString(RefreshRequest.REFRESH_TOKEN, SecureTokens.MAX_LENGTH);
        fields.validate();
        return new LogoutRequest(refreshToken);
    }

    /** Every component but refreshToken, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "LogoutRequest[refreshToken=<redacted>]";
    }
}
