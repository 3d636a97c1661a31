package dev.userservice.accounts;

import dev.userservice.paging.Cursors;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An admin's listing of accounts: {@code ?email_prefix=&cursor=&limit=}. The prefix is normalised as stored emails
 * are; the cursor is opened, and checked against the prefix, by the listing.
 */
public record UserListing(Optional<String> emailPrefix, int limit, Optional<String> cursor) {

    /** Reads the query; unknown parameters are refused like unknown body fields. */
    public static UserListing read(Map<String, String> query) {
        Fields fields = Fields.of(new HashMap<>(query)).synonym("limit", Cursors.PAGE_SIZE);
        Optional<String> prefix = fields.optional("email_prefix", Text.EMAIL_MAX_LENGTH, UserListing::emailPrefix);
        int limit = fields.optional("limit", 3, Cursors::limit).orElse(Cursors.DEFAULT_LIMIT);
        Optional<String> cursor = fields.optionalString("cursor", Cursors.MAX_LENGTH);
        fields.validate();
        return new UserListing(prefix, limit, cursor);
    }

    /** Prefixes are compared with stored emails, so they are normalised the same way: trimmed, NFKC, lower case. */
    private static String emailPrefix(String text) {
        String prefix = Normalizer.normalize(text.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("must not be blank");
        }
        return prefix;
    }
}
