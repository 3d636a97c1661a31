package dev.userservice.sessions;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.errors.ErrorCode;
import dev.userservice.testing.IdentityServices;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
    private final IdentityServices identity = new IdentityServices();
    private final TokenService tokens = identity.tokens;

    @Test
    void aServiceWithItsSecretGetsAServiceTokenAndAWrongSecretIsRefused() {
        TokenService.ServiceToken token = tokens.grant(new ClientCredentials(IdentityServices.SERVICE_CLIENT, IdentityServices.SERVICE_SECRET));

        Principal service = identity.auth.authenticate(token.accessToken());
        assertEquals(Set.of(Role.SERVICE), service.roles());
        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() ->
                tokens.grant(new ClientCredentials(IdentityServices.SERVICE_CLIENT, "a guess"))));
    }

    @Test
    void anyGrantTypeButClientCredentialsIsAValidationFailure() {
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ClientCredentials.read(
                Map.of("grant_type", "password", "client_id", "mailer", "client_secret", "x"))));
    }

    @Test
    void aLiveUsersTokenIsActiveWithItsClaims() {
        TokenGrant grant = identity.register("alice@example.com");

        Map<String, Object> answer = tokens.introspect(new IntrospectionRequest(grant.accessToken())).toJson();

        assertEquals(true, answer.get("active"));
        assertEquals(grant.user().id(), answer.get("sub"));
        assertEquals(List.of("user"), answer.get("roles"));
        assertEquals(false, answer.get("email_verified"));
    }

    @Test
    void theTokenOfAnEndedSessionOrADisabledAccountIsInactiveAndSaysNothingMore() {
        TokenGrant signedOut = identity.register("alice@example.com");
        identity.auth.logout(identity.principal(signedOut), Optional.empty());
        TokenGrant disabled = identity.register("bob@example.com");
        identity.disable(disabled.user().id());

        assertEquals(Map.of("active", false), tokens.introspect(new IntrospectionRequest(signedOut.accessToken())).toJson());
        assertFalse(tokens.introspect(new IntrospectionRequest(disabled.accessToken())).isActive());
        assertFalse(tokens.introspect(new IntrospectionRequest("not.a.token")).isActive());
    }

    @Test
    void anExpiredTokenOfALiveSessionIsInactive() {
        TokenGrant grant = identity.register("alice@example.com");

        identity.clock.advance(IdentityServices.ACCESS_TOKEN_LIFETIME.plusMinutes(10));

        assertEquals(Map.of("active", false), tokens.introspect(new IntrospectionRequest(grant.accessToken())).toJson());
    }

    @Test
    void aServiceTokenIsActiveWithoutAnAccount() {
        TokenService.ServiceToken token = tokens.grant(new ClientCredentials(IdentityServices.SERVICE_CLIENT, IdentityServices.SERVICE_SECRET));

        assertTrue(tokens.introspect(new IntrospectionRequest(token.accessToken())).isActive());
    }
}
