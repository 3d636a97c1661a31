package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.registration;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/v1/users/search}: matches by the start of a name or username across pages, each account once,
 * emails only to admins and services, and a basic caller refused with the reason.
 */
class SearchEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();

    @Test
    void aNamePrefixFindsEveryMatchAcrossPagesOnceAndNoEmailForAUser() {
        String family = "Qz" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Set<String> matching = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            matching.add(Accounts.userId(accounts.registerGrant(registration(uniqueEmail("search"), family + " Person " + i))));
        }
        // Matches both by name and by username: returned once.
        Map<String, Object> both = registration(uniqueEmail("search"), family + " Twice");
        both.put("username", family.toLowerCase() + "_twice");
        matching.add(Accounts.userId(accounts.registerGrant(both)));
        accounts.register(uniqueEmail("search-other"));
        Accounts.Account premium = premiumUser();

        List<Map<String, Object>> found = allPages(family.toLowerCase(), premium.authorization(), 2);

        assertEquals(matching, ids(found));
        assertEquals(matching.size(), found.size(), "each account once");
        assertTrue(found.stream().noneMatch(hit -> hit.containsKey("email")), "never an email to a user: " + found);
        assertEquals(Set.of("id", "name", "username"), found.getFirst().keySet());
    }

    /** U+FDFA is one character, eighteen after NFKC: a hundred of them make a name's search key over 3 KB. */
    @Test
    void aNameThatNfkcExpandsIsStoredAndFoundNotAServerError() {
        String expanding = "\uFDFA".repeat(100);
        String id = Accounts.userId(accounts.registerGrant(registration(uniqueEmail("search-expanding"), expanding)));

        List<Map<String, Object>> found = allPages(expanding, premiumUser().authorization(), 50);

        assertTrue(ids(found).contains(id), "found by its whole name: " + found.size() + " hits");
    }

    @Test
    void usernamesAreSearchedForEveryoneAndEmailsOnlyForAdminsAndServices() {
        String handle = "qy" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Map<String, Object> body = registration(handle + "@example.com", "Someone Else");
        body.put("username", handle + "_x");
        String id = Accounts.userId(accounts.registerGrant(body));
        Accounts.Account premium = premiumUser();
        Accounts.Account admin = accounts.admin();

        List<Map<String, Object>> byUsername = allPages(handle, premium.authorization(), 20);
        List<Map<String, Object>> byEmailForAdmin = allPages(handle + "@", admin.authorization(), 20);
        List<Map<String, Object>> byEmailForService = allPages(handle + "@", bearer(running.serviceToken()), 20);
        List<Map<String, Object>> byEmailForUser = allPages(handle + "@", premium.authorization(), 20);

        assertEquals(Set.of(id), ids(byUsername));
        assertFalse(byUsername.getFirst().containsKey("email"));
        assertEquals(List.of(handle + "@example.com"), byEmailForAdmin.stream().map(hit -> hit.get("email")).toList());
        assertEquals(Set.of(id), ids(byEmailForService));
        assertEquals(List.of(), byEmailForUser, "a user's search never looks at emails");
    }

    /** Private names are not read at all: neither a page nor whether another follows tells how many there are. */
    @Test
    void aUsersSearchDoesNotReadPrivateNamesSoItsPagesDoNotCountThem() {
        String family = "Qp" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        for (int i = 0; i < 6; i++) {
            Accounts.Account hidden = accounts.register(uniqueEmail("search-private"));
            Api.Response renamed = accounts.patch("/api/v1/users/me", hidden, Map.of("name", family + " Hidden " + i));
            assertEquals(200, renamed.status(), renamed.text());
            Api.Response madePrivate = accounts.patch("/api/v1/users/me/profile", hidden, Map.of("visibility", Map.of("name", "private")));
            assertEquals(200, madePrivate.status(), madePrivate.text());
        }
        Accounts.Account premium = premiumUser();

        Api.Response page = api.get("/api/v1/users/search?limit=1&q=" + family.toLowerCase(), "Authorization", premium.authorization());

        assertEquals(200, page.status(), page.text());
        assertEquals(List.of(), page.body().get("data"));
        assertEquals(false, ((Map<?, ?>) page.body().get("meta")).get("has_next"), "six private names read would leave a next page");
        assertEquals(6, allPages(family.toLowerCase(), accounts.admin().authorization(), 4).size(), "admins find them");
    }

    /** An account an admin disabled is out of users' searches, by name and by username, and still found by admins. */
    @Test
    void aDisabledAccountIsFoundByAdminsOnly() {
        String family = "Qd" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Map<String, Object> body = registration(uniqueEmail("search-disabled"), family + " Banned");
        body.put("username", family.toLowerCase() + "_banned");
        String disabled = Accounts.userId(accounts.registerGrant(body));
        String active = Accounts.userId(accounts.registerGrant(registration(uniqueEmail("search-disabled"), family + " Active")));
        Accounts.Account admin = accounts.admin();
        assertEquals(200, accounts.patch("/api/v1/users/" + disabled, admin, Map.of("status", "disabled")).status());

        assertEquals(Set.of(active), ids(allPages(family.toLowerCase(), premiumUser().authorization(), 1)));
        assertEquals(Set.of(active, disabled), ids(allPages(family.toLowerCase(), admin.authorization(), 1)));
    }

    @Test
    void aBasicCallerIsRefusedWithTheReasonAndABlankQueryIsInvalid() {
        Accounts.Account basic = accounts.register(uniqueEmail("search-basic"));

        Api.Response refused = api.get("/api/v1/users/search?q=al", "Authorization", basic.authorization());
        Api.Response blank = api.get("/api/v1/users/search?q=%20", "Authorization", premiumUser().authorization());

        assertError(refused, 403, "forbidden");
        assertTrue(String.valueOf(refused.body().get("message")).contains("Searching users is a premium feature"), refused.text());
        assertEquals(List.of("q"), detailFields(blank));
    }

    private static Accounts.Account premiumUser() {
        Accounts.Account user = accounts.register(uniqueEmail("search-premium"));
        Api.Response upgraded = api.send("POST", "/api/v1/users/me/upgrade", null, "Authorization", user.authorization());
        assertEquals(200, upgraded.status(), upgraded.text());
        return user;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> allPages(String query, String authorization, int limit) {
        List<Map<String, Object>> found = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 20; pages++) {
            String path = "/api/v1/users/search?limit=" + limit + "&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Api.Response page = api.get(path, "Authorization", authorization);
            assertEquals(200, page.status(), page.text());
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.body().get("data");
            assertTrue(items.size() <= limit, "a page holds at most its limit");
            found.addAll(items);
            cursor = (String) ((Map<String, Object>) page.body().get("meta")).get("next_cursor");
            if (cursor == null) {
                return found;
            }
        }
        throw new AssertionError("more than 20 pages for " + query);
    }

    private static Set<String> ids(List<Map<String, Object>> hits) {
        return new HashSet<>(hits.stream().map(hit -> (String) hit.get("id")).toList());
    }
}
