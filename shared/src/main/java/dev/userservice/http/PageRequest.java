package dev.userservice.http;

import dev.userservice.paging.Cursors;
import dev.userservice.validation.Fields;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One page of a small per-user list (sessions, devices), as {@code ?page=} (1-based) and {@code ?limit=} ask for it,
 * and the envelope's page meta: {@code {"total", "limit", "page", "total_pages", "has_next", "has_previous"}}.
 * Such lists are short enough to read whole and slice here; unbounded lists are cursor-paged instead.
 */
public record PageRequest(int page, int limit) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    /** Longer than any number that passes, so a long one is told it is out of range rather than too long. */
    private static final int PARAMETER_MAX_LENGTH = 64;
    /** Digits only, and few enough of them that parsing cannot overflow: "+3", "1e2" and "0x10" are refused. */
    private static final Pattern NUMBER = Pattern.compile("^[0-9]{1,9}$");

    /**
     * The page a request asks for, {@code ?page_size=} read as {@code ?limit=} (the earlier services' name); 400
     * {@code validation_failed} naming each bad parameter. The earlier FastAPI services' {@code ?skip=} (or an
     * {@code ?offset=}) is the page it starts, when it starts one (a multiple of the limit, as a client stepping by its
     * limit sends); another is refused, naming {@code page}: ignored, it gave a client paging by it the first page again
     * and again. Other parameters are left to the route.
     */
    public static PageRequest of(HttpRequest request) {
        Fields fields = Fields.of(new HashMap<>(request.query())).synonym("limit", Cursors.PAGE_SIZE).synonym("skip", "offset");
        boolean pageGiven = fields.has("page");
        int page = fields.optional("page", PARAMETER_MAX_LENGTH, text -> number(text, Integer.MAX_VALUE)).orElse(1);
        int limit = fields.optional("limit", PARAMETER_MAX_LENGTH, text -> number(text, MAX_LIMIT)).orElse(DEFAULT_LIMIT);
        Optional<Integer> skip = fields.optional("skip", PARAMETER_MAX_LENGTH, PageRequest::itemsBefore);
        if (skip.isPresent()) {
            if (pageGiven) {
                fields.reject("skip", "send page or skip, not both");
            } else if (skip.get() % limit != 0) {
                fields.reject("skip", "must be a multiple of limit, where a page starts: or send page (from 1) with limit");
            } else {
                page = skip.get() / limit + 1;
            }
        }
        fields.names();
        fields.validate();
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

    private static int itemsBefore(String text) {
        if (NUMBER.matcher(text).matches()) {
            return Integer.parseInt(text);
        }
        throw new IllegalArgumentException("must be a whole number of at least 0");
    }

    private static int number(String text, int max) {
        if (NUMBER.matcher(text).matches()) {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        }
        throw new IllegalArgumentException(max == Integer.MAX_VALUE
                ? "must be a whole number of at least 1" : "must be a whole number from 1 to " + max);
    }
}
