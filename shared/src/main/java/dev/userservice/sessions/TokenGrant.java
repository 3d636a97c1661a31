package dev.userservice.sessions;

import dev.userservice.auth.AccessTokens;
import dev.userservice.json.JsonWritable;
import dev.userservice.users.User;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a successful sign-in or refresh hands the client: the contract's token response, with the two tokens also
 * under Simple JWT's names ({@code access}, {@code refresh}), which the earlier services' clients read.
 */
public record TokenGrant(String accessToken, String refreshToken, long expiresInSeconds, User user) implements JsonWritable {

    /** The grant of a session just started or refreshed: a new access token for it, with {@code refreshToken}. */
    public static TokenGrant issue(AccessTokens accessTokens, User user, Session session, String refreshToken) {
        AccessTokens.Issued access = accessTokens.issue(user.id(), session.id(), Set.of(user.role()), user.emailVerified());
        return new TokenGrant(access.token(), refreshToken, access.lifetime().toSeconds(), user);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", accessToken);
        json.put("refresh_token", refreshToken);
        json.put("token_type", "Bearer");
        json.put("expires_in", expiresInSeconds);
        json.put("user", user);
        json.put("access", accessToken);
        json.put("refresh", refreshToken);
        return json;
    }

    /** Every component but accessToken and refreshToken, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "TokenGrant[accessToken=<redacted>, refreshToken=<redacted>, expiresInSeconds=" + expiresInSeconds
                + ", user=" + user + "]";
    }
}
