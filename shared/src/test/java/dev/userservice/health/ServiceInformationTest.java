package dev.userservice.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.auth.OpenIdConfiguration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceInformationTest {

    @Test
    void linksStartWithTheConfiguredPublicAddress() {
        ServiceInformation information = new ServiceInformation("1.4.2",
                new OpenIdConfiguration("urn:user-service", Optional.of("https://users.example.com"), "eu-west-1"));

        ServiceInformation.Description description = information.describe("abc123");

        assertEquals("user-service", description.name());
        assertEquals("1.4.2", description.version());
        assertEquals(Map.of(
                "docs", "https://users.example.com/docs",
                "openapi", "https://users.example.com/openapi.yaml",
                "jwks", "https://users.example.com/.well-known/jwks.json",
                "openid_configuration", "https://users.example.com/.well-known/openid-configuration",
                "health", "https://users.example.com/health"), description.links());
    }

    @Test
    void withoutAConfiguredAddressLinksUseTheApiGatewayAddressOfTheApiId() {
        ServiceInformation information = new ServiceInformation("dev",
                new OpenIdConfiguration("urn:user-service", Optional.empty(), "eu-west-1"));

        assertEquals("https://abc123.execute-api.eu-west-1.amazonaws.com/openapi.yaml",
                information.describe("abc123").links().get("openapi"));
    }
}
