package dev.userservice.sessions;

import dev.userservice.validation.Fields;
import java.util.Map;

/**
 * An introspection: {@code {token, token_type_hint?}}, the user's (or service's) access token to judge. The hint is
 * RFC 7662's, which clients send by habit; only access tokens are judged, and RFC 7662 has a server not finding the
 * token by its hint look for it anyway, so it is read and changes nothing.
 */
public record IntrospectionRequest(String token) {
    private static final int TOKEN_MAX_LENGTH = 8 * 1024;
    private static final int TOKEN_TYPE_HINT_MAX_LENGTH = 64;

    /** Reads the body; a missing or oversized token is {@code validation_failed}. */
    public static IntrospectionRequest read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String token = fields.requiredString("token", TOKEN_MAX_LENGTH);
        fields.optionalString("token_type_hint", TOKEN_TYPE_HINT_MAX_LENGTH);
        fields.validate();
        return new IntrospectionRequest(token);
    }

    /** Every component but token, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "IntrospectionRequest[token=<redacted>]";
    }
}
