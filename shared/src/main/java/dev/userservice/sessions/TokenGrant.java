package dev.userservice.sessions;

import dev.userservice.json.JsonWritable;
import dev.userservice.users.User;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a successful sign-in or refresh hands the client: the contract's token response. */
public record TokenGrant(String accessToken, String refreshToken, long expiresInSeconds, User user) implements JsonWritable {

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", accessToken);
        json.put("refresh_token", refreshToken);
        json.put("token_type", "Bearer");
        json.put("expires_in", expiresInSeconds);
        json.put("user", user);
        return json;
    }
}
