package dev.userservice.sessions;

import dev.userservice.validation.Fields;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which of the caller's sessions a listing shows: {@code ?state=active} (the default), {@code ended} or {@code all}.
 * The earlier Django user management service's "session history" ({@link #EARLIER_HISTORY_ROUTE}) listed every
 * session: there {@code all} is the default.
 */
public enum SessionState {
    ACTIVE, ENDED, ALL;

    static final String EARLIER_HISTORY_ROUTE = "GET /api/v1/users/sessions";
    private static final int MAX_LENGTH = 6;

    /** Reads {@code ?state=} of a request to {@code routeKey}, with that route's default. */
    public static SessionState fromRequest(String routeKey, Map<String, String> query) {
        return fromQuery(query, EARLIER_HISTORY_ROUTE.equals(routeKey) ? ALL : ACTIVE);
    }

    /** Reads {@code ?state=}; a bad value is one 400 {@code validation_failed}. Other parameters are the page's. */
    public static SessionState fromQuery(Map<String, String> query) {
        return fromQuery(query, ACTIVE);
    }

    private static SessionState fromQuery(Map<String, String> query, SessionState byDefault) {
        Map<String, Object> state = new LinkedHashMap<>();
        if (query.containsKey("state")) {
            state.put("state", query.get("state"));
        }
        Fields fields = Fields.of(state);
        SessionState chosen = fields.optional("state", MAX_LENGTH, SessionState::parse).orElse(byDefault);
        fields.validate();
        return chosen;
    }

    private static SessionState parse(String value) {
        return switch (value) {
            case "active", "ended", "all" -> valueOf(value.toUpperCase(Locale.ROOT));
            default -> throw new IllegalArgumentException("must be active, ended or all");
        };
    }
}
