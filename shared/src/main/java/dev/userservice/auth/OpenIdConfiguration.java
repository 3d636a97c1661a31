package dev.userservice.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The OpenID discovery document: where verifiers find the keys and which algorithm to expect, and only what is
 * true of this service (it signs access tokens with ES256 and publishes the keys).
 *
 * <p>Its URLs start with the service's public address, taken from configuration and never from the request's
 * {@code Host} header, which any client can set and whose answer caches would keep for everyone: the configured
 * public base URL ({@code PUBLIC_BASE_URL}); else the issuer, when it is a URL; else the address API Gateway gives
 * the API ({@code https://<api id>.execute-api.<region>.amazonaws.com}), from the API id that API Gateway, not the
 * client, puts in the request. The template cannot hand the functions that address: the API is built from the
 * functions, so a function naming it would be a circular reference.
 */
public final class OpenIdConfiguration {
    /** Where the service publishes its verification keys, under its public base URL. */
    public static final String JWKS_PATH = "/.well-known/jwks.json";
    private static final Pattern API_ID = Pattern.compile("[a-z0-9]{1,32}");

    private final String issuer;
    private final Optional<String> publicBaseUrl;
    private final String region;

    public OpenIdConfiguration(String issuer, Optional<String> publicBaseUrl, String region) {
        this.issuer = issuer;
        this.publicBaseUrl = publicBaseUrl;
        this.region = region;
    }

    /** The document for a request that reached the API whose id API Gateway reports as {@code apiId}. */
    public Map<String, Object> document(String apiId) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("jwks_uri", baseUrl(apiId) + JWKS_PATH);
        document.put("response_types_supported", List.of("token"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("ES256"));
        return document;
    }

    /** The service's public address, with no trailing slash, for a request to the API {@code apiId}. */
    public String baseUrl(String apiId) {
        return publicBaseUrl.or(this::issuerUrl).orElseGet(() -> apiGatewayUrl(apiId));
    }

    private Optional<String> issuerUrl() {
        if (!issuer.startsWith("https://") && !issuer.startsWith("http://")) {
            return Optional.empty();
        }
        return Optional.of(issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer);
    }

    private String apiGatewayUrl(String apiId) {
        if (!API_ID.matcher(apiId).matches()) {
            throw new IllegalStateException("Configure PUBLIC_BASE_URL: the request names no API Gateway API");
        }
        String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return "https://" + apiId + ".execute-api." + region + "." + suffix;
    }
}
