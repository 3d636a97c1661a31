package dev.userservice.local.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import java.util.List;
import java.util.Map;

/**
 * What the end-to-end tests of the earlier services' clients share: requests sent as those clients send them (any
 * method, a bearer token, a JSON body) and the checks on the shapes they read. Each test runs once with the
 * earlier path as written and once with the other trailing-slash form, since Django clients end every path with one.
 */
final class EarlierClients {
    private final Api api;

    EarlierClients(Api api) {
        this.api = api;
    }

    Api.Response get(String path, String accessToken) {
        return api.get(path, "Authorization", Api.bearer(accessToken));
    }

    /** A request with a JSON body (none when {@code body} is null) and the caller's bearer token (none when null). */
    Api.Response send(String method, String path, Object body, String accessToken) {
        List<String> headers = new java.util.ArrayList<>(List.of("Content-Type", "application/json"));
        if (accessToken != null) {
            headers.addAll(List.of("Authorization", Api.bearer(accessToken)));
        }
        return api.send(method, path, body == null ? null : Json.write(body), headers.toArray(String[]::new));
    }

    /**
     * The Simple JWT cycle both Django services document under {@code /api/v1/users/}: register, sign in, refresh,
     * sign out; the signed-out session's access token is then refused. Answers the registration's grant, whose
     * session is still live.
     */
    Map<String, Object> simpleJwtCycle(String email, String slash) {
        String users = "/api/v1/users";
        Api.Response registration = api.post(users + "/register" + slash, Accounts.registration(email));
        Map<String, Object> registered = assertSignedIn(registration, 201, email);
        Api.Response signIn = api.post(users + "/login" + slash, Map.of("email", email, "password", Accounts.PASSWORD));
        Map<String, Object> login = assertSignedIn(signIn, 200, email);
        // Simple JWT's names: {"refresh": ...} in, "access" and "refresh" out.
        Api.Response refresh = api.post(users + "/token/refresh" + slash, Map.of("refresh", login.get("refresh")));
        Map<String, Object> refreshed = assertSuccess(refresh, 200);
        assertTrue(refreshed.get("access") instanceof String token && !token.equals(login.get("access")), refreshed.toString());
        assertEquals(refreshed.get("access_token"), refreshed.get("access"));
        // Simple JWT's views answered the tokens at the top level: a client reading response["access"] finds them.
        for (Api.Response answer : List.of(registration, signIn, refresh)) {
            assertEquals(answer.data().get("access"), answer.body().get("access"), answer.text());
            assertEquals(answer.data().get("refresh"), answer.body().get("refresh"), answer.text());
        }

        assertSuccess(send("POST", users + "/logout" + slash, Map.of("refresh", refreshed.get("refresh")), Accounts.access(refreshed)), 200);

        Api.Response afterLogout = get(users + "/profile" + slash, Accounts.access(refreshed));
        assertEquals(401, afterLogout.status(), afterLogout.text());
        assertEquals("unauthorized", afterLogout.error(), afterLogout.text());
        return registered;
    }

    /** A success envelope with this status: {@code success} true, no error; its object {@code data}. */
    static Map<String, Object> assertSuccess(Api.Response response, int status) {
        assertSuccessEnvelope(response, status);
        return response.data();
    }

    /** A 200 success envelope whose {@code data} is a list; the list. */
    static List<?> assertListed(Api.Response response) {
        assertSuccessEnvelope(response, 200);
        return (List<?>) response.body().get("data");
    }

    private static void assertSuccessEnvelope(Api.Response response, int status) {
        assertEquals(status, response.status(), response.text());
        assertEquals(Boolean.TRUE, response.body().get("success"), response.text());
        assertNull(response.body().get("error"), response.text());
    }

    /** A token answer as every earlier client reads one: a bearer access token, a refresh token, its user. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> assertSignedIn(Api.Response response, int status, String email) {
        Map<String, Object> grant = assertSuccess(response, status);
        assertTrue(grant.get("access_token") instanceof String token && !token.isEmpty(), response.text());
        assertTrue(grant.get("refresh_token") instanceof String token && !token.isEmpty(), response.text());
        assertEquals("Bearer", grant.get("token_type"), response.text());
        assertEquals(email, ((Map<String, Object>) grant.get("user")).get("email"), response.text());
        return grant;
    }

    /** The user's fields every earlier client's profile screen reads. */
    static void assertUser(Map<String, Object> user, String id, String email) {
        assertEquals(id, user.get("id"), user.toString());
        assertEquals(email, user.get("email"), user.toString());
        assertTrue(user.containsKey("name") && user.containsKey("created_at"), user.toString());
    }
}
