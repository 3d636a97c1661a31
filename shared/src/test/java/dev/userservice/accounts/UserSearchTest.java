package dev.userservice.accounts;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.errors.ErrorCode;
import dev.userservice.paging.Cursors;
import dev.userservice.ratelimit.RateLimit;
import dev.userservice.testing.IdentityServices;
import dev.userservice.testing.InMemoryProfiles;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserSearchTest {
    private final IdentityServices identity = new IdentityServices();
    private final InMemoryDirectory directory = new InMemoryDirectory();
    private final InMemoryProfiles profiles = new InMemoryProfiles();
    private final UserSearch search = new UserSearch(identity.accounts, directory, profiles, Plans.DEFAULT, identity.cursors,
            identity.limiter, RateLimit.parse("search", "100/1m"));
    private final Principal premium = identity.principal(identity.register("premium@example.com"));

    UserSearchTest() {
        new PlanChanges(identity.accounts, identity.userViews, Plans.DEFAULT, true, identity.clock).upgrade(premium);
    }

    @Test
    void matchesComeByNameThenUsernameEachAccountOnceAcrossPages() {
        directory.add("1", "Ann One", null, "a1@example.com");
        directory.add("2", "Ann Two", "anna", "a2@example.com");
        directory.add("3", "Bob", "annabel", "a3@example.com");
        directory.add("4", "Carl", null, "ann@example.com");

        List<Object> ids = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Cursors.Page page = search.search(caller(Role.ADMIN), new UserSearchQuery("ann", 1, cursor));
            page.items().forEach(item -> ids.add(((Map<?, ?>) item).get("id")));
            cursor = page.nextCursor();
        } while (cursor.isPresent());

        assertEquals(List.of("1", "2", "3", "4"), ids, "names, then usernames (2 is not repeated), then emails");
    }

    /** "Nobody but the owner, admins and services" sees a private name: no user's search shows it or finds by it. */
    @Test
    void aPrivateNameIsNeitherShownNorSearchedForAnotherUser() {
        directory.add("1", "Ann One", null, "a1@example.com");
        directory.add("2", "Ann Two", "annie", "a2@example.com");
        directory.add("3", "Ann Three", null, "a3@example.com");
        makeNamePrivate("2");
        makeNamePrivate("3");

        List<Map<Object, Object>> found = search.search(premium, new UserSearchQuery("ann", 20, Optional.empty())).items().stream()
                .map(item -> withoutNulls((Map<?, ?>) item)).toList();
        List<Map<Object, Object>> forAdmins = search.search(caller(Role.ADMIN), new UserSearchQuery("ann", 20, Optional.empty())).items()
                .stream().map(item -> withoutNulls((Map<?, ?>) item)).toList();

        assertEquals(List.of(Map.of("id", "1", "name", "Ann One"), Map.of("id", "2", "username", "annie")), found,
                "2 by its username, without its name; 3 not at all");
        assertEquals(List.of("Ann One", "Ann Three", "Ann Two"), forAdmins.stream().map(match -> match.get("name")).toList());
    }

    /** A disabled account is out of a user's search, by any field, and still in an admin's. */
    @Test
    void aDisabledAccountIsFoundByAdminsOnly() {
        directory.add("1", "Ann One", "annone", "a1@example.com");
        directory.add("2", "Ann Two", "anntwo", "a2@example.com");
        directory.disable("2");

        List<Object> found = search.search(premium, new UserSearchQuery("ann", 20, Optional.empty())).items().stream()
                .map(item -> (Object) ((Map<?, ?>) item).get("id")).toList();
        List<Object> forAdmins = search.search(caller(Role.ADMIN), new UserSearchQuery("ann", 20, Optional.empty())).items().stream()
                .map(item -> (Object) ((Map<?, ?>) item).get("id")).toList();

        assertEquals(List.of("1"), found);
        assertEquals(List.of("1", "2"), forAdmins);
    }

    /** A user whose name is private still finds their own account by its username, and sees their name. */
    @Test
    void aUserWithAPrivateNameFindsTheirOwnAccountByItsUsername() {
        String self = premium.subject();
        directory.addWithPrivateName(self, "Ann Own", "annown", "premium@example.com");
        directory.add("2", "Ann Two", null, "a2@example.com");
        makeNamePrivate(self);

        List<Map<Object, Object>> found = search.search(premium, new UserSearchQuery("ann", 20, Optional.empty())).items().stream()
                .map(item -> withoutNulls((Map<?, ?>) item)).toList();

        assertEquals(List.of(Map.of("id", "2", "name", "Ann Two"), Map.of("id", self, "name", "Ann Own", "username", "annown")), found);
    }

    /** Field 1 is the username to a user and the private names to an admin: a cursor says which it means. */
    @Test
    void aUsersCursorIsRefusedToAnAdminAndTheOtherWayRound() {
        directory.add("1", "Ann One", null, "a1@example.com");
        directory.add("2", "Bob", "anna", "a2@example.com");
        directory.add("3", "Carl", "annabel", "a3@example.com");
        String usersCursor = search.search(premium, new UserSearchQuery("ann", 2, Optional.empty())).nextCursor().orElseThrow();
        String adminsCursor = search.search(caller(Role.ADMIN), new UserSearchQuery("ann", 2, Optional.empty())).nextCursor().orElseThrow();

        assertEquals(ErrorCode.VALIDATION_FAILED,
                refusal(() -> search.search(caller(Role.ADMIN), new UserSearchQuery("ann", 2, Optional.of(usersCursor)))));
        assertEquals(ErrorCode.VALIDATION_FAILED,
                refusal(() -> search.search(premium, new UserSearchQuery("ann", 2, Optional.of(adminsCursor)))));
        assertEquals(List.of("3"), search.search(premium, new UserSearchQuery("ann", 2, Optional.of(usersCursor))).items().stream()
                .map(item -> ((Map<?, ?>) item).get("id")).toList());
    }

    private void makeNamePrivate(String userId) {
        Instant now = identity.clock.instant();
        User owner = new User(userId, userId + "@example.com", "Ann", null, "UTC", "en", Role.USER, User.Status.ACTIVE, true, Map.of(),
                now, now, null);
        profiles.save(owner, Optional.empty(),
                new Profile(null, null, null, null, List.of(), Map.of("name", Visibility.PRIVATE), identity.clock.instant()));
    }

    @Test
    void aUsersSearchNeverLooksAtOrShowsEmails() {
        directory.add("1", "Ann One", null, "ann@example.com");
        directory.add("4", "Carl", null, "ann2@example.com");

        Cursors.Page page = search.search(premium, new UserSearchQuery("ann", 20, Optional.empty()));

        assertEquals(List.of(Map.of("id", "1", "name", "Ann One")), page.items().stream()
                .map(item -> withoutNulls((Map<?, ?>) item)).toList());
        assertTrue(page.nextCursor().isEmpty());
    }

    @Test
    void aBasicUserIsRefusedAndACursorOfAnotherQueryToo() {
        Principal basic = identity.principal(identity.register("basic@example.com"));
        directory.add("1", "Ann One", null, "ann@example.com");
        directory.add("2", "Ann Two", null, "ann2@example.com");
        String cursor = search.search(premium, new UserSearchQuery("ann", 1, Optional.empty())).nextCursor().orElseThrow();

        assertEquals(ErrorCode.FORBIDDEN, refusal(() -> search.search(basic, new UserSearchQuery("ann", 20, Optional.empty()))));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> search.search(premium, new UserSearchQuery("bob", 1, Optional.of(cursor)))));
    }

    @Test
    void searchesAreRateLimitedPerCaller() {
        UserSearch limited = new UserSearch(identity.accounts, directory, profiles, Plans.DEFAULT, identity.cursors, identity.limiter,
                RateLimit.parse("search_test", "3/1m"));
        for (int i = 0; i < 3; i++) {
            limited.search(premium, new UserSearchQuery("x", 20, Optional.empty()));
        }
        assertEquals(ErrorCode.RATE_LIMITED, refusal(() -> limited.search(premium, new UserSearchQuery("x", 20, Optional.empty()))));
    }

    @Test
    void aSearchRefusedForItsCursorDoesNotCountAgainstTheLimit() {
        UserSearch limited = new UserSearch(identity.accounts, directory, profiles, Plans.DEFAULT, identity.cursors, identity.limiter,
                RateLimit.parse("search_test", "1/1m"));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> limited.search(premium, new UserSearchQuery("x", 20, Optional.of("x.y")))));

        limited.search(premium, new UserSearchQuery("x", 20, Optional.empty()));
    }

    @Test
    void aBlankQueryIsRefusedAndTheQueryIsComparedFolded() {
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> UserSearchQuery.read(Map.of("q", "  "))));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> UserSearchQuery.read(Map.of("q", "a", "limit", "51"))));
        assertEquals("ann b", UserSearchQuery.read(Map.of("q", " ＡNN   B ")).prefix());
    }

    private static Map<Object, Object> withoutNulls(Map<?, ?> item) {
        Map<Object, Object> copy = new HashMap<>();
        item.forEach((key, value) -> {
            if (value != null) {
                copy.put(key, value);
            }
        });
        return copy;
    }

    private Principal caller(Role role) {
        return new Principal("caller-" + role.claim(), null, Set.of(role), true, "token", identity.clock.instant().plusSeconds(60));
    }

    /** The directory's indexes as sorted lists, paged like a query: at most {@code limit}, a position when more may follow. */
    private static final class InMemoryDirectory implements UserDirectory {
        private final List<Hit> accounts = new ArrayList<>();
        private final Set<String> privateNames = new HashSet<>();

        void add(String id, String name, String username, String email) {
            accounts.add(new Hit(id, name, username, email, true, null));
        }

        void disable(String id) {
            accounts.replaceAll(hit -> hit.id().equals(id) ? new Hit(id, hit.name(), hit.username(), hit.email(), false, null) : hit);
        }

        /** As the table keeps a name made private since private names have partitions of their own. */
        void addWithPrivateName(String id, String name, String username, String email) {
            add(id, name, username, email);
            privateNames.add(id);
        }

        @Override
        public Page search(Field field, String prefix, Optional<Position> after, int limit) {
            List<Hit> matches = accounts.stream()
                    .map(hit -> new Hit(hit.id(), hit.name(), hit.username(), hit.email(), hit.active(), keyOf(hit, field, privateNames.contains(hit.id()))))
                    .filter(hit -> hit.key() != null && hit.key().startsWith(prefix))
                    .sorted(Comparator.comparing(Hit::key).thenComparing(Hit::id))
                    .filter(hit -> after.isEmpty() || (hit.key() + "\u0000" + hit.id()).compareTo(after.get().key() + "\u0000" + after.get().id()) > 0)
                    .toList();
            List<Hit> page = matches.subList(0, Math.min(limit, matches.size()));
            return new Page(page, matches.size() > limit ? Optional.of(new Position(page.getLast().key(), page.getLast().id())) : Optional.empty());
        }

        private static String keyOf(Hit hit, Field field, boolean privateName) {
            return switch (field) {
                // add keeps a name in NAME whatever its visibility, as one stored before private names had their own
                case NAME -> privateName ? null : UserDirectory.key(hit.name());
                case PRIVATE_NAME -> privateName ? UserDirectory.key(hit.name()) : null;
                case USERNAME -> hit.username() == null ? null : UserDirectory.usernameKey(hit.username());
                case EMAIL -> hit.email();
            };
        }
    }
}
