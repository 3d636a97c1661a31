package dev.userservice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the discovery document sends verifiers for the keys: configuration decides, never the request's host. */
class OpenIdConfigurationTest {
    private static final String API_ID = "abcdef1234";

    @Test
    void theConfiguredPublicBaseUrlNamesTheKeys() {
        var document = new OpenIdConfiguration("urn:user-service", Optional.of("https://users.example.com"), "eu-west-1")
                .document(API_ID);

        assertEquals("urn:user-service", document.get("issuer"));
        assertEquals("https://users.example.com/.well-known/jwks.json", document.get("jwks_uri"));
        assertEquals(List.of("ES256"), document.get("id_token_signing_alg_values_supported"));
    }

    @Test
    void theConfiguredPublicBaseUrlWinsOverAnIssuerThatIsAUrl() {
        var document = new OpenIdConfiguration("https://issuer.example.com", Optional.of("https://users.example.com/v1"),
                "eu-west-1").document(API_ID);

        assertEquals("https://users.example.com/v1/.well-known/jwks.json", document.get("jwks_uri"));
    }

    @Test
    void anIssuerThatIsAUrlNamesTheKeysWhenNoBaseUrlIsConfigured() {
        var document = new OpenIdConfiguration("https://users.example.com/", Optional.empty(), "eu-west-1").document(API_ID);

        assertEquals("https://users.example.com/", document.get("issuer"));
        assertEquals("https://users.example.com/.well-known/jwks.json", document.get("jwks_uri"));
    }

    @Test
    void otherwiseTheApisOwnExecuteApiAddressNamesTheKeys() {
        assertEquals("https://abcdef1234.execute-api.eu-west-1.amazonaws.com/.well-known/jwks.json",
                new OpenIdConfiguration("urn:user-service", Optional.empty(), "eu-west-1").document(API_ID).get("jwks_uri"));
        assertEquals("https://abcdef1234.execute-api.cn-north-1.amazonaws.com.cn/.well-known/jwks.json",
                new OpenIdConfiguration("urn:user-service", Optional.empty(), "cn-north-1").document(API_ID).get("jwks_uri"));
    }

    @Test
    void anApiIdThatIsNoApiGatewayIdIsNeverPutInTheAddress() {
        var configuration = new OpenIdConfiguration("urn:user-service", Optional.empty(), "eu-west-1");

        assertThrows(IllegalStateException.class, () -> configuration.document("attacker.example/x"));
        assertThrows(IllegalStateException.class, () -> configuration.document(""));
    }
}
