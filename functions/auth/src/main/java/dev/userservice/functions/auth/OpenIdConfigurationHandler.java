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
        // Only what is true of this service: it signs access tokens with ES256 and publishes the keys.
        document.put("response_types_supported", List.of("token"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("ES256"));
        return Reply.standardDocument("OpenID configuration", document).withHeader("Cache-Control", JwksHandler.CACHE_CONTROL);
    }

    /**
     * The issuer when it is a URL (a deployment with its own domain); otherwise the scheme and host this request
     * reached, as API Gateway (and the local runner) report them in X-Forwarded-Proto and Host.
     */
    private String baseUrl(HttpRequest request) {
        String issuer = config.jwtIssuer();
        if (issuer.startsWith("https://") || issuer.startsWith("http://")) {
            return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        }
        String scheme = request.header("x-forwarded-proto").filter(proto -> proto.equals("http")).orElse("https");
        return scheme + "://" + request.header("host").orElse("localhost");
    }
}
