package dev.userservice.accounts;

import dev.userservice.auth.Role;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.paging.Cursors;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An admin's listing of accounts: {@code ?email_prefix=&type=&role=&status=&plan=&cursor=&limit=}. The prefix is
 * normalised as stored emails are; the cursor is opened, and checked against the prefix and filters, by the listing.
 */
public record UserListing(Optional<String> emailPrefix, int limit, Optional<String> cursor, Optional<String> type,
                          Optional<Role> role, Optional<User.Status> status, Optional<String> plan) {

    /** A listing by email prefix only. */
    public UserListing(Optional<String> emailPrefix, int limit, Optional<String> cursor) {
        this(emailPrefix, limit, cursor, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Reads the query; unknown parameters are refused like unknown body fields. */
    public static UserListing read(Map<String, String> query, AccountTypes types, Plans plans) {
        // The earlier Django lists' page numbers and search: said what takes their place, not only refused.
        Fields fields = Fields.of(new HashMap<>(query)).synonym("limit", Cursors.PAGE_SIZE)
                .superseded("page", "cursor, with the meta.next_cursor of the page before (leave it out for the first page)")
                .superseded("search", "email_prefix, or GET /api/v1/users/search?q= for names and usernames");
        Optional<String> prefix = fields.optional("email_prefix", Text.EMAIL_MAX_LENGTH, UserListing::emailPrefix);
        int limit = fields.optional("limit", 3, Cursors::limit).orElse(Cursors.DEFAULT_LIMIT);
        Optional<String> cursor = fields.optionalString("cursor", Cursors.MAX_LENGTH);
        Optional<String> type = fields.optional(AccessChange.TYPE, AccountTypes.NAME_MAX_LENGTH, types::choice);
        Optional<Role> role = fields.optional(AccessChange.ROLE, AccessChange.CHOICE_MAX_LENGTH, AccessChange::role);
        Optional<User.Status> status = fields.optional("status", AccessChange.CHOICE_MAX_LENGTH, AccessChange::status);
        Optional<String> plan = fields.optional("plan", Plans.NAME_MAX_LENGTH, plans::choice);
        fields.validate();
        return new UserListing(prefix, limit, cursor, type, role, status, plan);
    }

    /** Whether a type, role, status or plan narrows the listing, which then reads the listing by kind. */
    boolean filters() {
        return type.isPresent() || role.isPresent() || status.isPresent() || plan.isPresent();
    }

    /**
     * This listing narrowed to {@code view}'s filters, as an earlier service's typed collection lists; a filter that
     * asks for other accounts than the collection holds is refused rather than overridden.
     */
    public UserListing within(AccountView view) {
        List<FieldError> conflicts = new ArrayList<>();
        if (view.type().isPresent() && type.isPresent() && !type.equals(view.type())) {
            conflicts.add(new FieldError(AccessChange.TYPE, "must be " + view.type().get() + " on this list, or left out"));
        }
        if (view.role().isPresent() && role.isPresent() && !role.equals(view.role())) {
            conflicts.add(new FieldError(AccessChange.ROLE, "must be " + view.role().get().claim() + " on this list, or left out"));
        }
        if (!conflicts.isEmpty()) {
            throw ServiceException.validation(conflicts);
        }
        return new UserListing(emailPrefix, limit, cursor, view.type().or(() -> type), view.role().or(() -> role), status, plan);
    }

    /** Prefixes are compared with stored emails, so they are normalised the same way: trimmed, NFKC, lower case. */
    private static String emailPrefix(String text) {
        String prefix = Normalizer.normalize(text.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("must not be blank");
        }
        // Counted again once normalised: NFKC makes one character up to 18 (U+FDFA), and no stored email, nor the
        // index key DynamoDB compares it with, is longer than this.
        if (prefix.length() > Text.EMAIL_MAX_LENGTH) {
            throw new IllegalArgumentException("must be at most " + Text.EMAIL_MAX_LENGTH + " characters");
        }
        return prefix;
    }
}
