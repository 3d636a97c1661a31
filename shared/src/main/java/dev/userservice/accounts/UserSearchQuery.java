package dev.userservice.accounts;

import dev.userservice.paging.Cursors;
import dev.userservice.validation.Fields;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@code ?q=&cursor=&limit=} of a user search: {@code q} as a {@link UserDirectory#key}, 1 to 100 characters. */
public record UserSearchQuery(String prefix, int limit, Optional<String> cursor) {
    static final int QUERY_MAX_LENGTH = 100;
    /** Fewer than a listing's: every hit of a page may cost its own index read. */
    static final int MAX_LIMIT = 50;

    /** Reads the query; unknown parameters are refused like unknown body fields. */
    public static UserSearchQuery read(Map<String, String> query) {
        Fields fields = Fields.of(new HashMap<>(query)).synonym("limit", Cursors.PAGE_SIZE);
        String prefix = fields.required("q", QUERY_MAX_LENGTH, text -> {
            String key = UserDirectory.key(text);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("must not be blank");
            }
            return key;
        });
        int limit = fields.optional("limit", 3, text -> {
            int value = Cursors.limit(text);
            if (value > MAX_LIMIT) {
                throw new IllegalArgumentException("must be between 1 and " + MAX_LIMIT);
            }
            return value;
        }).orElse(Cursors.DEFAULT_LIMIT);
        Optional<String> cursor = fields.optionalString("cursor", Cursors.MAX_LENGTH);
        fields.validate();
        return new UserSearchQuery(prefix, limit, cursor);
    }
}
