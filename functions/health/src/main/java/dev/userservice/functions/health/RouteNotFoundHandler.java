package dev.userservice.functions.health;

import dev.userservice.Services;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.http.RouteTable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The API's {@code $default} route: what no other route took. A known path with another method is 405
 * {@code method_not_allowed} with an {@code Allow} header, a known path with a trailing slash 308 to the path without
 * it, anything else 404 {@code not_found}, in the service's envelope instead of API Gateway's own body. It knows the routes from the {@code template.yaml} the
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
        RouteTable.Result<Void> result = routes.route(request.method(), request.path());
        if (result.match().isPresent() && request.path().length() > 1 && request.path().endsWith("/")) {
            // A route's path with a trailing slash, which API Gateway handed here rather than to the route (its
            // documentation does not say which it does): the same request again without the slash. 308 keeps the
            // method and the body; the earlier services' clients (python requests) follow it.
            return new Reply(308, "Moved: the path without its trailing slash", null, null,
                    Map.of("Location", uriPath(request.path().substring(0, request.path().length() - 1)) + queryString(request)), null, false);
        }
        List<String> allowed = result.allowedMethods();
        if (allowed.isEmpty()) {
            throw new ServiceException(ErrorCode.NOT_FOUND);
        }
        throw new ServiceException(ErrorCode.METHOD_NOT_ALLOWED, ErrorCode.METHOD_NOT_ALLOWED.defaultMessage(), List.of(),
                Map.of("Allow", String.join(", ", allowed)));
    }

    /**
     * The path as a URI's path, which a {@code Location} must be: API Gateway may hand the path over decoded, so a
     * character a path may not hold is percent-encoded, and an escape already there is kept.
     */
    static String uriPath(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        StringBuilder uri = new StringBuilder(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            int octet = bytes[i] & 0xff;
            boolean escape = octet == '%' && i + 2 < bytes.length && isHexDigit(bytes[i + 1]) && isHexDigit(bytes[i + 2]);
            if (escape || isPathCharacter(octet)) {
                uri.append((char) octet);
            } else {
                uri.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) octet));
            }
        }
        return uri.toString();
    }

    /** RFC 3986's pchar (without its escapes) and the segments' separator. */
    private static boolean isPathCharacter(int octet) {
        return octet < 0x80 && (Character.isLetterOrDigit(octet) || "-._~!$&'()*+,;=:@/".indexOf(octet) >= 0);
    }

    private static boolean isHexDigit(byte octet) {
        return Character.digit(octet, 16) >= 0;
    }

    private static String queryString(HttpRequest request) {
        return request.query().isEmpty() ? "" : "?" + request.query().entrySet().stream()
                .map(parameter -> encode(parameter.getKey()) + "=" + encode(parameter.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
