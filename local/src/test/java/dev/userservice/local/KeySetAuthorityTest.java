package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import dev.userservice.local.e2e.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The key-set authority as the runner deploys it: made by the template's custom resource before the functions, whose
 * {@code KEY_SET_AUTHORITY} is the resource's answer, so a function that only verifies tokens holds no private key.
 */
class KeySetAuthorityTest {
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
    void theSampleEventIsAnsweredWithTheKeyEveryFunctionIsConfiguredWith() throws IOException {
        Map<String, Object> sample = Json.parseObject(Files.readString(LocalOptions.findTemplate().getParent()
                .resolve("events/key-set-authority.json")));

        Map<String, Object> answer = CustomResources.answer(sample, event -> service.invoke("KeySetAuthorityFunction", event));

        assertEquals("SUCCESS", answer.get("Status"), String.valueOf(answer));
        assertEquals(sample.get("RequestId"), answer.get("RequestId"));
        String publicKey = String.valueOf(((Map<?, ?>) answer.get("Data")).get("PublicKey"));
        for (String function : service.functionNames()) {
            if (!function.equals("KeySetAuthorityFunction")) {
                assertEquals(publicKey, service.functionEnvironment(function).get("KEY_SET_AUTHORITY"), function);
            }
        }
    }

    @Test
    void aFunctionThatOnlyVerifiesTokensIsGivenNoSigningKeyAndServes() {
        SampleEventsTest.invoke(service, "RegisterFunction", "register.json", Map.of());
        String token = (String) SampleEventsTest.data(SampleEventsTest.invoke(service, "LoginFunction", "login.json", Map.of()))
                .get("access_token");

        Map<String, Object> answer = SampleEventsTest.invoke(service, "GetCurrentUserFunction", "get-current-user.json",
                Map.of("<ACCESS_TOKEN>", token));

        assertEquals(200L, answer.get("statusCode"), String.valueOf(answer));
        assertFalse(service.functionEnvironment("GetCurrentUserFunction").containsKey("JWT_KEYS_FILE"));
        assertTrue(service.functionEnvironment("LoginFunction").containsKey("JWT_KEYS_FILE"), "the signing function has them");
    }
}
