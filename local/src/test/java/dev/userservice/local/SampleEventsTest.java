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
        Map<String, Object> registered = invoke("RegisterFunction", "register.json", Map.of());
        assertEquals(201L, registered.get("statusCode"), String.valueOf(registered));
        Map<String, Object> loggedIn = invoke("LoginFunction", "login.json", Map.of());
        assertEquals(200L, loggedIn.get("statusCode"), String.valueOf(loggedIn));
        Map<String, Object> tokens = data(loggedIn);

        Map<String, Object> refreshed = invoke("RefreshFunction", "refresh.json", Map.of("<REFRESH_TOKEN>", (String) tokens.get("refresh_token")));
        assertEquals(200L, refreshed.get("statusCode"), String.valueOf(refreshed));
        Map<String, String> access = Map.of("<ACCESS_TOKEN>", (String) data(refreshed).get("access_token"));

        assertEquals(200L, invoke("GetCurrentUserFunction", "get-current-user.json", access).get("statusCode"));
        Map<String, Object> granted = invoke("ServiceTokenFunction", "service-token.json", Map.of(
                "<CLIENT_ID>", (String) service.serviceClient().get("client_id"),
                "<CLIENT_SECRET>", (String) service.serviceClient().get("client_secret")));
        assertEquals(200L, granted.get("statusCode"), String.valueOf(granted));
        Map<String, Object> introspected = invoke("IntrospectFunction", "introspect.json", Map.of(
                "<SERVICE_TOKEN>", (String) data(granted).get("access_token"), "<ACCESS_TOKEN>", access.get("<ACCESS_TOKEN>")));
        assertEquals(true, data(introspected).get("active"), String.valueOf(introspected));

        assertEquals(200L, invoke("LogoutFunction", "logout.json", access).get("statusCode"));
        assertEquals(200L, invoke("HealthFunction", "health.json", Map.of()).get("statusCode"));
        assertEquals(200L, invoke("JwksFunction", "jwks.json", Map.of()).get("statusCode"));
        assertEquals(200L, invoke("OpenIdConfigurationFunction", "open-id-configuration.json", Map.of()).get("statusCode"));

        assertEquals(Map.of("batchItemFailures", java.util.List.of()), invoke("OutboxPublisherFunction", "outbox-publisher.json", Map.of()),
                "the sample outbox record is published");

        Map<String, Object> unmatched = invoke("RouteNotFoundFunction", "route-not-found.json", Map.of());
        assertEquals(405L, unmatched.get("statusCode"), "the sample is a DELETE of the login path");
        assertEquals("POST", ((Map<?, ?>) unmatched.get("headers")).get("Allow"));
    }

    private static Map<String, Object> invoke(String function, String sample, Map<String, String> placeholders) {
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
    private static Map<String, Object> data(Map<String, Object> answer) {
        return (Map<String, Object>) Json.parseObject((String) answer.get("body")).get("data");
    }
}
