package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.access;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Accounts.userId;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Service tokens from the client-credentials grant, and introspection of user tokens by services. */
class ServiceTokensEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();

    @Test
    void theDevelopmentClientGetsAServiceToken() {
        Api.Response granted = api.post("/api/v1/auth/token", credentials(running.service().serviceClient().get("client_secret")));

        assertEquals(200, granted.status(), granted.text());
        assertEquals("no-store", granted.header("Cache-Control"));
        assertEquals("Bearer", granted.data().get("token_type"));
        assertEquals(900L, granted.data().get("expires_in"));
        assertNull(granted.data().get("refresh_token"), "services get no refresh token");
    }

    @Test
    void aWrongSecretOrGrantTypeIsRefused() {
        assertEquals("invalid_credentials", api.post("/api/v1/auth/token", credentials("not-the-secret")).error());
        Map<String, Object> unknownClient = Map.of("grant_type", "client_credentials", "client_id", "nobody", "client_secret", "x");
        assertEquals("invalid_credentials", api.post("/api/v1/auth/token", unknownClient).error());
        Map<String, Object> password = Map.of("grant_type", "password", "client_id", "local-dev", "client_secret", "x");
        assertEquals("validation_failed", api.post("/api/v1/auth/token", password).error());
    }

    @Test
    void introspectionSeesRevokedSessionsThatOfflineChecksCannot() {
        String serviceToken = serviceToken();
        Map<String, Object> grant = accounts.registerGrant(uniqueEmail("svc"));
        String userToken = access(grant);
        String userId = userId(grant);

        Api.Response live = introspect(serviceToken, userToken);
        assertEquals(200, live.status(), live.text());
        assertEquals(true, live.data().get("active"));
        assertEquals(userId, live.data().get("sub"));
        assertEquals(List.of("user"), live.data().get("roles"));
        assertEquals(false, live.data().get("email_verified"));

        api.post("/api/v1/auth/logout", Map.of(), "Authorization", bearer(userToken));

        assertEquals(Map.of("active", false), introspect(serviceToken, userToken).data(), "a revoked session is inactive");
        assertEquals(Map.of("active", false), introspect(serviceToken, "not.a.token").data());
        assertEquals(List.of("service"), introspect(serviceToken, serviceToken).data().get("roles"));
    }

    /** RFC 7662's hint, which introspection clients send by habit, whatever it names. */
    @Test
    void introspectionTakesATokenTypeHint() {
        String serviceToken = serviceToken();
        String userToken = access(accounts.registerGrant(uniqueEmail("svc")));

        for (String hint : List.of("access_token", "refresh_token")) {
            Api.Response answer = api.post("/api/v1/auth/introspect", Map.of("token", userToken, "token_type_hint", hint),
                    "Authorization", bearer(serviceToken));
            assertEquals(200, answer.status(), answer.text());
            assertEquals(true, answer.data().get("active"));
        }
    }

    @Test
    void serviceTokensReachServiceRoutesAndNothingAUserOwns() {
        String serviceToken = serviceToken();
        String userToken = access(accounts.registerGrant(uniqueEmail("svc")));

        assertEquals(403, introspect(userToken, serviceToken).status(), "a user cannot introspect");
        assertEquals(403, api.get("/api/v1/users/me", "Authorization", bearer(serviceToken)).status(),
                "a service is nobody's current user");
        assertEquals(403, api.post("/api/v1/auth/logout", Map.of(), "Authorization", bearer(serviceToken)).status());
    }

    private static Api.Response introspect(String callerToken, String token) {
        return api.post("/api/v1/auth/introspect", Map.of("token", token), "Authorization", bearer(callerToken));
    }

    private static String serviceToken() {
        Api.Response granted = api.post("/api/v1/auth/token", credentials(running.service().serviceClient().get("client_secret")));
        assertEquals(200, granted.status(), granted.text());
        return (String) granted.data().get("access_token");
    }

    private static Map<String, Object> credentials(Object secret) {
        return Map.of("grant_type", "client_credentials", "client_id", running.service().serviceClient().get("client_id"),
                "client_secret", secret);
    }
}
