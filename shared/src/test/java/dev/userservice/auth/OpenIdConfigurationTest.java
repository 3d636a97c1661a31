package dev.userservice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenIdConfigurationTest {
    @Test
    void anIssuerThatIsAUrlNamesTheKeysWhateverHostTheRequestReached() {
        var document = new OpenIdConfiguration("https://users.example.com/").document("https://attacker.example");

        assertEquals("https://users.example.com/", document.get("issuer"));
        assertEquals("https://users.example.com/.well-known/jwks.json", document.get("jwks_uri"));
    }

    @Test
    void anIssuerThatIsNoUrlNamesTheKeysAtTheHostTheRequestReached() {
        var document = new OpenIdConfiguration("urn:user-service").document("http://localhost:3000");

        assertEquals("urn:user-service", document.get("issuer"));
        assertEquals("http://localhost:3000/.well-known/jwks.json", document.get("jwks_uri"));
        assertEquals(List.of("ES256"), document.get("id_token_signing_alg_values_supported"));
    }
}
