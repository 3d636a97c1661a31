package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.local.e2e.Accounts.Account;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Paths ending in a slash, as every Django client sends them, routed as API Gateway routes them: {@code /x/} reaches
 * the route {@code /x} and is answered exactly as {@code /x} is.
 */
class TrailingSlashEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();

    @Test
    void aPublicPostWithATrailingSlashIsServed() {
        String email = uniqueEmail("slash");
        Api.Response registered = api.post("/api/v1/auth/register/", Accounts.registration(email));
        assertEquals(201, registered.status(), registered.text());

        Api.Response login = api.post("/api/v1/auth/login/", Map.of("email", email, "password", PASSWORD));

        assertEquals(200, login.status(), login.text());
        assertEquals(email, ((Map<?, ?>) login.data().get("user")).get("email"));
    }

    @Test
    void anAuthenticatedRouteAndOneWithAPathParameterAnswerAsWithoutTheSlash() {
        Account alice = accounts.register(uniqueEmail("slash"));

        Api.Response withSlash = api.get("/api/v1/users/me/", "Authorization", alice.authorization());
        assertEquals(200, withSlash.status(), withSlash.text());
        assertEquals(accounts.me(alice).data(), withSlash.data());

        Api.Response byId = api.get("/api/v1/users/" + alice.id() + "/", "Authorization", alice.authorization());
        assertEquals(200, byId.status(), byId.text());
        assertEquals(alice.id(), byId.data().get("id"));
    }

    @Test
    void aTrailingSlashIsNeitherAnEmptyIdNorAPathOfItsOwn() {
        Account alice = accounts.register(uniqueEmail("slash"));

        assertError(api.toDefaultRoute().get("/api/v1/users/me//", "Authorization", alice.authorization()), 404, "not_found");
        assertError(api.toDefaultRoute().get("/api/v1/nothing-here/"), 404, "not_found");
    }
}
