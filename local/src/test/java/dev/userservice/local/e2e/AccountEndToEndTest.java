package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.events.EventType;
import dev.userservice.events.UserEvent;
import dev.userservice.json.Json;
import dev.userservice.local.LocalOptions;
import dev.userservice.store.Outbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A user's own account end to end, over HTTP through the local runner on DynamoDB Local, ElasticMQ and Redis:
 * {@code PATCH /api/v1/users/me} (profile, attributes, email) and {@code DELETE /api/v1/users/me} with the
 * queued eraser, and the events each publishes.
 */
class AccountEndToEndTest {
    private static final String ME = "/api/v1/users/me";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final PublishedEvents events = running.events();

    @Test
    void patchChangesTheGivenFieldsAndPublishesUserUpdated() {
        Accounts.Account alice = accounts.register(uniqueEmail("profile"));

        Api.Response patched = accounts.patch(ME, alice, Map.of("name", "Alice B.", "phone", "+14155550123",
                "timezone", "America/New_York", "locale", "pt-BR"));

        assertEquals(200, patched.status(), patched.text());
        assertEquals("Alice B.", patched.data().get("name"));
        assertEquals("+14155550123", patched.data().get("phone"));
        assertEquals("America/New_York", patched.data().get("timezone"));
        assertEquals("pt-BR", patched.data().get("locale"));
        assertEquals(patched.data(), accounts.me(alice).data(), "the cached view was replaced");
        Map<String, Object> updated = events.await("user.updated", alice.id());
        assertEquals(Map.of("changed", List.of("locale", "name", "phone", "timezone"), "email", alice.email(),
                "name", "Alice B.", "locale", "pt-BR", "timezone", "America/New_York"), updated.get("data"));

        Map<String, Object> clearPhone = new LinkedHashMap<>();
        clearPhone.put("phone", null);
        Api.Response cleared = accounts.patch(ME, alice, clearPhone);
        assertEquals(200, cleared.status(), cleared.text());
        assertNull(cleared.data().get("phone"));
        assertNull(accounts.me(alice).data().get("phone"));
    }

    @Test
    void badValuesAreRefusedAndChangeNothing() {
        Accounts.Account alice = accounts.register(uniqueEmail("invalid"));
        Map<String, Object> before = accounts.me(alice).data();

        Map<String, Object> nullName = new LinkedHashMap<>();
        nullName.put("name", null);
        for (Object body : List.of(Map.of("phone", "0155 555"), Map.of("timezone", "+02:00"), Map.of("locale", "not a tag!"),
                Map.of("name", " "), nullName, Map.of("email", "not-an-email"), Map.of("name", 42))) {
            assertError(accounts.patch(ME, alice, body), 400, "validation_failed");
        }
        assertError(api.send("PATCH", ME, "{\"name\": ", "Authorization", alice.authorization(), "Content-Type", "application/json"),
                400, "malformed_json");
        assertError(api.send("PATCH", ME, "{}", "Authorization", alice.authorization(), "Content-Type", "text/plain"),
                415, "unsupported_media_type");
        assertError(api.send("PATCH", ME, "{}", "Content-Type", "application/json"), 401, "unauthorized");

        assertEquals(before, accounts.me(alice).data());
    }

    @Test
    void attributesMergeAndANullRemovesAKey() {
        Accounts.Account alice = accounts.register(uniqueEmail("attributes"));

        Api.Response first = accounts.patch(ME, alice, Map.of("attributes", Map.of("plan", "pro", "seats", 5, "beta", true)));
        assertEquals(200, first.status(), first.text());
        Map<String, Object> second = new LinkedHashMap<>();
        second.put("beta", null);
        second.put("team", "platform");
        second.put("score", 9.5);
        Api.Response merged = accounts.patch(ME, alice, Map.of("attributes", second));

        assertEquals(200, merged.status(), merged.text());
        assertEquals(Map.of("plan", "pro", "seats", 5L, "team", "platform", "score", new java.math.BigDecimal("9.5")),
                merged.data().get("attributes"));
        assertEquals(merged.data().get("attributes"), accounts.me(alice).data().get("attributes"));
    }

    @Test
    void attributesOverTheLimitsOrOfTheWrongShapeAreRefused() {
        Accounts.Account alice = accounts.register(uniqueEmail("limits"));
        assertEquals(200, accounts.patch(ME, alice, Map.of("attributes", Map.of("a", "1", "b", "2", "c", "3"))).status());
        Map<String, Object> before = accounts.me(alice).data();

        Map<String, Object> fortyEightMore = new LinkedHashMap<>();
        for (int i = 0; i < 48; i++) {
            fortyEightMore.put("key_" + i, i);
        }
        Api.Response tooMany = accounts.patch(ME, alice, Map.of("attributes", fortyEightMore));
        assertError(tooMany, 400, "validation_failed");
        assertEquals("attributes", detailFields(tooMany).getFirst(), "51 keys counting the stored three");

        Map<String, Object> large = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            large.put("text_" + i, "x".repeat(1_000));
        }
        assertError(accounts.patch(ME, alice, Map.of("attributes", large)), 400, "validation_failed");
        assertError(accounts.patch(ME, alice, Map.of("attributes", Map.of("note", "x".repeat(1_001)))), 400, "validation_failed");

        Api.Response badKeys = accounts.patch(ME, alice, Map.of("attributes", Map.of("Plan", "x", "1st", "x", "a-b", "x", "k".repeat(65), "x")));
        assertError(badKeys, 400, "validation_failed");
        assertEquals(4, detailFields(badKeys).size(), badKeys.text());
        assertTrue(detailFields(badKeys).contains("attributes.Plan"), badKeys.text());

        Api.Response nested = accounts.patch(ME, alice, Map.of("attributes", Map.of("address", Map.of("city", "Berlin"), "tags", List.of("a"))));
        assertError(nested, 400, "validation_failed");
        assertEquals(List.of("attributes.address", "attributes.tags"), detailFields(nested).stream().sorted().toList());
        assertError(accounts.patch(ME, alice, Map.of("attributes", List.of("a"))), 400, "validation_failed");
        assertError(accounts.patch(ME, alice, Map.of("attributes", "plan=pro")), 400, "validation_failed");

        assertEquals(before, accounts.me(alice).data(), "no refused PATCH changed anything");
    }

    @Test
    void fieldsOnlyTheServiceOrAnAdminSetAreRefused() {
        Accounts.Account alice = accounts.register(uniqueEmail("mass"));
        Map<String, Object> before = accounts.me(alice).data();

        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("role", "admin"), Map.of("email_verified", true),
                Map.of("status", "disabled"), Map.of("id", "00000000-0000-4000-8000-000000000000"),
                Map.of("created_at", "2020-01-01T00:00:00Z"), Map.of("password_hash", "x"),
                Map.of("name", "Mallory", "role", "admin"))) {
            Api.Response refused = accounts.patch(ME, alice, body);
            assertError(refused, 400, "validation_failed");
            assertTrue(refused.text().contains("is not a known field"), refused.text());
        }

        assertEquals(before, accounts.me(alice).data(), "not even the known field of a refused body was stored");
        events.assertNone("user.updated", alice.id());
    }

    @Test
    void changingTheEmailNeedsTheRightCurrentPassword() {
        Accounts.Account alice = accounts.register(uniqueEmail("password"));
        String newEmail = uniqueEmail("renamed");

        Api.Response missing = accounts.patch(ME, alice, Map.of("email", newEmail));
        assertError(missing, 400, "validation_failed");
        assertEquals(List.of("current_password"), detailFields(missing));
        assertError(accounts.patch(ME, alice, Map.of("email", newEmail, "current_password", "not the password")), 401, "invalid_credentials");

        assertEquals(alice.email(), accounts.me(alice).data().get("email"));
        accounts.login(alice.email());
        assertEquals("invalid_credentials", api.post("/api/v1/auth/login", Map.of("email", newEmail, "password", PASSWORD)).error());
    }

    @Test
    void changingToATakenEmailIsRefusedAndPublishesNothing() {
        Accounts.Account alice = accounts.register(uniqueEmail("alice"));
        Accounts.Account bob = accounts.register(uniqueEmail("bob"));
        Map<String, Object> before = accounts.me(alice).data();

        Api.Response taken = accounts.patch(ME, alice, Map.of("email", bob.email().toUpperCase(), "current_password", PASSWORD, "name", "Alice Taken"));

        assertError(taken, 409, "email_taken");
        assertEquals(before, accounts.me(alice).data());
        accounts.login(alice.email());
        accounts.login(bob.email());
        events.assertNone("user.updated", alice.id());
        events.assertNone("user.email_verification_requested", alice.id());
    }

    @Test
    void aNewEmailSignsInNeedsVerifyingAndFreesTheOldOne() {
        Accounts.Account alice = accounts.register(uniqueEmail("old"));
        String newEmail = uniqueEmail("new");

        Api.Response changed = accounts.patch(ME, alice, Map.of("email", "  " + newEmail.toUpperCase() + " ", "current_password", PASSWORD));

        assertEquals(200, changed.status(), changed.text());
        assertEquals(newEmail, changed.data().get("email"));
        assertEquals(false, changed.data().get("email_verified"));
        Accounts.Account renamed = accounts.login(newEmail);
        assertEquals(alice.id(), renamed.id());
        assertEquals("invalid_credentials", api.post("/api/v1/auth/login", Map.of("email", alice.email(), "password", PASSWORD)).error());
        Accounts.Account newcomer = accounts.register(alice.email());
        assertFalse(newcomer.id().equals(alice.id()), "the old address was free for someone else");

        Map<String, Object> verification = events.await("user.email_verification_requested", alice.id());
        @SuppressWarnings("unchecked")
        Map<String, Object> mail = (Map<String, Object>) verification.get("data");
        assertEquals(newEmail, mail.get("email"));
        assertEquals(43, ((String) mail.get("token")).length());
        // Only the outbox item carries the plain token, for the email service; the token item holds its hash.
        assertTrue(accounts.itemsOf(alice.id()).stream()
                        .filter(item -> !"outbox".equals(item.get("type").s()))
                        .noneMatch(item -> item.toString().contains((String) mail.get("token"))),
                "the token is stored only as a hash");
        assertTrue(accounts.itemsOf(alice.id()).stream().anyMatch(item -> "one_time_token".equals(item.get("type").s())));
        @SuppressWarnings("unchecked")
        Map<String, Object> updated = (Map<String, Object>) events.await("user.updated", alice.id()).get("data");
        assertEquals(List.of("email"), updated.get("changed"));

        Map<String, AttributeValue> profile = accounts.item("USER#" + alice.id(), "PROFILE");
        assertEquals("USERS#n", profile.get("gsi1pk").s(), "the admin listing finds the account under its new email");
        assertEquals(newEmail, profile.get("gsi1sk").s());
    }

    @Test
    void concurrentPatchesAllLand() throws Exception {
        Accounts.Account alice = accounts.register(uniqueEmail("concurrent"));
        List<Callable<Api.Response>> patches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String key = "key_" + i;
            patches.add(() -> accounts.patch(ME, alice, Map.of("attributes", Map.of(key, true))));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(patches.size())) {
            for (Future<Api.Response> response : pool.invokeAll(patches)) {
                assertEquals(200, response.get().status(), response.get().text());
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = (Map<String, Object>) accounts.me(alice).data().get("attributes");
        assertEquals(8, attributes.size(), "no update overwrote another: " + attributes);
    }

    @Test
    void deletingTheAccountErasesEveryItemAndEndsEverySessionAtOnce() {
        Accounts.Account alice = accounts.register(uniqueEmail("leaving"));
        // A new email leaves a pending verification token and more outbox items owned by the account.
        String email = uniqueEmail("left");
        assertEquals(200, accounts.patch(ME, alice, Map.of("email", email, "current_password", PASSWORD)).status());
        Accounts.Account otherDevice = accounts.login(email);
        assertEquals(200, accounts.me(alice).status(), "a session marker is cached");
        Api.Response device = api.post("/api/v1/users/me/devices", Map.of("token", "push-of-" + alice.id(), "platform", "android"),
                "Authorization", otherDevice.authorization());
        assertEquals(201, device.status(), device.text());
        int stored = accounts.itemsOf(alice.id()).size();

        assertError(delete(alice, Map.of("password", "not the password")), 401, "invalid_credentials");
        assertError(delete(alice, Map.of()), 400, "validation_failed");
        assertEquals(stored, accounts.itemsOf(alice.id()).size(), "a refused deletion erased nothing");

        Api.Response deleted = delete(alice, Map.of("password", PASSWORD));

        assertEquals(200, deleted.status(), deleted.text());
        assertError(accounts.me(alice), 401, "unauthorized");
        assertError(accounts.me(otherDevice), 401, "unauthorized");
        assertEquals("invalid_token", api.post("/api/v1/auth/refresh", Map.of("refresh_token", otherDevice.refreshToken())).error());
        assertEquals("invalid_credentials", api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD)).error());
        assertEquals(List.of(), accounts.itemsOfBesidesEvents(alice.id()), "nothing of the account is left but its events");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) events.await("user.deleted", alice.id()).get("data");
        running.service().awaitStreamsCaughtUp();
        assertTrue(accounts.itemsOf(alice.id()).stream().anyMatch(item -> item.containsKey("event_type") && "user.deleted".equals(item.get("event_type").s())),
                "the deletion's event stays in the outbox after the eraser ran, to be replayed should its publication fail");
        assertEquals(Map.of("email", email, "by", "self"), data);
        // The device goes with the account: no device.deactivated after user.deleted hands its token to a consumer
        // that has forgotten the user.
        events.assertNone("device.deactivated", alice.id());
        assertFalse(accounts.register(email).id().equals(alice.id()), "the address is free again");
    }

    @Test
    void theEraserFinishesADeletionWhoseFunctionDiedHalfWay() throws Exception {
        Accounts.Account alice = accounts.register(uniqueEmail("interrupted"));
        Api.Response status = api.post("/api/v1/email/status", Map.of("notification_id", "n-" + alice.id(),
                "user_id", alice.id(), "status", "sent"), "Authorization", Api.bearer(running.serviceToken()));
        assertEquals(201, status.status(), status.text());
        // What the deletion's transaction does before its function dies: the profile and the email claim are gone,
        // sessions, preferences, refresh token and outbox items are left.
        accounts.deleteItem("USER#" + alice.id(), "PROFILE");
        accounts.deleteItem("EMAIL#" + alice.email(), "EMAIL");
        assertFalse(accounts.itemsOf(alice.id()).isEmpty());

        String sample = Files.readString(LocalOptions.defaults().template().getParent().resolve("events/account-eraser.json"));
        String sampleUser = (String) userIdOf(Json.parseObject(sample));
        byte[] event = sample.replace(sampleUser, alice.id()).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> answer = accounts.invoke("AccountEraserFunction", event);

        assertEquals(Map.of("batchItemFailures", List.of()), answer, "the status's marker too: a tombstone of the user's id");
        assertEquals(List.of(), accounts.itemsOfBesidesEvents(alice.id()));
        assertTrue(accounts.itemsOf(alice.id()).stream().anyMatch(item -> item.containsKey("erased")));
        assertError(accounts.me(alice), 401, "unauthorized");
        assertEquals(Map.of("batchItemFailures", List.of()), accounts.invoke("AccountEraserFunction", event), "erasing twice is harmless");
    }

    @Test
    void aDeletionWhoseFunctionDiedAfterItsTransactionIsFinishedThroughTheOutbox() {
        Accounts.Account alice = accounts.register(uniqueEmail("died"));
        UserEvent deleted = UserEvent.of(EventType.USER_DELETED, alice.id(), Map.of("email", alice.email(), "by", "self"), Clock.systemUTC());
        // What the deletion's transaction stores before its function dies: the profile and the email claim gone, the
        // event in the outbox; sessions, preferences, refresh token and older outbox items are left.
        accounts.deleteItem("USER#" + alice.id(), "PROFILE");
        accounts.deleteItem("EMAIL#" + alice.email(), "EMAIL");
        running.dynamo().transactWriteItems(request -> request.transactItems(Outbox.put(running.table(), deleted)));

        assertEquals(deleted.eventId(), events.await("user.deleted", alice.id()).get("event_id"));
        running.service().awaitStreamsCaughtUp();

        assertEquals(List.of(), accounts.itemsOfBesidesEvents(alice.id()), "the publisher handed the deletion to the eraser, which erased the rest");
    }

    @Test
    void theEraserRefusesAMessageThatIsNotADeletionOfAGoneAccount() {
        Accounts.Account alice = accounts.register(uniqueEmail("kept"));
        int stored = accounts.itemsOf(alice.id()).size();
        Map<String, Object> updated = Map.of("event_id", "e-1", "type", "user.updated", "user_id", alice.id());
        Map<String, Object> withoutAnId = Map.of("event_id", "e-2", "type", "user.deleted", "user_id", "USER#" + alice.id());
        // A deletion of an account that was never deleted: a redrive from the wrong queue, or a message made by hand.
        Map<String, Object> ofALiveAccount = Map.of("event_id", "e-3", "type", "user.deleted", "user_id", alice.id());
        List<Map<String, Object>> messages = List.of(Map.of("messageId", "m-1", "body", Json.write(updated)),
                Map.of("messageId", "m-2", "body", Json.write(withoutAnId)), Map.of("messageId", "m-3", "body", Json.write(ofALiveAccount)));

        Map<String, Object> answer = accounts.invoke("AccountEraserFunction", Json.writeBytes(Map.of("Records", messages)));

        assertEquals(Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", "m-1"), Map.of("itemIdentifier", "m-2"),
                Map.of("itemIdentifier", "m-3"))), answer);
        assertEquals(stored, accounts.itemsOf(alice.id()).size());
    }

    /**
     * An admin's own deletion holds only while another admin still is one, checked in the deletion's transaction
     * (the last admin's refusal is AccountServiceTest's: this runner always has other admins).
     */
    @Test
    void anAdminDeletesTheirOwnAccountWhileAnotherAdminRemains() {
        Accounts.Account leaving = accounts.admin();
        Accounts.Account staying = accounts.admin();

        Api.Response deleted = delete(leaving, Map.of("password", PASSWORD));

        assertEquals(200, deleted.status(), deleted.text());
        assertError(accounts.me(leaving), 401, "unauthorized");
        assertEquals(200, accounts.me(staying).status());
    }

    private static Api.Response delete(Accounts.Account caller, Map<String, Object> body) {
        return api.send("DELETE", ME, Json.write(body), "Authorization", caller.authorization(), "Content-Type", "application/json");
    }

    @SuppressWarnings("unchecked")
    private static Object userIdOf(Map<String, Object> queueEvent) {
        Map<String, Object> message = (Map<String, Object>) ((List<Object>) queueEvent.get("Records")).getFirst();
        return Json.parseObject((String) message.get("body")).get("user_id");
    }
}
