package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.json.Json;
import dev.userservice.local.e2e.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample events users pass to {@code sam local invoke} and {@code local-api invoke} work as they are: each is
 * invoked on its function, in the order a client would, with only the token placeholders filled in.
 */
class SampleEventsTest {
    private static final Path EVENTS = LocalOptions.findTemplate().getParent().resolve("events");

    private static LocalService service;

    @BeforeAll
    static void start() {
        service = LocalService.start(LocalOptions.inMemory().withEnvironment(TestEnvironment.FAST));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void everyHttpSampleEventIsAnsweredByItsFunction() {
        answerTheHttpSampleEvents(service);
    }

    /**
     * Should API Gateway hand a route's path with a trailing slash to {@code $default} rather than to the route (its
     * documentation does not say), the client is sent to the path without it, with its query, method and body kept.
     */
    @Test
    void theDefaultRouteSendsARoutesPathWithATrailingSlashToThePathWithoutIt() {
        Map<String, Object> moved = invoke(service, "RouteNotFoundFunction", "route-not-found.json", Map.of(
                "\"DELETE\"", "\"POST\"", "\"rawPath\": \"/api/v1/auth/login\"", "\"rawPath\": \"/api/v1/users/login/\"",
                "\"path\": \"/api/v1/auth/login\"", "\"path\": \"/api/v1/users/login/\"",
                "\"rawQueryString\": \"\"", "\"rawQueryString\": \"next=a b\", \"queryStringParameters\": {\"next\": \"a b\"}"));

        assertEquals(308L, moved.get("statusCode"), String.valueOf(moved));
        assertEquals("/api/v1/users/login?next=a+b", ((Map<?, ?>) moved.get("headers")).get("Location"));
        Map<String, Object> decoded = invoke(service, "RouteNotFoundFunction", "route-not-found.json", Map.of(
                "\"DELETE\"", "\"GET\"", "\"rawPath\": \"/api/v1/auth/login\"", "\"rawPath\": \"/api/v1/users/a b%2F\u00e9%/\"",
                "\"path\": \"/api/v1/auth/login\"", "\"path\": \"/api/v1/users/a b%2F\u00e9%/\""));
        assertEquals(308L, decoded.get("statusCode"), String.valueOf(decoded));
        assertEquals("/api/v1/users/a%20b%2F%C3%A9%25", ((Map<?, ?>) decoded.get("headers")).get("Location"),
                "a path handed over decoded is encoded; an escape already in it is kept");
        Map<String, Object> unknown = invoke(service, "RouteNotFoundFunction", "route-not-found.json", Map.of(
                "\"rawPath\": \"/api/v1/auth/login\"", "\"rawPath\": \"/api/v1/nothing/\"",
                "\"path\": \"/api/v1/auth/login\"", "\"path\": \"/api/v1/nothing/\""));
        assertEquals(404L, unknown.get("statusCode"), "no route's path: nowhere to send it");
    }

    /** The HTTP sample events in a client's order, each answered as its sample promises; also for SnapStartPrimingTest. */
    static void answerTheHttpSampleEvents(LocalService service) {
        Map<String, Object> registered = invoke(service, "RegisterFunction", "register.json", Map.of());
        assertEquals(201L, registered.get("statusCode"), String.valueOf(registered));
        Map<String, Object> loggedIn = invoke(service, "LoginFunction", "login.json", Map.of());
        assertEquals(200L, loggedIn.get("statusCode"), String.valueOf(loggedIn));
        Map<String, Object> tokens = data(loggedIn);

        Map<String, Object> refreshed = invoke(service, "RefreshFunction", "refresh.json", Map.of("<REFRESH_TOKEN>", (String) tokens.get("refresh_token")));
        assertEquals(200L, refreshed.get("statusCode"), String.valueOf(refreshed));
        Map<String, String> access = Map.of("<ACCESS_TOKEN>", (String) data(refreshed).get("access_token"));

        assertEquals(200L, invoke(service, "GetCurrentUserFunction", "get-current-user.json", access).get("statusCode"));
        Map<String, Object> granted = invoke(service, "ServiceTokenFunction", "service-token.json", Map.of(
                "<CLIENT_ID>", (String) service.serviceClient().get("client_id"),
                "<CLIENT_SECRET>", (String) service.serviceClient().get("client_secret")));
        assertEquals(200L, granted.get("statusCode"), String.valueOf(granted));
        Map<String, Object> introspected = invoke(service, "IntrospectFunction", "introspect.json", Map.of(
                "<SERVICE_TOKEN>", (String) data(granted).get("access_token"), "<ACCESS_TOKEN>", access.get("<ACCESS_TOKEN>")));
        assertEquals(true, data(introspected).get("active"), String.valueOf(introspected));

        assertEquals(200L, invoke(service, "LogoutFunction", "logout.json", access).get("statusCode"));
        assertEquals(200L, invoke(service, "HealthFunction", "health.json", Map.of()).get("statusCode"));
        assertEquals(200L, invoke(service, "JwksFunction", "jwks.json", Map.of()).get("statusCode"));
        assertEquals(200L, invoke(service, "OpenIdConfigurationFunction", "open-id-configuration.json", Map.of()).get("statusCode"));

        assertEquals(Map.of("batchItemFailures", java.util.List.of()), invoke(service, "OutboxPublisherFunction", "outbox-publisher.json", Map.of()),
                "the sample outbox record is published");

        Map<String, Object> unmatched = invoke(service, "RouteNotFoundFunction", "route-not-found.json", Map.of());
        assertEquals(405L, unmatched.get("statusCode"), "the sample is a DELETE of the login path");
        assertEquals("POST", ((Map<?, ?>) unmatched.get("headers")).get("Allow"));
    }

    static Map<String, Object> invoke(LocalService service, String function, String sample, Map<String, String> placeholders) {
        String event;
        try {
            event = Files.readString(EVENTS.resolve(sample));
        } catch (IOException e) {
            throw new AssertionError("missing sample event " + sample, e);
        }
        for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
            event = event.replace(placeholder.getKey(), placeholder.getValue());
        }
        byte[] answer = service.invoke(function, event.getBytes(StandardCharsets.UTF_8));
        return Json.parseObject(new String(answer, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> data(Map<String, Object> answer) {
        return (Map<String, Object>) Json.parseObject((String) answer.get("body")).get("data");
    }
}
