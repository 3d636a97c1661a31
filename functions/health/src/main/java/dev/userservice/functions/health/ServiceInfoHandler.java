package dev.userservice.functions.health;

import dev.userservice.Services;
import dev.userservice.health.ServiceInformation;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code GET /} and {@code GET /api/v1}: the service's name and version and the links to its docs, its OpenAPI
 * document and its JWKS.
 * <pre>
 * curl localhost:3000/
 * </pre>
 */
public final class ServiceInfoHandler extends HttpFunction {
    private final ServiceInformation information;

    public ServiceInfoHandler() {
        this(System.getenv());
    }

    public ServiceInfoHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    ServiceInfoHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.information = services.serviceInformation();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("User service", information.describe(request.apiId()));
    }
}
