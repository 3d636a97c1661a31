package dev.userservice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The settings of the key set's refresh and of the address discovery publishes. */
class SigningAndDiscoveryConfigTest {
    private static ServiceConfig with(String name, String value) {
        Map<String, String> environment = new HashMap<>(Map.of("TABLE_NAME", "Table"));
        environment.put(name, value);
        return ServiceConfig.from(environment);
    }

    @Test
    void theKeySetIsReadAgainEveryFiveMinutesUnlessConfigured() {
        assertEquals(Duration.ofMinutes(5), ServiceConfig.from(Map.of("TABLE_NAME", "Table")).jwtKeysRefreshInterval());
        assertEquals(Duration.ofSeconds(1), with("JWT_KEYS_REFRESH_SECONDS", "1").jwtKeysRefreshInterval());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "3601", "soon"})
    void aRefreshIntervalOutOfRangeStopsTheFunction(String seconds) {
        assertThrows(IllegalStateException.class, () -> with("JWT_KEYS_REFRESH_SECONDS", seconds));
    }

    @Test
    void thePublicBaseUrlIsKeptWithoutItsTrailingSlash() {
        assertEquals(Optional.of("https://users.example.com/v1"), with("PUBLIC_BASE_URL", "https://users.example.com/v1/").publicBaseUrl());
        assertEquals(Optional.empty(), with("PUBLIC_BASE_URL", "").publicBaseUrl(), "empty is unset, as the template's default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"users.example.com", "ftp://users.example.com", "https://users.example.com/?x=1",
            "https://users.example.com/#keys", "https:///path", "https://exa mple.com", "HTTPS://users.example.com"})
    void aPublicBaseUrlThatIsNoHttpBaseUrlStopsTheFunction(String url) {
        assertThrows(IllegalStateException.class, () -> with("PUBLIC_BASE_URL", url));
    }
}
