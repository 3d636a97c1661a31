package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.auth.OpenIdConfiguration;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code GET /.well-known/openid-configuration}: where verifiers find the keys and which algorithm to expect.
 * <pre>
 * curl localhost:3000/.well-known/openid-configuration
 * </pre>
 */
public final class OpenIdConfigurationHandler extends HttpFunction {
    private final OpenIdConfiguration configuration;

    public OpenIdConfigurationHandler() {
        this(System.getenv());
    }

    public OpenIdConfigurationHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    OpenIdConfigurationHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.configuration = services.openIdConfiguration();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.standardDocument("OpenID configuration", configuration.document(request.apiId()))
                .withHeader("Cache-Control", JwksHandler.CACHE_CONTROL);
    }
}
