package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.cache.CacheKeys;
import dev.userservice.json.Json;
import dev.userservice.local.LocalOptions;
import dev.userservice.preferences.PreferencesService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Notification preferences end to end, over HTTP through the local runner: who may read and change them on the
 * {@code /me} and {@code {id}} forms, partial changes, refused input that stores nothing, the
 * {@code preferences.updated} event, and the Redis cache in front of the table.
 */
class PreferencesEndToEndTest {
    private static final String MINE = "/api/v1/users/me/preferences";
    /** What the notification pipeline's seed sends with a service token. */
    private static final Map<String, Object> SEED = Map.of("email", false, "push", true, "quiet_hours_start", "22:00", "quiet_hours_end", "07:00");

    /**
     * A service of its own: a test here stops or stalls Redis, which on the shared one would open the cache breakers
     * of other classes' functions for 15 s and change what their tests see.
     */
    @RegisterExtension
    static final RunningService running = RunningService.start();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final PublishedEvents events = running.events();

    @Test
    void registrationStoresTheDefaultsOrThePreferencesOfItsBody() {
        Accounts.Account plain = accounts.register(uniqueEmail("prefs"));
        Map<String, Object> body = Accounts.registration(uniqueEmail("prefs"));
        body.put("preferences", Map.of("push", false, "quiet_hours_start", "22:00", "quiet_hours_end", "07:00",
                "categories", Map.of("marketing", Map.of("email", false))));
        Map<String, Object> chosenGrant = accounts.registerGrant(body);

        Map<String, Object> defaults = read(MINE, plain.authorization()).data();
        Map<String, Object> given = read(MINE, bearer(Accounts.access(chosenGrant))).data();

        assertEquals(List.of("email", "push", "quiet_hours_start", "quiet_hours_end", "categories", "custom", "updated_at"),
                List.copyOf(defaults.keySet()), "the contract's representation, in its order");
        assertEquals(true, defaults.get("email"));
        assertEquals(true, defaults.get("push"));
        assertNull(defaults.get("quiet_hours_start"));
        assertNull(defaults.get("quiet_hours_end"));
        assertEquals(Map.of(), defaults.get("categories"));
        assertTrue(((String) defaults.get("updated_at")).endsWith("Z"));
        assertEquals(true, given.get("email"));
        assertEquals(false, given.get("push"));
        assertEquals("22:00", given.get("quiet_hours_start"));
        assertEquals("07:00", given.get("quiet_hours_end"));
        assertEquals(Map.of("marketing", Map.of("email", false, "push", true)), given.get("categories"));
    }

    @Test
    void theOwnerAnAdminAndAServiceReadAndChangeThemButNoOtherUser() {
        Accounts.Account alice = accounts.register(uniqueEmail("alice"));
        Accounts.Account bob = accounts.register(uniqueEmail("bob"));
        Accounts.Account admin = accounts.admin();
        String service = bearer(running.serviceToken());
        String hers = "/api/v1/users/" + alice.id() + "/preferences";

        Map<String, Object> own = read(MINE, alice.authorization()).data();
        assertEquals(own, read(hers, alice.authorization()).data());
        assertEquals(own, read(hers, admin.authorization()).data());
        assertEquals(own, read(hers, service).data());
        assertError(api.get(hers, "Authorization", bob.authorization()), 403, "forbidden");
        assertError(change("PUT", hers, bob.authorization(), Map.of("push", false)), 403, "forbidden");
        assertError(api.get(MINE, "Authorization", service), 403, "forbidden");
        assertError(api.get(MINE), 401, "unauthorized");

        Api.Response seeded = change("PUT", hers, service, SEED);
        assertEquals(200, seeded.status(), seeded.text());
        assertEquals(false, seeded.data().get("email"));
        assertEquals("22:00", seeded.data().get("quiet_hours_start"));
        assertEquals("07:00", seeded.data().get("quiet_hours_end"), "quiet hours may span midnight");
        assertEquals(seeded.data(), read(MINE, alice.authorization()).data());

        assertEquals(200, change("PATCH", hers, admin.authorization(), Map.of("push", false)).status());
        assertEquals(200, change("PATCH", hers, alice.authorization(), Map.of("email", true)).status());
        Api.Response mine = change("PUT", MINE, alice.authorization(), Map.of("categories", Map.of("news", Map.of("push", false))));
        assertEquals(200, mine.status(), mine.text());
        assertEquals(Map.of("email", true, "push", false, "quiet_hours_start", "22:00", "quiet_hours_end", "07:00"),
                choices(mine.data()), "each change kept what it did not name");
        assertEquals(true, read(MINE, bob.authorization()).data().get("push"), "bob's own are untouched");

        String nobody = "/api/v1/users/" + UUID.randomUUID() + "/preferences";
        assertError(api.get(nobody, "Authorization", admin.authorization()), 404, "not_found");
        assertError(change("PUT", nobody, service, SEED), 404, "not_found");
        assertError(api.get("/api/v1/users/not-a-user/preferences", "Authorization", service), 404, "not_found");
    }

    @Test
    void aPartialChangePublishesBothVersionsAndKeepsTheRest() {
        Accounts.Account alice = accounts.register(uniqueEmail("partial"));
        Map<String, Object> registered = read(MINE, alice.authorization()).data();

        Api.Response changed = change("PATCH", MINE, alice.authorization(), Map.of("push", false));

        assertEquals(200, changed.status(), changed.text());
        assertEquals(true, changed.data().get("email"));
        assertEquals(false, changed.data().get("push"));
        assertNotEquals(registered.get("updated_at"), changed.data().get("updated_at"));
        Map<String, Object> event = events.await("preferences.updated", alice.id());
        assertEquals(Map.of("before", registered, "after", changed.data()), event.get("data"));
    }

    @Test
    void refusedAndEmptyChangesStoreAndPublishNothing() {
        Accounts.Account alice = accounts.register(uniqueEmail("refused"));
        Map<String, Object> registered = read(MINE, alice.authorization()).data();
        Map<String, AttributeValue> item = preferencesItem(alice.id());

        assertEquals(List.of("quiet_hours_start"), refused(alice, Map.of("quiet_hours_start", "25:00", "quiet_hours_end", "07:00")));
        assertEquals(List.of("quiet_hours_end"), refused(alice, Map.of("quiet_hours_start", "22:00")));
        assertEquals(List.of("sms"), refused(alice, Map.of("push", false, "sms", true)));
        assertEquals(List.of("email", "categories.news.push"),
                refused(alice, Map.of("email", "no", "categories", Map.of("news", Map.of("push", 1)))));
        assertEquals(List.of("categories.Bad-Name"), refused(alice, Map.of("categories", Map.of("Bad-Name", Map.of()))));
        assertEquals(List.of("push"), refused(alice, Collections.singletonMap("push", null)));
        assertError(api.send("PUT", MINE, "{\"push\": ", "Authorization", alice.authorization(), "Content-Type", "application/json"),
                400, "malformed_json");
        assertError(api.send("PUT", MINE, "push=false", "Authorization", alice.authorization(), "Content-Type", "text/plain"),
                415, "unsupported_media_type");
        Map<String, Object> sameAsStored = new LinkedHashMap<>();
        sameAsStored.put("email", true);
        sameAsStored.put("categories", Collections.singletonMap("never_added", null));
        Api.Response nothingNew = change("PUT", MINE, alice.authorization(), sameAsStored);
        assertEquals(200, nothingNew.status(), nothingNew.text());
        assertEquals(registered, nothingNew.data(), "a change to the stored values answers them as they are");

        assertEquals(item, preferencesItem(alice.id()), "nothing was stored");
        assertEquals(registered, read(MINE, alice.authorization()).data());
        // The user's events are one FIFO group: had a refused or empty change emitted one, it would come first.
        Api.Response later = change("PATCH", MINE, alice.authorization(), Map.of("email", false));
        Map<String, Object> event = events.await("preferences.updated", alice.id());
        assertEquals(later.data(), ((Map<?, ?>) event.get("data")).get("after"));
        assertEquals(1, events.receivedFor(alice.id()).stream().filter(e -> "preferences.updated".equals(e.get("type"))).count());
    }

    @Test
    void categoriesAreAddedOverriddenAndRemoved() {
        Accounts.Account alice = accounts.register(uniqueEmail("categories"));

        change("PATCH", MINE, alice.authorization(), Map.of("categories", Map.of("news", Map.of("email", false), "digest", Map.of("push", false))));
        Map<String, Object> categories = new LinkedHashMap<>();
        categories.put("news", Map.of("push", false));
        categories.put("digest", null);
        categories.put("security", Map.of());
        Api.Response changed = change("PATCH", MINE, alice.authorization(), Map.of("categories", categories));

        assertEquals(200, changed.status(), changed.text());
        assertEquals(Map.of("news", Map.of("email", false, "push", false), "security", Map.of("email", true, "push", true)),
                changed.data().get("categories"));
        assertEquals(changed.data(), read(MINE, alice.authorization()).data());
    }

    @Test
    void quietHoursAreClearedBothAtOnce() {
        Accounts.Account alice = accounts.register(uniqueEmail("clear"));
        change("PUT", MINE, alice.authorization(), SEED);

        assertEquals(List.of("quiet_hours_end"), refused(alice, Collections.singletonMap("quiet_hours_end", null)));
        Map<String, Object> clear = new LinkedHashMap<>();
        clear.put("quiet_hours_start", null);
        clear.put("quiet_hours_end", null);
        Api.Response cleared = change("PATCH", MINE, alice.authorization(), clear);

        assertEquals(200, cleared.status(), cleared.text());
        assertNull(cleared.data().get("quiet_hours_start"));
        assertNull(cleared.data().get("quiet_hours_end"));
    }

    @Test
    void concurrentChangesOfDifferentCategoriesAllLand() throws Exception {
        Accounts.Account alice = accounts.register(uniqueEmail("concurrent"));
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Api.Response>> responses = IntStream.range(0, writers).mapToObj(i -> pool.submit(() ->
                    change("PATCH", MINE, alice.authorization(), Map.of("categories", Map.of("topic_" + i, Map.of("email", false))))))
                    .toList();
            for (Future<Api.Response> response : responses) {
                assertEquals(200, response.get().status(), response.get().text());
            }
        } finally {
            pool.shutdown();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> categories = (Map<String, Object>) read(MINE, alice.authorization()).data().get("categories");
        assertEquals(writers, categories.size(), categories.toString());
    }

    @Test
    void aSecondReadComesFromRedisUntilAChangeForgetsIt() {
        Accounts.Account alice = accounts.register(uniqueEmail("cached"));
        running.service().awaitStreamsCaughtUp();
        String key = CacheKeys.preferences(alice.id());
        try (Jedis redis = running.redis()) {
            assertEquals(true, read(MINE, alice.authorization()).data().get("push"));
            assertTrue(redis.exists(key), "the first read fills the cache");
            assertTrue(redis.ttl(key) > 22 * 3600 && redis.ttl(key) <= PreferencesService.CACHE_TTL.toSeconds(), "kept for 23 hours");

            CachedEntries.rewrite(redis, key, cached -> cached.put("push", false));
            assertEquals(false, read(MINE, alice.authorization()).data().get("push"), "the cached copy answers");

            Api.Response changed = change("PATCH", MINE, alice.authorization(), Map.of("email", false));
            assertFalse(redis.exists(key), "a change forgets the cached copy");
            assertEquals(true, changed.data().get("push"), "a change starts from the table, not the cache");
            assertEquals(changed.data(), read(MINE, alice.authorization()).data());
        }
    }

    @Test
    void answersStayRightWithRedisStopped() {
        Accounts.Account alice = accounts.register(uniqueEmail("no-cache"));
        running.service().stopRedis();
        try {
            Api.Response seeded = change("PUT", MINE, alice.authorization(), SEED);
            assertEquals(200, seeded.status(), seeded.text());
            assertEquals(seeded.data(), read(MINE, alice.authorization()).data());
            Api.Response patched = change("PATCH", MINE, alice.authorization(), Map.of("push", false));
            assertEquals(patched.data(), read(MINE, alice.authorization()).data());
        } finally {
            running.service().startRedis();
        }
    }

    @Test
    void theSampleEventsWorkAsTheyAre() throws IOException {
        Accounts.Account alice = accounts.register(uniqueEmail("sample"));
        Map<String, String> placeholders = Map.of("<ACCESS_TOKEN>", alice.accessToken(), "<USER_ID>", alice.id());

        Map<String, Object> seeded = invoke("UpdatePreferencesFunction", "update-preferences.json",
                Map.of("<ACCESS_TOKEN>", running.serviceToken(), "<USER_ID>", alice.id()));
        Map<String, Object> read = invoke("GetPreferencesFunction", "get-preferences.json", placeholders);

        assertEquals(200L, seeded.get("statusCode"), seeded.toString());
        assertEquals(200L, read.get("statusCode"), read.toString());
        Map<String, Object> preferences = data(read);
        assertEquals(Map.of("email", false, "push", true, "quiet_hours_start", "22:00", "quiet_hours_end", "07:00"), choices(preferences));
        assertEquals(data(seeded), preferences);
    }

    private static Api.Response read(String path, String authorization) {
        Api.Response response = api.get(path, "Authorization", authorization);
        assertEquals(200, response.status(), response.text());
        return response;
    }

    private static Api.Response change(String method, String path, String authorization, Map<String, ?> body) {
        return api.send(method, path, Json.write(body), "Authorization", authorization, "Content-Type", "application/json");
    }

    /** The fields a refused PUT names; PATCH is refused the same way. */
    private static List<String> refused(Accounts.Account caller, Map<String, ?> body) {
        Api.Response put = change("PUT", MINE, caller.authorization(), body);
        assertError(put, 400, "validation_failed");
        assertEquals(detailFields(put), detailFields(change("PATCH", MINE, caller.authorization(), body)));
        return detailFields(put);
    }

    private static Map<String, Object> choices(Map<String, Object> preferences) {
        Map<String, Object> choices = new LinkedHashMap<>(preferences);
        choices.remove("categories");
        choices.remove("custom");
        choices.remove("updated_at");
        return choices;
    }

    private static Map<String, AttributeValue> preferencesItem(String userId) {
        return accounts.item("USER#" + userId, "PREFERENCES");
    }

    private static Map<String, Object> invoke(String function, String sample, Map<String, String> placeholders) throws IOException {
        String event = Files.readString(LocalOptions.defaults().template().getParent().resolve("events").resolve(sample));
        for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
            event = event.replace(placeholder.getKey(), placeholder.getValue());
        }
        return accounts.invoke(function, event.getBytes(StandardCharsets.UTF_8));
    }

    /** The envelope's data in a function's raw API Gateway answer. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> answer) {
        return (Map<String, Object>) Json.parseObject((String) answer.get("body")).get("data");
    }
}
