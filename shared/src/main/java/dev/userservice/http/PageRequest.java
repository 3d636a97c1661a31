package dev.userservice.http;

import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One page of a small per-user list (sessions, devices), as {@code ?page=} (1-based) and {@code ?limit=} ask for it,
 * and the envelope's page meta: {@code {"total", "limit", "page", "total_pages", "has_next", "has_previous"}}.
 * Such lists are short enough to read whole and slice here; unbounded lists are cursor-paged instead.
 */
public record PageRequest(int page, int limit) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    /** Digits only, and few enough of them that parsing cannot overflow: "+3", "1e2" and "0x10" are refused. */
    private static final Pattern NUMBER = Pattern.compile("^[0-9]{1,9}$");

    /** The page a request asks for; 400 {@code validation_failed} naming each bad parameter. */
    public static PageRequest of(HttpRequest request) {
        List<FieldError> errors = new ArrayList<>();
        int page = parameter(request, "page", 1, Integer.MAX_VALUE, errors);
        int limit = parameter(request, "limit", DEFAULT_LIMIT, MAX_LIMIT, errors);
        if (!errors.isEmpty()) {
            throw ServiceException.validation(errors);
        }
        return new PageRequest(page, limit);
    }

    /** A 200 reply carrying this page of {@code items} as {@code data} and the page meta. */
    public Reply reply(String message, List<?> items) {
        int total = items.size();
        int totalPages = (total + limit - 1) / limit;
        long from = (long) (page - 1) * limit;
        List<?> slice = from >= total ? List.of() : items.subList((int) from, (int) Math.min(total, from + limit));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("total", total);
        meta.put("limit", limit);
        meta.put("page", page);
        meta.put("total_pages", totalPages);
        meta.put("has_next", page < totalPages);
        meta.put("has_previous", page > 1);
        return new Reply(200, message, slice, meta, Map.of(), null, false);
    }

    private static int parameter(HttpRequest request, String name, int fallback, int max, List<FieldError> errors) {
        String text = request.queryParameter(name).orElse(null);
        if (text == null) {
            return fallback;
        }
        if (NUMBER.matcher(text).matches()) {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        }
        errors.add(new FieldError(name, max == Integer.MAX_VALUE
                ? "must be a whole number of at least 1" : "must be a whole number from 1 to " + max));
        return fallback;
    }
}
