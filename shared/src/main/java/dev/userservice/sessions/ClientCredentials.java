package dev.userservice.sessions;

import dev.userservice.validation.Fields;
import java.util.Map;

/** A service's token request: {@code {grant_type: "client_credentials", client_id, client_secret}}. */
public record ClientCredentials(String clientId, String clientSecret) {
    private static final int GRANT_TYPE_MAX_LENGTH = 64;
    private static final int CLIENT_ID_MAX_LENGTH = 128;
    private static final int CLIENT_SECRET_MAX_LENGTH = 256;

    /** Reads the body; any grant type but {@code client_credentials} is {@code validation_failed}. */
    public static ClientCredentials read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String grantType = fields.requiredString("grant_type", GRANT_TYPE_MAX_LENGTH);
        String clientId = fields.requiredString("client_id", CLIENT_ID_MAX_LENGTH);
        String secret = fields.requiredString("client_secret", CLIENT_SECRET_MAX_LENGTH);
        if (grantType != null && !grantType.equals("client_credentials")) {
            fields.reject("grant_type", "must be client_credentials");
        }
        fields.validate();
        return new ClientCredentials(clientId, secret);
    }

    /** Every component but clientSecret, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + ", clientSecret=<redacted>]";
    }
}
