package dev.userservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private final RouteTable<String> routes = new RouteTable<>(List.of(
            new RouteTable.Route<>("GET", "/api/v1/users/me", "me"),
            new RouteTable.Route<>("GET", "/api/v1/users/{id}", "user"),
            new RouteTable.Route<>("DELETE", "/api/v1/users/{id}", "delete user"),
            new RouteTable.Route<>("GET", "/api/v1/users/profile", "profile"),
            new RouteTable.Route<>("ANY", "/files/{path+}", "files")));

    @Test
    void aTrailingSlashReachesTheRouteWithoutIt() {
        assertEquals("me", target("GET", "/api/v1/users/me/"));
        assertEquals(Map.of("id", "42"), routes.route("GET", "/api/v1/users/42/").match().orElseThrow().pathParameters());
    }

    @Test
    void aTrailingSlashIsNotAnEmptyParameter() {
        RouteTable.Result<String> result = routes.route("GET", "/api/v1/users/");

        assertTrue(result.match().isEmpty());
        assertEquals(List.of(), result.allowedMethods(), "no route has /api/v1/users");
    }

    @Test
    void onlyOneTrailingSlashIsForgiven() {
        assertTrue(routes.route("GET", "/api/v1/users/me//").match().isEmpty());
        assertTrue(routes.route("GET", "/api/v1//me").match().isEmpty());
    }

    @Test
    void aLiteralSegmentWinsOverAParameter() {
        assertEquals("profile", target("GET", "/api/v1/users/profile"));
        assertEquals("profile", target("GET", "/api/v1/users/profile/"));
        assertEquals("user", target("GET", "/api/v1/users/someone"));
    }

    @Test
    void aPathWithAnotherMethodTellsWhichMethodsItAllows() {
        RouteTable.Result<String> result = routes.route("PUT", "/api/v1/users/42/");

        assertTrue(result.match().isEmpty());
        assertEquals(List.of("DELETE", "GET"), result.allowedMethods());
    }

    @Test
    void aGreedyParameterTakesTheRestOfThePath() {
        assertEquals(Map.of("path", "a/b"), routes.route("POST", "/files/a/b").match().orElseThrow().pathParameters());
    }

    /** Between as many literal segments, the literal further left wins, whichever order the routes came in. */
    @Test
    void aTieBetweenAsSpecificRoutesGoesToTheEarlierLiteralInAnyOrder() {
        RouteTable.Route<String> byUser = new RouteTable.Route<>("GET", "/api/v1/users/{id}/devices", "devices of a user");
        RouteTable.Route<String> byToken = new RouteTable.Route<>("GET", "/api/v1/users/push-tokens/{device_id}", "a push token");

        for (List<RouteTable.Route<String>> order : List.of(List.of(byUser, byToken), List.of(byToken, byUser))) {
            assertEquals("a push token", new RouteTable<>(order).route("GET", "/api/v1/users/push-tokens/devices").match()
                    .orElseThrow().route().target());
        }
    }

    @Test
    void aParameterWithAMalformedEscapeIsBoundAsItCame() {
        assertEquals(Map.of("id", "a%zz%"), routes.route("GET", "/api/v1/users/a%zz%").match().orElseThrow().pathParameters());
        assertEquals(Map.of("id", "a b+c"), routes.route("GET", "/api/v1/users/a%20b+c").match().orElseThrow().pathParameters());
    }

    private String target(String method, String path) {
        return routes.route(method, path).match().orElseThrow(() -> new AssertionError("no route for " + method + " " + path))
                .route().target();
    }
}
