package dev.userservice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A bad setting stops the function as it starts, with a message naming the variable and never quoting a secret. */
class ServiceConfigTest {
    private static ServiceConfig with(Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>(Map.of("TABLE_NAME", "Table"));
        environment.putAll(settings);
        return ServiceConfig.from(environment);
    }

    /** An AUTH token may hold any character; unencoded, ^ < > made the URL unparseable and # cut it short. */
    @ParameterizedTest
    @ValueSource(strings = {"rediss://:to^ken-s3cret@cache.example.com:6379", "rediss://:tok#en-s3cret@cache.example.com:6379",
            "cache.example.com:6379", "http://cache.example.com", "rediss:///0"})
    void aRedisUrlThatIsNoRedisUrlStopsTheFunctionWithoutQuotingIt(String url) {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> with(Map.of("REDIS_URL", url)));

        assertTrue(refused.getMessage().startsWith("Configuration REDIS_URL "), refused.getMessage());
        assertFalse(refused.getMessage().contains("s3cret") || refused.getMessage().contains("cache.example.com"), refused.getMessage());
    }

    /** A record prints every component; this one holds the inline keys, the service clients and the cache's password. */
    @Test
    void aPrintedConfigurationQuotesNoSecret() {
        String printed = with(Map.of("REDIS_URL", "rediss://:s3cret-token@cache.example.com:6379",
                "JWT_KEYS", "{\"keys\":[{\"d\":\"s3cret-key\"}]}", "SERVICE_CLIENTS", "{\"clients\":[\"s3cret-client\"]}",
                "KEY_SET_AUTHORITY", "{\"d\":\"s3cret-authority\"}", "CURSOR_SECRET", "s3cret-".repeat(5))).toString();

        assertTrue(printed.contains("Table"), printed);
        assertFalse(printed.contains("s3cret"), printed);
    }

    @Test
    void aPasswordWithReservedCharactersIsReadPercentEncoded() {
        ServiceConfig config = with(Map.of("REDIS_URL", "rediss://:to%5Eken%23x@cache.example.com:6379"));

        assertEquals(":to^ken#x", config.redisUrl().orElseThrow().getUserInfo());
        assertEquals("cache.example.com", config.redisUrl().orElseThrow().getHost());
    }

    @ParameterizedTest
    @ValueSource(strings = {"DYNAMODB_ENDPOINT", "SQS_ENDPOINT", "SECRETS_MANAGER_ENDPOINT"})
    void anEndpointIsAnHttpUrlWithAHost(String name) {
        with(Map.of(name, "http://localhost:8000"));
        assertThrows(IllegalStateException.class, () -> with(Map.of(name, "localhost:8000")));
    }

    /** Read only when first needed, a malformed document failed every request with a 500 instead of the start. */
    @ParameterizedTest
    @ValueSource(strings = {"KEY_SET_AUTHORITY", "JWT_KEYS", "SERVICE_CLIENTS"})
    void anInlineDocumentThatIsNoJsonObjectStopsTheFunctionWithoutQuotingIt(String name) {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> with(Map.of(name, "{\"kty\":\"EC\",\"d\":\"s3cret\"")));

        assertEquals("Configuration " + name + " is not a JSON object", refused.getMessage());
    }

    @Test
    void aCursorSecretTooShortToBeRandomStopsTheFunctionWithoutQuotingIt() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> with(Map.of("CURSOR_SECRET", "s3cret")));

        assertTrue(refused.getMessage().startsWith("Configuration CURSOR_SECRET: "), refused.getMessage());
        assertFalse(refused.getMessage().contains("s3cret"), refused.getMessage());
    }

    @Test
    void anIdleTimeoutLongerThanASessionsLifeStopsTheFunction() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> with(Map.of("SESSION_IDLE_DAYS", "60", "SESSION_MAX_DAYS", "30")));

        assertTrue(refused.getMessage().contains("SESSION_IDLE_DAYS"), refused.getMessage());
    }

    @Test
    void aRateLimitNamedTwiceStopsTheFunction() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> with(Map.of("RATE_LIMITS", "login_ip=100/5m,login_ip=10/5m")));

        assertTrue(refused.getMessage().contains("login_ip twice"), refused.getMessage());
    }
}
