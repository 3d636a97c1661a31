package dev.userservice.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes matched as API Gateway's HTTP API matches them: literal segments before {@code {parameters}}, a greedy
 * {@code {proxy+}} last, {@code ANY} for every method. A path that some route has, but not with this method, is
 * told apart from a path no route has (405 versus 404). The local runner routes with it, and the API's
 * {@code $default} route uses it to answer what no other route took.
 */
public final class RouteTable<T> {
    /** The route API Gateway sends everything to that no other route matches. */
    public static final String DEFAULT_ROUTE = "$default";

    public record Route<T>(String method, String path, T target) {
        public String routeKey() {
            return path.equals(DEFAULT_ROUTE) ? DEFAULT_ROUTE : method + " " + path;
        }
    }

    /** The route a request matched and the path parameters it bound. */
    public record Match<T>(Route<T> route, Map<String, String> pathParameters) {}

    /** A match, or else the methods the path allows (none for an unknown path) and the {@code $default} route if any. */
    public record Result<T>(Optional<Match<T>> match, List<String> allowedMethods, Optional<Route<T>> defaultRoute) {}

    private record Entry<T>(Route<T> route, String[] segments) {}

    private static final Pattern TEMPLATE_EVENT_FIELD = Pattern.compile("^\\s*(Type|Method|Path):\\s*['\"]?([^'\"\\s#]+)['\"]?\\s*(#.*)?$");

    private final List<Entry<T>> entries = new ArrayList<>();
    private final Optional<Route<T>> defaultRoute;

    public RouteTable(List<Route<T>> routes) {
        Route<T> fallback = null;
        for (Route<T> route : routes) {
            if (route.path().equals(DEFAULT_ROUTE)) {
                fallback = route;
            } else {
                entries.add(new Entry<>(route, split(route.path())));
            }
        }
        defaultRoute = Optional.ofNullable(fallback);
        // The most specific route wins: more literal segments first, then non-greedy before greedy, then, between
        // as many literals (/users/{id}/devices and /users/push-tokens/{id} both take /users/push-tokens/devices),
        // the literal further left, so that the winner does not depend on the order the routes were listed in.
        entries.sort(Comparator.comparingInt((Entry<T> entry) -> -literalSegments(entry.segments))
                .thenComparingInt(entry -> greedy(entry.segments) ? 1 : 0)
                .thenComparing(entry -> parameterPositions(entry.segments)));
    }

    /**
     * The {@code HttpApi} events of a SAM template's text, in the layout {@code template.yaml} uses (a
     * {@code Type: HttpApi} line, then its {@code Method} and {@code Path}). A contract test holds this reading
     * to a full YAML parse of the template, so the two cannot drift apart.
     */
    public static List<Route<Void>> httpApiRoutes(String templateText) {
        List<Route<Void>> routes = new ArrayList<>();
        boolean inHttpApiEvent = false;
        String method = null;
        String path = null;
        for (String line : templateText.split("\n")) {
            Matcher field = TEMPLATE_EVENT_FIELD.matcher(line);
            if (!field.matches()) {
                continue;
            }
            switch (field.group(1)) {
                case "Type" -> {
                    inHttpApiEvent = field.group(2).equals("HttpApi");
                    method = null;
                    path = null;
                }
                case "Method" -> method = inHttpApiEvent ? field.group(2).toUpperCase(java.util.Locale.ROOT) : null;
                default -> path = inHttpApiEvent ? field.group(2) : null;
            }
            if (inHttpApiEvent && path != null && (method != null || path.equals(DEFAULT_ROUTE))) {
                routes.add(new Route<>(method == null ? "ANY" : method, path, null));
                inHttpApiEvent = false;
            }
        }
        return routes;
    }

    /**
     * The {@code HttpApi} routes of the {@code template.yaml} a function's build puts at the root of its jar, read
     * through {@code owner}'s class loader: so a function knows the routes with no second list of them.
     */
    public static List<Route<Void>> bundledHttpApiRoutes(Class<?> owner) {
        try (InputStream template = owner.getResourceAsStream("/template.yaml")) {
            if (template == null) {
                throw new IllegalStateException("template.yaml is missing from the function's jar");
            }
            return httpApiRoutes(new String(template.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Result<T> route(String method, String rawPath) {
        String[] segments = split(rawPath);
        TreeSet<String> allowed = new TreeSet<>();
        for (Entry<T> entry : entries) {
            Optional<Map<String, String>> parameters = bind(entry.segments, segments);
            if (parameters.isEmpty()) {
                continue;
            }
            if (entry.route.method().equals(method) || entry.route.method().equals("ANY")) {
                return new Result<>(Optional.of(new Match<>(entry.route, parameters.get())), List.of(), defaultRoute);
            }
            allowed.add(entry.route.method());
        }
        return new Result<>(Optional.empty(), List.copyOf(allowed), defaultRoute);
    }

    private static Optional<Map<String, String>> bind(String[] pattern, String[] path) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String part = pattern[i];
            if (part.startsWith("{") && part.endsWith("+}")) {
                if (i >= path.length) {
                    return Optional.empty();
                }
                List<String> rest = new ArrayList<>();
                for (int j = i; j < path.length; j++) {
                    rest.add(decode(path[j]));
                }
                parameters.put(part.substring(1, part.length() - 2), String.join("/", rest));
                return Optional.of(parameters);
            }
            if (i >= path.length) {
                return Optional.empty();
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(part.substring(1, part.length() - 1), decode(path[i]));
            } else if (!part.equals(path[i])) {
                return Optional.empty();
            }
        }
        return pattern.length == path.length ? Optional.of(parameters) : Optional.empty();
    }

    /**
     * Segments after the leading slash. One trailing slash is dropped, because every Django client ends its paths so
     * (in AWS the {@code $default} route sends such a path on to the route without it); any other empty segment
     * matches no parameter, so {@code /x/} is not {@code /x/{id}} with an empty id.
     */
    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.split("/", -1);
    }

    /** A literal segment as 0 and a parameter as 1, left to right: compared as text, earlier literals sort first. */
    private static String parameterPositions(String[] segments) {
        StringBuilder positions = new StringBuilder(segments.length);
        for (String segment : segments) {
            positions.append(segment.startsWith("{") ? '1' : '0');
        }
        return positions.toString();
    }

    private static int literalSegments(String[] segments) {
        int count = 0;
        for (String segment : segments) {
            if (!segment.startsWith("{")) {
                count++;
            }
        }
        return count;
    }

    private static boolean greedy(String[] segments) {
        return segments.length > 0 && segments[segments.length - 1].endsWith("+}");
    }

    /** A segment's escapes decoded; one with an escape that is not two hex digits is a parameter as it came. */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return segment;
        }
    }
}
