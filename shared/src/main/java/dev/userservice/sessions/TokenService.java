package dev.userservice.sessions;

import dev.userservice.auth.AccessTokens;
import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.auth.ServiceClients;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.JsonWritable;
import dev.userservice.users.User;
import dev.userservice.users.UserStore;
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

        /** Every component but accessToken, which the generated text would print wherever the record is logged. */
        @Override
        public String toString() {
            return "ServiceToken[accessToken=<redacted>, expiresInSeconds=" + expiresInSeconds + "]";
        }
    }

    /** The client-credentials grant; a wrong id or secret is 401. */
    public ServiceToken grant(ClientCredentials credentials) {
        ServiceClients.Client client = clients.authenticate(credentials.clientId(), credentials.clientSecret())
                .orElseThrow(() -> new ServiceException(ErrorCode.INVALID_CREDENTIALS, "Unknown client or wrong secret"));
        AccessTokens.Issued issued = accessTokens.issue(client.clientId(), null, Set.of(Role.SERVICE), false);
        return new ServiceToken(issued.token(), issued.lifetime().toSeconds());
    }

    /**
     * Whether the token is active: it verifies, and for a user's token its session lives and its account is active.
     * Anything else is inactive, with no hint of why.
     */
    public Introspection introspect(IntrospectionRequest request) {
        return verified(request.token()).map(this::describeIfLive).orElse(Introspection.INACTIVE);
    }

    private Optional<Principal> verified(String token) {
        try {
            return Optional.of(accessTokens.verify(token));
        } catch (ServiceException refused) {
            return Optional.empty();
        }
    }

    private Introspection describeIfLive(Principal principal) {
        if (principal.isService()) {
            return new Introspection(Optional.of(principal), false);
        }
        Optional<User> user = users.findById(principal.subject()).filter(User::isActive);
        if (user.isEmpty() || !sessions.isAlive(principal.subject(), principal.sessionId())) {
            return Introspection.INACTIVE;
        }
        return new Introspection(Optional.of(principal), user.get().emailVerified());
    }
}
