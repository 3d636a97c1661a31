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

    /** The scheme and host this request reached, as API Gateway (and the local runner) report them. */
    @Override
    protected Reply handle(HttpRequest request) {
        String scheme = request.header("x-forwarded-proto").filter(proto -> proto.equals("http")).orElse("https");
        String requestBase = scheme + "://" + request.header("host").orElse("localhost");
        return Reply.standardDocument("OpenID configuration", configuration.document(requestBase))
                .withHeader("Cache-Control", JwksHandler.CACHE_CONTROL);
    }
}
