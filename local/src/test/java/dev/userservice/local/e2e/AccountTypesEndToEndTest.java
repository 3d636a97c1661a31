package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Account types and their management by admins, over HTTP through the local runner: creating accounts with a
 * password or an invitation, the invitation's single-use token, changing and deleting accounts, the listing's
 * filters by type, role and status, and the earlier user-management service's {@code /students/}, {@code /staff/}
 * and {@code /admins/} collections as views of that listing.
 */
class AccountTypesEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final PublishedEvents events = running.events();
    private static final Accounts.Account admin = accounts.admin();

    @Test
    void aSelfRegisteredAccountHasTheFirstTypeAndCannotChooseAnother() {
        Accounts.Account alice = accounts.register(uniqueEmail("member"));

        assertEquals("member", accounts.me(alice).data().get("type"));
        assertError(accounts.patch("/api/v1/users/me", alice, Map.of("type", "staff")), 400, "validation_failed");
        Map<String, Object> registration = new LinkedHashMap<>(Accounts.registration(uniqueEmail("chooser")));
        registration.put("type", "staff");
        assertError(api.post("/api/v1/auth/register", registration), 400, "validation_failed");
    }

    @Test
    void anAdminInvitesAStudentWhoSetsAPasswordWithTheTokenOnceAndSignsIn() {
        String email = uniqueEmail("invited");

        Api.Response created = create(admin, Map.of("email", email, "name", "Sam Student", "type", "student",
                "attributes", Map.of("cohort", "2026")));

        assertEquals(201, created.status(), created.text());
        String id = (String) created.data().get("id");
        assertEquals("student", created.data().get("type"));
        assertEquals("user", created.data().get("role"));
        assertEquals(false, created.data().get("email_verified"));
        assertEquals(Map.of("cohort", "2026"), created.data().get("attributes"));
        assertError(api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD)), 401, "invalid_credentials");
        @SuppressWarnings("unchecked")
        Map<String, Object> invitation = (Map<String, Object>) events.await("user.invited", id).get("data");
        assertEquals(email, invitation.get("email"));
        assertEquals("student", invitation.get("type"));
        events.await("user.registered", id);

        String token = (String) invitation.get("token");
        Api.Response accepted = api.post("/api/v1/auth/password-reset/confirm", Map.of("token", token, "new_password", PASSWORD));
        assertEquals(200, accepted.status(), accepted.text());
        Accounts.Account sam = accounts.login(email);
        assertEquals("student", accounts.me(sam).data().get("type"));
        assertEquals(true, accounts.me(sam).data().get("email_verified"), "the invitation reached the mailbox");

        Api.Response again = api.post("/api/v1/auth/password-reset/confirm", Map.of("token", token, "new_password", "another " + PASSWORD));
        assertError(again, 401, "invalid_token");
        accounts.login(email);
    }

    @Test
    void anAdminCreatesAnAccountWithAPasswordThatSignsInAtOnce() {
        String email = uniqueEmail("staffer");

        Api.Response created = create(admin, Map.of("email", email, "name", "Stef Staff", "type", "staff", "role", "admin",
                "password", PASSWORD));

        assertEquals(201, created.status(), created.text());
        assertEquals("admin", created.data().get("role"));
        Accounts.Account stef = accounts.login(email);
        assertEquals("staff", accounts.me(stef).data().get("type"));
        String id = (String) created.data().get("id");
        events.await("user.registered", id);
        events.assertNone("user.invited", id);
    }

    @Test
    void badCreationsAreRefusedAndStoreNothing() {
        String email = uniqueEmail("refused");
        int before = accounts.itemCount();

        Api.Response unknownType = create(admin, Map.of("email", email, "name", "X", "type", "alumnus"));
        assertEquals(List.of("type"), detailFields(unknownType));
        assertEquals(List.of("role"), detailFields(create(admin, Map.of("email", email, "name", "X", "role", "service"))));
        assertEquals(List.of("password"), detailFields(create(admin, Map.of("email", email, "name", "X", "password", "short"))));
        assertEquals(List.of("email"), detailFields(create(admin, Map.of("name", "X"))));
        Accounts.Account taken = accounts.register(uniqueEmail("taken"));
        int afterRegistration = accounts.itemCount();
        assertError(create(admin, Map.of("email", taken.email(), "name", "X")), 409, "email_taken");

        assertEquals(afterRegistration, accounts.itemCount());
        assertTrue(afterRegistration > before);
    }

    @Test
    void onlyAdminsCreateOrDeleteAccounts() {
        Accounts.Account alice = accounts.register(uniqueEmail("plain"));
        Accounts.Account bob = accounts.register(uniqueEmail("target"));

        assertError(create(alice, Map.of("email", uniqueEmail("sneaky"), "name", "X")), 403, "forbidden");
        assertError(api.post("/api/v1/admin/users", Map.of("email", uniqueEmail("anon"), "name", "X")), 401, "unauthorized");
        assertError(delete("/api/v1/users/" + bob.id(), alice), 403, "forbidden");
        assertError(delete("/api/v1/users/" + admin.id(), admin), 403, "forbidden");
        assertError(delete("/api/v1/users/" + UUID.randomUUID(), admin), 404, "not_found");
        assertEquals(200, accounts.me(bob).status());
    }

    @Test
    void anAdminDeletesAnAccountAndEveryItemOfItIsGone() {
        String email = uniqueEmail("deleted");
        Accounts.Account victim = accounts.register(email);
        assertEquals(200, accounts.patch("/api/v1/users/" + victim.id(), admin, Map.of("type", "staff")).status());
        assertTrue(!accounts.itemsOf(victim.id()).isEmpty());

        Api.Response deleted = delete("/api/v1/users/" + victim.id(), admin);

        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(List.of(), accounts.itemsOfBesidesEvents(victim.id()), "nothing of the account is left but its events");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) events.await("user.deleted", victim.id()).get("data");
        assertEquals(Map.of("email", email, "by", "admin"), data);
        assertError(accounts.me(victim), 401, "unauthorized");
        assertError(api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD)), 401, "invalid_credentials");
        assertError(delete("/api/v1/users/" + victim.id(), admin), 404, "not_found");
    }

    @Test
    void selfDeletionSaysItWasTheOwner() {
        Accounts.Account owner = accounts.register(uniqueEmail("self"));

        Api.Response deleted = api.send("DELETE", "/api/v1/users/me", dev.userservice.json.Json.write(Map.of("password", PASSWORD)),
                "Authorization", owner.authorization(), "Content-Type", "application/json");

        assertEquals(200, deleted.status(), deleted.text());
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) events.await("user.deleted", owner.id()).get("data");
        assertEquals("self", data.get("by"));
    }

    @Test
    void anAdminChangesTypeAndAttributesAndTheChangeIsReported() {
        Accounts.Account alice = accounts.register(uniqueEmail("retyped"));

        Api.Response changed = accounts.patch("/api/v1/users/" + alice.id(), admin,
                Map.of("type", "staff", "attributes", Map.of("department", "physics")));

        assertEquals(200, changed.status(), changed.text());
        assertEquals("staff", changed.data().get("type"));
        assertEquals(Map.of("department", "physics"), changed.data().get("attributes"));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) events.await("user.updated", alice.id()).get("data");
        assertEquals(List.of("attributes", "type"), data.get("changed"));
        assertEquals(List.of("type"), detailFields(accounts.patch("/api/v1/users/" + alice.id(), admin, Map.of("type", "alumnus"))));
    }

    @Test
    void theListingFiltersByTypeRoleAndStatusAcrossPages() {
        String tag = "kind-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> students = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            students.add(createdEmail(tag + "-s" + i + "@example.com", "student", "user"));
        }
        String staffAdmin = createdEmail(tag + "-t0@example.com", "staff", "admin");
        String member = accounts.register(tag + "-m0@example.com").email();
        String disabledStudent = createdEmail(tag + "-s9@example.com", "student", "user");
        String disabledId = (String) list("email_prefix=" + disabledStudent, admin).get(0).get("id");
        assertEquals(200, accounts.patch("/api/v1/users/" + disabledId, admin, Map.of("status", "disabled")).status());

        assertEquals(students, emails("type=student&status=active&email_prefix=" + tag, 2));
        assertEquals(concat(students, List.of(disabledStudent)), emails("type=student&email_prefix=" + tag, 2));
        assertEquals(List.of(staffAdmin), emails("role=admin&email_prefix=" + tag, 2));
        assertEquals(List.of(disabledStudent), emails("status=disabled&email_prefix=" + tag, 2));
        assertEquals(List.of(member), emails("type=member&email_prefix=" + tag, 2));
        assertEquals(List.of("type"), detailFields(api.get("/api/v1/users?type=alumnus", "Authorization", admin.authorization())));
        assertEquals(List.of("status"), detailFields(api.get("/api/v1/users?status=gone", "Authorization", admin.authorization())));

        String cursor = next("type=student&email_prefix=" + tag + "&limit=1");
        Api.Response foreign = api.get("/api/v1/users?type=staff&email_prefix=" + tag + "&cursor=" + cursor, "Authorization", admin.authorization());
        assertEquals(List.of("cursor"), detailFields(foreign), "a cursor binds its filters");
    }

    @Test
    void theEarlierServicesStudentStaffAndAdminCollectionsAreViewsOfTheListing() {
        String tag = "view-" + UUID.randomUUID().toString().substring(0, 8);

        Api.Response student = api.post("/api/v1/users/students/", Map.of("email", tag + "-s@example.com", "name", "Stu"),
                "Authorization", admin.authorization());
        assertEquals(201, student.status(), student.text());
        assertEquals("student", student.data().get("type"));
        Api.Response staff = api.post("/api/v1/users/staff", Map.of("email", tag + "-t@example.com", "name", "Sta", "role", "admin",
                "password", PASSWORD), "Authorization", admin.authorization());
        assertEquals("staff", staff.data().get("type"));
        String studentId = (String) student.data().get("id");
        String staffId = (String) staff.data().get("id");
        Api.Response elsewhere = api.post("/api/v1/users/students", Map.of("email", tag + "-x@example.com", "name", "Sta", "type", "staff"),
                "Authorization", admin.authorization());
        assertEquals(List.of("type"), detailFields(elsewhere), "an account the collection would not hold is refused, not created");

        assertEquals(List.of(tag + "-s@example.com"), emailsAt("/api/v1/users/students/?email_prefix=" + tag));
        assertEquals(List.of(tag + "-t@example.com"), emailsAt("/api/v1/users/staff?email_prefix=" + tag));
        assertEquals(List.of(tag + "-t@example.com"), emailsAt("/api/v1/users/admins/?email_prefix=" + tag));
        Accounts.Account plain = accounts.register(uniqueEmail("viewer"));
        assertError(api.get("/api/v1/users/students/", "Authorization", plain.authorization()), 403, "forbidden");

        Api.Response read = api.get("/api/v1/users/students/" + studentId + "/", "Authorization", admin.authorization());
        assertEquals(200, read.status(), read.text());
        assertEquals(studentId, read.data().get("id"));
        assertEquals(staffId, api.get("/api/v1/users/staff/" + staffId, "Authorization", admin.authorization()).data().get("id"));
        assertError(api.get("/api/v1/users/staff/" + studentId, "Authorization", admin.authorization()), 404, "not_found");
        assertError(accounts.patch("/api/v1/users/staff/" + studentId, admin, Map.of("status", "disabled")), 404, "not_found");
        Api.Response patched = accounts.patch("/api/v1/users/students/" + studentId + "/", admin, Map.of("attributes", Map.of("year", 2)));
        assertEquals(200, patched.status(), patched.text());
        assertEquals(Map.of("year", 2L), patched.data().get("attributes"));
        assertError(delete("/api/v1/users/students/" + staffId, admin), 404, "not_found");
        assertEquals(200, delete("/api/v1/users/staff/" + staffId + "/", admin).status());
        assertEquals(200, delete("/api/v1/users/students/" + studentId, admin).status());
        assertEquals(List.of(), emailsAt("/api/v1/users/students?email_prefix=" + tag));
    }

    private static Api.Response create(Accounts.Account caller, Map<String, Object> body) {
        return api.post("/api/v1/admin/users", body, "Authorization", caller.authorization());
    }

    private static Api.Response delete(String path, Accounts.Account caller) {
        return api.send("DELETE", path, "", "Authorization", caller.authorization());
    }

    private static String createdEmail(String email, String type, String role) {
        Api.Response created = create(admin, Map.of("email", email, "name", "Listed", "type", type, "role", role, "password", PASSWORD));
        assertEquals(201, created.status(), created.text());
        return email;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(String query, Accounts.Account caller) {
        Api.Response page = api.get("/api/v1/users?" + query, "Authorization", caller.authorization());
        assertEquals(200, page.status(), page.text());
        return (List<Map<String, Object>>) page.body().get("data");
    }

    /** Every page of the filtered listing, {@code limit} at a time, as the emails in the order listed. */
    @SuppressWarnings("unchecked")
    private static List<String> emails(String query, int limit) {
        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get("/api/v1/users?" + query + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor),
                    "Authorization", admin.authorization());
            assertEquals(200, page.status(), page.text());
            ((List<Map<String, Object>>) page.body().get("data")).forEach(user -> listed.add((String) user.get("email")));
            cursor = (String) ((Map<String, Object>) page.body().get("meta")).get("next_cursor");
        } while (cursor != null);
        return listed;
    }

    @SuppressWarnings("unchecked")
    private static List<String> emailsAt(String pathAndQuery) {
        Api.Response page = api.get(pathAndQuery, "Authorization", admin.authorization());
        assertEquals(200, page.status(), page.text());
        return ((List<Map<String, Object>>) page.body().get("data")).stream().map(user -> (String) user.get("email")).toList();
    }

    @SuppressWarnings("unchecked")
    private static String next(String query) {
        Api.Response page = api.get("/api/v1/users?" + query, "Authorization", admin.authorization());
        String cursor = (String) ((Map<String, Object>) page.body().get("meta")).get("next_cursor");
        assertNotNull(cursor, page.text());
        return cursor;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
