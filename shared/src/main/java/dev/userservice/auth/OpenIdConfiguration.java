package dev.userservice.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenID discovery document: where verifiers find the keys and which algorithm to expect, and only what is
 * true of this service (it signs access tokens with ES256 and publishes the keys).
 */
public final class OpenIdConfiguration {
    private final String issuer;

    public OpenIdConfiguration(String issuer) {
        this.issuer = issuer;
    }

    /**
     * The document. Its URLs start with the issuer when that is a URL (a deployment with its own domain);
     * otherwise with {@code requestBase}, the scheme and host the request reached.
     */
    public Map<String, Object> document(String requestBase) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("jwks_uri", issuerUrl().orElse(requestBase) + "/.well-known/jwks.json");
        document.put("response_types_supported", List.of("token"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("ES256"));
        return document;
    }

    private Optional<String> issuerUrl() {
        if (!issuer.startsWith("https://") && !issuer.startsWith("http://")) {
            return Optional.empty();
        }
        return Optional.of(issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer);
    }
}
