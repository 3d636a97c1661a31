package dev.userservice.sessions;

import dev.userservice.auth.AccessTokens;
import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.auth.ServiceClients;
import dev.userservice.errors.ServiceException;
import dev.userservice.errors.ErrorCode;
import dev.userservice.json.JsonWritable;
import dev.userservice.users.User;
import dev.userservice.users.UserStore;
import dev.userservice.validation.Fields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tokens for services: the client-credentials grant, and introspection, which tells a service whether a user's
 * token is still good. Unlike an offline check against the JWKS, introspection sees revoked sessions and disabled
 * or deleted accounts.
 */
public final class TokenService {
    private static final int CLIENT_ID_MAX_LENGTH = 128;
    private static final int CLIENT_SECRET_MAX_LENGTH = 256;
    private static final int TOKEN_MAX_LENGTH = 8 * 1024;

    private final ServiceClients clients;
    private final AccessTokens accessTokens;
    private final SessionGuard sessions;
    private final UserStore users;

    public TokenService(ServiceClients clients, AccessTokens accessTokens, SessionGuard sessions, UserStore users) {
        this.clients = clients;
        this.accessTokens = accessTokens;
        this.sessions = sessions;
        this.users = users;
    }

    /** What a service token grant answers: no refresh token and no user, as the contract says. */
    public record ServiceToken(String accessToken, long expiresInSeconds) implements JsonWritable {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("access_token", accessToken);
            json.put("token_type", "Bearer");
            json.put("expires_in", expiresInSeconds);
            return json;
        }
    }

    /** {@code {grant_type: "client_credentials", client_id, client_secret}}; a wrong id or secret is 401. */
    public ServiceToken grant(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String grantType = fields.requiredString("grant_type", 64);
        String clientId = fields.requiredString("client_id", CLIENT_ID_MAX_LENGTH);
        String secret = fields.requiredString("client_secret", CLIENT_SECRET_MAX_LENGTH);
        if (grantType != null && !grantType.equals("client_credentials")) {
            fields.reject("grant_type", "must be client_credentials");
        }
        fields.validate();
        ServiceClients.Client client = clients.authenticate(clientId, secret)
                .orElseThrow(() -> new ServiceException(ErrorCode.INVALID_CREDENTIALS, "Unknown client or wrong secret"));
        AccessTokens.Issued issued = accessTokens.issue(client.clientId(), null, Set.of(Role.SERVICE), false);
        return new ServiceToken(issued.token(), issued.lifetime().toSeconds());
    }

    /**
     * {@code {token}} → RFC 7662's answer: {@code {active: true, sub, sid, roles, exp, email_verified}} for a token
     * that verifies and whose session and account are still live, {@code {active: false}} for anything else.
     */
    public Map<String, Object> introspect(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String token = fields.requiredString("token", TOKEN_MAX_LENGTH);
        fields.validate();
        Optional<Map<String, Object>> active = verified(token).flatMap(this::describeIfLive);
        return active.orElseGet(() -> Map.of("active", false));
    }

    private Optional<Principal> verified(String token) {
        try {
            return Optional.of(accessTokens.verify(token));
        } catch (ServiceException refused) {
            return Optional.empty();
        }
    }

    private Optional<Map<String, Object>> describeIfLive(Principal principal) {
        boolean emailVerified = false;
        if (!principal.isService()) {
            Optional<User> user = users.findById(principal.subject()).filter(User::isActive);
            if (user.isEmpty() || !sessions.isAlive(principal.subject(), principal.sessionId())) {
                return Optional.empty();
            }
            emailVerified = user.get().emailVerified();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        answer.put("sub", principal.subject());
        answer.put("sid", principal.sessionId());
        answer.put("roles", principal.roles().stream().map(Role::claim).sorted().toList());
        answer.put("exp", principal.expiresAt().getEpochSecond());
        answer.put("email_verified", emailVerified);
        return Optional.of(answer);
    }
}
