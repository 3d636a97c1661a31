package dev.userservice.functions.health;

import dev.userservice.Services;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.http.RouteTable;
import java.util.List;
import java.util.Map;

/**
 * The API's {@code $default} route: what no other route took. A known path with another method is 405
 * {@code method_not_allowed} with an {@code Allow} header, anything else 404 {@code not_found}, both in the
 * service's envelope instead of API Gateway's own body. It knows the routes from the {@code template.yaml} the
 * build puts in its jar, so no second list of routes exists.
 * <pre>
 * curl -i -X DELETE localhost:3000/api/v1/auth/login
 * </pre>
 */
public final class RouteNotFoundHandler extends HttpFunction {
    private final RouteTable<Void> routes;

    public RouteNotFoundHandler() {
        this(System.getenv());
    }

    public RouteNotFoundHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    RouteNotFoundHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.routes = new RouteTable<>(RouteTable.bundledHttpApiRoutes(RouteNotFoundHandler.class));
    }

    @Override
    protected Reply handle(HttpRequest request) {
        List<String> allowed = routes.route(request.method(), request.path()).allowedMethods();
        if (allowed.isEmpty()) {
            throw new ServiceException(ErrorCode.NOT_FOUND);
        }
        throw new ServiceException(ErrorCode.METHOD_NOT_ALLOWED, ErrorCode.METHOD_NOT_ALLOWED.defaultMessage(), List.of(),
                Map.of("Allow", String.join(", ", allowed)));
    }
}
