package dev.userservice.accounts;

import dev.userservice.auth.Principal;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.paging.Cursors;
import dev.userservice.ratelimit.RateLimit;
import dev.userservice.ratelimit.RateLimiter;
import dev.userservice.users.Plans;
import dev.userservice.users.UserStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /users/search?q=}: accounts whose name, then username, then (for admins and services only) email starts
 * with {@code q}, cursor-paged. Each request reads at most {@link #MAX_QUERIES} index pages of at most a page's
 * length, whatever the table holds; an account matching on several fields is returned once, for the first. Users
 * on a premium plan, admins and services may search; an email is never shown to anyone else, nor a name its owner
 * made {@link Visibility#PRIVATE private}: a user's search neither shows it nor finds an account by it. Nor does it
 * read it: private names are in a partition of the index of their own ({@link UserDirectory.Field#PRIVATE_NAME}),
 * so neither a page nor whether another follows depends on them. A name made private before that partition existed
 * stays in the other until its owner's next profile change, and is dropped once read. A disabled account is found by
 * admins and services only: a user's search passes over it, as over a match an earlier field returned.
 */
public final class UserSearch {
    /**
     * Named anew when what a cursor's field number means changes, so that older cursors are refused, not misread; one
     * per kind of caller, whose lists of fields differ (field 1 is the username to a user, private names to an admin).
     */
    static final String USERS_LISTING = "search v3 users";
    static final String STAFF_LISTING = "search v3 staff";
    static final String PREMIUM_ONLY = "Searching users is a premium feature: upgrade with POST /api/v1/users/me/upgrade";
    /** The bound on a request's reads: index pages, each of at most the page's length. */
    static final int MAX_QUERIES = 4;
    private static final List<UserDirectory.Field> FOR_USERS = List.of(UserDirectory.Field.NAME, UserDirectory.Field.USERNAME);
    private static final List<UserDirectory.Field> FOR_STAFF = List.of(UserDirectory.Field.values());

    private final UserStore users;
    private final UserDirectory directory;
    private final ProfileStore profiles;
    private final Plans plans;
    private final Cursors cursors;
    private final RateLimiter limiter;
    private final RateLimit limit;

    public UserSearch(UserStore users, UserDirectory directory, ProfileStore profiles, Plans plans, Cursors cursors,
                      RateLimiter limiter, RateLimit limit) {
        this.users = users;
        this.directory = directory;
        this.profiles = profiles;
        this.plans = plans;
        this.cursors = cursors;
        this.limiter = limiter;
        this.limit = limit;
    }

    /** One page of matches, {@code {id, name, username}} and, for admins and services, {@code email}. */
    public Cursors.Page search(Principal caller, UserSearchQuery query) {
        boolean staff = caller.isAdmin() || caller.isService();
        if (!staff && !plans.isPremium(plans.of(users.findById(caller.subject()).orElseThrow(AccountUpdates::notFound)))) {
            throw new ServiceException(ErrorCode.FORBIDDEN, PREMIUM_ONLY);
        }
        List<UserDirectory.Field> fields = staff ? FOR_STAFF : FOR_USERS;
        String listing = staff ? STAFF_LISTING : USERS_LISTING;
        Map<String, Object> start = query.cursor().map(text -> cursors.open(listing, text)).orElse(Map.of());
        int field = start.isEmpty() ? 0 : field(start, query.prefix(), fields);
        // After the cursor's check: a refused request changes nothing, its caller's count included.
        limiter.enforce(limit, caller.subject());
        Optional<UserDirectory.Position> after = !start.containsKey("k") ? Optional.empty()
                : Optional.of(new UserDirectory.Position((String) start.get("k"), (String) start.get("i")));
        List<Map<String, Object>> found = new ArrayList<>();
        for (int queries = 0; queries < MAX_QUERIES && field < fields.size() && found.size() < query.limit(); queries++) {
            UserDirectory.Page page = directory.search(fields.get(field), query.prefix(), after, query.limit() - found.size());
            // The caller's own private name too: their search did not read it either, though it shows it to them.
            Set<String> privateNames = staff ? Set.of() : privateNames(page.hits());
            for (UserDirectory.Hit hit : page.hits()) {
                boolean namePrivate = privateNames.contains(hit.id());
                boolean foundByPrivateName = namePrivate && fields.get(field) == UserDirectory.Field.NAME;
                if ((staff || hit.active()) && !foundByPrivateName && !matchedEarlier(hit, fields.get(field), query.prefix(), namePrivate)) {
                    found.add(view(hit, staff, namePrivate && !hit.id().equals(caller.subject())));
                }
            }
            after = page.next();
            if (after.isEmpty()) {
                field++;
            }
        }
        Optional<String> next = Optional.empty();
        if (field < fields.size()) {
            Map<String, Object> position = new LinkedHashMap<>();
            position.put("q", query.prefix());
            position.put("f", field);
            after.ifPresent(at -> {
                position.put("k", at.key());
                position.put("i", at.id());
            });
            next = Optional.of(cursors.seal(listing, position));
        }
        return new Cursors.Page(found, query.limit(), next);
    }

    /** Whether a field searched before {@code field} already returned this account (never by a name it did not read). */
    static boolean matchedEarlier(UserDirectory.Hit hit, UserDirectory.Field field, String prefix, boolean nameUnread) {
        boolean byName = !nameUnread && UserDirectory.key(hit.name()).startsWith(prefix);
        boolean byUsername = hit.username() != null && UserDirectory.usernameKey(hit.username()).startsWith(prefix);
        return switch (field) {
            case NAME, PRIVATE_NAME -> false;
            case USERNAME -> byName;
            case EMAIL -> byName || byUsername;
        };
    }

    /** The accounts among {@code hits} whose owner made their name private. */
    private Set<String> privateNames(List<UserDirectory.Hit> hits) {
        if (hits.isEmpty()) {
            return Set.of();
        }
        Set<String> hidden = new HashSet<>();
        profiles.findAll(hits.stream().map(UserDirectory.Hit::id).toList()).forEach((userId, profile) -> {
            if (profile.visibility().get("name") == Visibility.PRIVATE) {
                hidden.add(userId);
            }
        });
        return hidden;
    }

    private static Map<String, Object> view(UserDirectory.Hit hit, boolean withEmail, boolean nameHidden) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", hit.id());
        if (!nameHidden) {
            json.put("name", hit.name());
        }
        json.put("username", hit.username());
        if (withEmail) {
            json.put("email", hit.email());
        }
        return json;
    }

    /** The field a cursor resumes in; refused when it belongs to another query. */
    private static int field(Map<String, Object> cursor, String prefix, List<UserDirectory.Field> fields) {
        if (!prefix.equals(cursor.get("q")) || !(cursor.get("f") instanceof Number number)
                || number.intValue() < 0 || number.intValue() >= fields.size()
                || (cursor.containsKey("k") && !(cursor.get("k") instanceof String && cursor.get("i") instanceof String))) {
            throw Cursors.invalid();
        }
        return number.intValue();
    }
}
