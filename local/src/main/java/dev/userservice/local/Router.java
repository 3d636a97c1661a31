package dev.userservice.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Matches requests to the HttpApi routes of the template as API Gateway does: literal segments before
 * {@code {parameters}}, a greedy {@code {proxy+}} last, {@code ANY} for every method. A path that matches some route
 * but not with this method is told apart from a path that matches none (405 versus 404).
 */
final class Router {
    /** A request's route: the function, the route key it matched and the path parameters it bound. */
    record Match(LocalFunction function, String routeKey, Map<String, String> pathParameters) {}

    /** Either a match, or the methods the path allows (empty for an unknown path). */
    record Result(Optional<Match> match, List<String> allowedMethods) {}

    private record Entry(LocalFunction function, LocalFunction.Route route, String[] segments) {}

    private final List<Entry> entries = new ArrayList<>();

    Router(Iterable<LocalFunction> functions) {
        for (LocalFunction function : functions) {
            for (LocalFunction.Route route : function.routes()) {
                entries.add(new Entry(function, route, split(route.path())));
            }
        }
        // The most specific route wins: more literal segments first, then fewer greedy ones.
        entries.sort(Comparator.comparingInt((Entry entry) -> -literalSegments(entry.segments))
                .thenComparingInt(entry -> greedy(entry.segments) ? 1 : 0));
    }

    Result route(String method, String rawPath) {
        String[] segments = split(rawPath);
        TreeSet<String> allowed = new TreeSet<>();
        for (Entry entry : entries) {
            Optional<Map<String, String>> parameters = bind(entry.segments, segments);
            if (parameters.isEmpty()) {
                continue;
            }
            if (entry.route.method().equals(method) || entry.route.method().equals("ANY")) {
                return new Result(Optional.of(new Match(entry.function, entry.route.routeKey(), parameters.get())), List.of());
            }
            allowed.add(entry.route.method());
        }
        return new Result(Optional.empty(), List.copyOf(allowed));
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

    /** Segments after the leading slash; a trailing slash leaves an empty last segment, so it matches nothing. */
    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.split("/", -1);
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

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
