package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.config.ServiceConfig;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /.well-known/openid-configuration}: where verifiers find the keys and which algorithm to expect.
 * <pre>
 * curl localhost:3000/.well-known/openid-configuration
 * </pre>
 */
public final class OpenIdConfigurationHandler extends HttpFunction {
    private final ServiceConfig config;

    public OpenIdConfigurationHandler() {
        this(System.getenv());
    }

    public OpenIdConfigurationHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    OpenIdConfigurationHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.config = services.config();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        String base = baseUrl(request);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", config.jwtIssuer());
        document.put("jwks_uri", base + "/.well-known/jwks.json");
        document.put("grant_types_supported", List.of("password", "refresh_token"));
        document.put("response_types_supported", List.of("token"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("ES256"));
        document.put("token_endpoint_auth_methods_supported", List.of("none"));
        return Reply.standardDocument("OpenID configuration", document).withHeader("Cache-Control", JwksHandler.CACHE_CONTROL);
    }

    /**
     * The issuer when it is a URL (as it is locally and for deployments with their own domain); otherwise the
     * host this request reached, which is API Gateway's, always served over HTTPS.
     */
    private String baseUrl(HttpRequest request) {
        String issuer = config.jwtIssuer();
        if (issuer.startsWith("https://") || issuer.startsWith("http://")) {
            return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        }
        return "https://" + request.header("host").orElse("localhost");
    }
}
