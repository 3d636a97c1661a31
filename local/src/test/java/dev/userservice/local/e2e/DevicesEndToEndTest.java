package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.statuses;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.cache.CacheKeys;
import dev.userservice.json.Json;
import dev.userservice.local.e2e.Accounts.Account;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Push devices over real HTTP through the local runner: registration (new, again, moved from another user, at
 * sign-up), the limit of active devices, the end of a device's session, the device routes, their events, and bad
 * input. The table is read directly only to prove what was stored: claims, summaries and devices of other users.
 */
class DevicesEndToEndTest {
    private static final String DEVICES = "/api/v1/users/me/devices";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final PublishedEvents events = running.events();

    @Test
    void registeringCreatesThenUpdatesAndTheDeviceRoutesWork() {
        Account alice = accounts.register(uniqueEmail("devices"));
        String token = newToken();

        Api.Response created = register(alice, Map.of("token", token, "platform", "ios"));
        assertEquals(201, created.status(), created.text());
        Map<String, Object> device = created.data();
        assertEquals(List.of("id", "token", "platform", "active", "device_name", "created_at", "updated_at", "last_seen_at", "deactivated_reason"),
                List.copyOf(device.keySet()), "exactly the contract's fields");
        assertEquals(token, device.get("token"));
        assertEquals(true, device.get("active"));
        assertNull(device.get("device_name"));
        String id = (String) device.get("id");

        Api.Response again = register(alice, Map.of("token", token, "platform", "ios", "device_name", "Alice's phone"));
        assertEquals(200, again.status(), again.text());
        assertEquals(id, again.data().get("id"), "the same token is the same device");
        assertEquals("Alice's phone", again.data().get("device_name"));

        Api.Response listed = api.get(DEVICES, "Authorization", alice.authorization());
        assertEquals(200, listed.status(), listed.text());
        assertEquals(List.of(id), ids(listed));
        assertEquals(Map.of("total", 1L, "limit", 20L, "page", 1L, "total_pages", 1L, "has_next", false, "has_previous", false),
                listed.body().get("meta"));

        Api.Response fetched = api.get(DEVICES + "/" + id, "Authorization", alice.authorization());
        assertEquals(200, fetched.status(), fetched.text());
        assertEquals("Alice's phone", fetched.data().get("device_name"));

        Api.Response patched = accounts.patch(DEVICES + "/" + id, alice, Map.of("active", false, "device_name", "Old phone"));
        assertEquals(200, patched.status(), patched.text());
        assertEquals(false, patched.data().get("active"));
        assertEquals("Old phone", patched.data().get("device_name"));
        assertEquals(List.of(), activeTargets(alice.id()), "an inactive device is no push target");

        Api.Response reactivated = accounts.patch(DEVICES + "/" + id, alice, Map.of("active", true));
        assertEquals(200, reactivated.status(), reactivated.text());
        assertEquals(List.of(id), activeTargets(alice.id()));

        Api.Response deleted = api.send("DELETE", DEVICES + "/" + id.toUpperCase(Locale.ROOT), null, "Authorization", alice.authorization());
        assertEquals(200, deleted.status(), deleted.text());
        assertError(api.get(DEVICES + "/" + id, "Authorization", alice.authorization()), 404, "not_found");
        assertTrue(accounts.item(claimKey(token), "CLAIM").isEmpty(), "the token is released");
        assertEquals(List.of(), activeTargets(alice.id()));

        Map<String, Object> registeredEvent = events.await("device.registered", alice.id());
        assertEquals(Map.of("device_id", id, "token", token, "platform", "ios"), withoutName(registeredEvent));
        List<Map<String, Object>> deactivations = awaitCount("device.deactivated", alice.id(), 2);
        assertEquals(List.of("user_request", "user_request"), reasons(deactivations), "PATCH, then DELETE of the active device");
    }

    @Test
    void anotherUsersDeviceIsNotFound() {
        Account alice = accounts.register(uniqueEmail("devices"));
        Account mallory = accounts.register(uniqueEmail("devices"));
        String id = (String) register(alice, Map.of("token", newToken(), "platform", "android")).data().get("id");

        for (String path : List.of(DEVICES + "/" + id, DEVICES + "/" + UUID.randomUUID(), DEVICES + "/not-a-device")) {
            assertError(api.get(path, "Authorization", mallory.authorization()), 404, "not_found");
            assertError(accounts.patch(path, mallory, Map.of("active", false)), 404, "not_found");
            assertError(api.send("DELETE", path, null, "Authorization", mallory.authorization()), 404, "not_found");
        }
        Api.Response stillThere = api.get(DEVICES + "/" + id, "Authorization", alice.authorization());
        assertEquals(true, stillThere.data().get("active"), stillThere.text());
        assertError(api.post("/api/v1/users/" + alice.id() + "/devices", Map.of("token", newToken(), "platform", "ios"),
                "Authorization", mallory.authorization()), 403, "forbidden");
    }

    @Test
    void aTokenAnotherUserHoldsMovesToTheCaller() {
        Account first = accounts.register(uniqueEmail("devices"));
        Account second = accounts.register(uniqueEmail("devices"));
        String token = newToken();
        String firstDevice = (String) register(first, Map.of("token", token, "platform", "web")).data().get("id");

        Api.Response moved = register(second, Map.of("token", token, "platform", "web"));

        assertEquals(201, moved.status(), moved.text());
        String secondDevice = (String) moved.data().get("id");
        Map<String, Object> before = api.get(DEVICES + "/" + firstDevice, "Authorization", first.authorization()).data();
        assertEquals(false, before.get("active"), "the previous holder's device no longer receives pushes");
        assertEquals("token_moved", deviceItem(first.id(), firstDevice).get("deactivated_reason").s());
        Map<String, AttributeValue> claim = accounts.item(claimKey(token), "CLAIM");
        assertEquals(second.id(), claim.get("user_id").s());
        assertEquals(secondDevice, claim.get("device_id").s());
        assertEquals(List.of(), activeTargets(first.id()));
        assertEquals(List.of(secondDevice), activeTargets(second.id()));

        Map<String, Object> deactivated = events.await("device.deactivated", first.id());
        assertEquals("token_moved", data(deactivated).get("reason"));
        assertEquals(firstDevice, data(deactivated).get("device_id"));
        assertEquals(secondDevice, data(events.await("device.registered", second.id())).get("device_id"));
    }

    @Test
    void tenUsersRegisteringOneTokenAtOnceLeaveExactlyOneOwner() throws Exception {
        List<Account> users = new ArrayList<>();
        // Ten, not more: each registration that loses the race for the token's claim reads and writes again, and on
        // DynamoDB Local on a loaded machine twenty of them took the last one past the function's time (a 503).
        for (int i = 0; i < 10; i++) {
            users.add(accounts.register(uniqueEmail("crowd")));
        }
        String token = newToken();
        List<Api.Response> responses = allAtOnce(users.stream()
                .<Callable<Api.Response>>map(user -> () -> registerAsClientsDo(user, Map.of("token", token, "platform", "android")))
                .toList());

        assertTrue(responses.stream().allMatch(response -> response.status() == 201), statuses(responses));
        Map<String, AttributeValue> claim = accounts.item(claimKey(token), "CLAIM");
        String owner = claim.get("user_id").s();
        List<Map<String, AttributeValue>> devices = devicesWithToken(token);
        assertEquals(10, devices.size(), "every registration stored a device");
        List<Map<String, AttributeValue>> active = devices.stream().filter(item -> item.get("active").bool()).toList();
        assertEquals(1, active.size(), "exactly one device of the token is active across all users");
        assertEquals("USER#" + owner, active.getFirst().get("pk").s(), "and it is the claim owner's");
        assertEquals(claim.get("device_id").s(), active.getFirst().get("device_id").s());
        for (Account user : users) {
            assertEquals(user.id().equals(owner) ? 1 : 0, activeTargets(user.id()).size(), "summary of " + user.id());
        }
    }

    @Test
    void usersRacingThemselvesAndEachOtherForOneTokenLeaveOneHolderWithOneDeviceEach() throws Exception {
        List<Account> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            users.add(accounts.register(uniqueEmail("race")));
        }
        for (int round = 0; round < 3; round++) {
            String token = newToken();
            List<Callable<Api.Response>> registrations = new ArrayList<>();
            for (Account user : users) {
                for (int i = 0; i < 4; i++) {
                    registrations.add(() -> registerAsClientsDo(user, Map.of("token", token, "platform", "ios")));
                }
            }
            List<Api.Response> responses = allAtOnce(registrations);

            assertTrue(responses.stream().allMatch(response -> response.status() == 200 || response.status() == 201),
                    statuses(responses));
            List<Map<String, AttributeValue>> devices = devicesWithToken(token);
            Map<String, Long> rowsPerUser = devices.stream().collect(Collectors.groupingBy(item -> item.get("pk").s(), Collectors.counting()));
            Map<String, AttributeValue> claim = accounts.item(claimKey(token), "CLAIM");
            String holder = "USER#" + claim.get("user_id").s() + " " + claim.get("device_id").s();
            List<String> activeHolders = devices.stream().filter(item -> item.get("active").bool())
                    .map(item -> item.get("pk").s() + " " + item.get("device_id").s()).toList();
            List<String> tokenDevices = devices.stream().map(item -> item.get("device_id").s()).toList();
            Map<String, List<String>> tokenTargets = users.stream().collect(Collectors.toMap(Account::id,
                    user -> activeTargets(user.id()).stream().filter(tokenDevices::contains).toList()));
            Map<String, List<String>> expectedTargets = users.stream().collect(Collectors.toMap(Account::id,
                    user -> user.id().equals(claim.get("user_id").s()) ? List.of(claim.get("device_id").s()) : List.<String>of()));
            assertAll(
                    () -> assertTrue(rowsPerUser.values().stream().allMatch(rows -> rows == 1), "one device row per user for the token: " + rowsPerUser),
                    () -> assertEquals(List.of(holder), activeHolders, "exactly one active device holds the token, the one its claim names"),
                    () -> assertEquals(expectedTargets, tokenTargets, "only the holder's summary lists the token"));
        }
    }

    @Test
    void theTwentyFirstActiveDeviceEvictsTheLeastRecentlySeen() {
        Account alice = accounts.register(uniqueEmail("devices"));
        List<String> tokens = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tokens.add(newToken());
            ids.add((String) register(alice, Map.of("token", tokens.get(i), "platform", "ios")).data().get("id"));
        }
        assertEquals(200, register(alice, Map.of("token", tokens.getFirst(), "platform", "ios")).status(),
                "seen again, so no longer the least recently seen");

        Api.Response twentyFirst = register(alice, Map.of("token", newToken(), "platform", "ios"));

        assertEquals(201, twentyFirst.status(), twentyFirst.text());
        String evicted = ids.get(1);
        assertEquals(false, api.get(DEVICES + "/" + evicted, "Authorization", alice.authorization()).data().get("active"));
        assertEquals("evicted_limit", deviceItem(alice.id(), evicted).get("deactivated_reason").s());
        List<String> active = activeTargets(alice.id());
        assertEquals(20, active.size());
        assertTrue(active.contains(ids.getFirst()) && !active.contains(evicted), active.toString());
        Api.Response page = api.get(DEVICES + "?limit=20&page=2", "Authorization", alice.authorization());
        assertEquals(Map.of("total", 21L, "limit", 20L, "page", 2L, "total_pages", 2L, "has_next", false, "has_previous", true),
                page.body().get("meta"));
        // A FastAPI client's skip was ignored: it got the first page again and again. Now it starts its page.
        Api.Response skipped = api.get(DEVICES + "?limit=20&skip=20", "Authorization", alice.authorization());
        assertEquals(page.body().get("meta"), skipped.body().get("meta"));
        assertEquals(page.body().get("data"), skipped.body().get("data"));
        Api.Response between = api.get(DEVICES + "?limit=20&offset=10", "Authorization", alice.authorization());
        assertError(between, 400, "validation_failed");
        assertEquals(List.of("offset"), detailFields(between), "named as sent");
        Map<String, Object> deactivated = events.await("device.deactivated", alice.id());
        assertEquals(Map.of("device_id", evicted, "token", tokens.get(1), "platform", "ios", "reason", "evicted_limit"), data(deactivated));
    }

    @Test
    void signingOutDeactivatesTheDevicesOfThatSessionOnly() {
        String email = uniqueEmail("devices");
        Account phone = accounts.register(email);
        Account laptop = accounts.login(email);
        String phoneDevice = (String) register(phone, Map.of("token", newToken(), "platform", "ios")).data().get("id");
        String laptopDevice = (String) register(laptop, Map.of("token", newToken(), "platform", "web")).data().get("id");

        Api.Response logout = api.post("/api/v1/auth/logout", Map.of(), "Authorization", phone.authorization());
        assertEquals(200, logout.status(), logout.text());

        assertEquals(Map.of(phoneDevice, false, laptopDevice, true), accounts.devicesActiveById(laptop));
        assertEquals("session_ended", deviceItem(phone.id(), phoneDevice).get("deactivated_reason").s());
        assertEquals(List.of(laptopDevice), activeTargets(phone.id()));
        Map<String, Object> deactivated = events.await("device.deactivated", phone.id());
        assertEquals(phoneDevice, data(deactivated).get("device_id"));
        assertEquals("session_ended", data(deactivated).get("reason"));
    }

    /** The session ran out (7 days unused); its item is kept, unrevoked, for the user's history. */
    @Test
    void aDeviceOfASessionThatRanOutIsNotReactivated() {
        String email = uniqueEmail("devices");
        Account phone = accounts.register(email);
        String device = (String) register(phone, Map.of("token", newToken(), "platform", "ios", "active", false)).data().get("id");
        String session = deviceItem(phone.id(), device).get("session_id").s();
        running.dynamo().updateItem(request -> request.tableName(running.table())
                .key(Map.of("pk", AttributeValue.fromS("USER#" + phone.id()), "sk", AttributeValue.fromS("SESSION#" + session)))
                .updateExpression("SET last_used_at = :long_ago")
                .expressionAttributeValues(Map.of(":long_ago", AttributeValue.fromS(Instant.now().minus(Duration.ofDays(8)).toString()))));
        Account again = accounts.login(email);

        Api.Response reactivated = accounts.patch(DEVICES + "/" + device, again, Map.of("active", true));

        assertEquals(400, reactivated.status(), reactivated.text());
        assertEquals(Map.of(device, false), accounts.devicesActiveById(again));
    }

    @Test
    void aPushTokenAtRegistrationRegistersADeviceInTheNewSession() {
        Account holder = accounts.register(uniqueEmail("devices"));
        String token = newToken();
        String held = (String) register(holder, Map.of("token", token, "platform", "android")).data().get("id");
        Map<String, Object> body = Accounts.registration(uniqueEmail("signup"));
        body.put("push_token", token);
        body.put("platform", "android");

        Map<String, Object> grant = accounts.registerGrant(body);

        String userId = Accounts.userId(grant);
        Api.Response listed = api.get(DEVICES, "Authorization", Api.bearer(Accounts.access(grant)));
        assertEquals(1, ids(listed).size(), listed.text());
        String device = ids(listed).getFirst();
        Map<String, AttributeValue> stored = deviceItem(userId, device);
        assertEquals(token, stored.get("token").s());
        assertTrue(stored.get("active").bool());
        assertNotNull(stored.get("session_id"), "the device belongs to the new session");
        assertEquals(userId, accounts.item(claimKey(token), "CLAIM").get("user_id").s(), "the token moved at sign-up");
        assertEquals("token_moved", deviceItem(holder.id(), held).get("deactivated_reason").s());
        assertEquals(device, data(events.await("device.registered", userId)).get("device_id"));
        assertEquals("token_moved", data(events.await("device.deactivated", holder.id())).get("reason"));
    }

    @Test
    void anAdminRegistersForAUserWithoutASession() {
        Account alice = accounts.register(uniqueEmail("devices"));
        Account admin = accounts.admin();

        Api.Response registered = api.post("/api/v1/users/" + alice.id() + "/devices",
                Map.of("token", newToken(), "platform", "ios"), "Authorization", admin.authorization());

        assertEquals(201, registered.status(), registered.text());
        Map<String, AttributeValue> stored = deviceItem(alice.id(), (String) registered.data().get("id"));
        assertNull(stored.get("session_id"), "an admin's session is not the user's");
        assertError(api.post("/api/v1/users/" + UUID.randomUUID() + "/devices", Map.of("token", newToken(), "platform", "ios"),
                "Authorization", admin.authorization()), 404, "not_found");
    }

    @Test
    void deactivateAllStopsEveryActiveDeviceOfTheCallerAndNoOneElse() {
        Account alice = accounts.register(uniqueEmail("devices"));
        Account bob = accounts.register(uniqueEmail("devices"));
        String phone = (String) register(alice, Map.of("token", newToken(), "platform", "ios")).data().get("id");
        String tablet = (String) register(alice, Map.of("token", newToken(), "platform", "android")).data().get("id");
        String bobs = (String) register(bob, Map.of("token", newToken(), "platform", "web")).data().get("id");

        assertError(api.post(DEVICES + "/deactivate-all", Map.of("device_ids", List.of(phone)), "Authorization", alice.authorization()),
                400, "validation_failed");
        assertEquals(List.of(phone, tablet).stream().sorted().toList(), activeTargets(alice.id()).stream().sorted().toList(),
                "a body it does not take stops nothing");
        Api.Response deactivated = api.send("POST", DEVICES + "/deactivate-all", null, "Authorization", alice.authorization());

        assertEquals(200, deactivated.status(), deactivated.text());
        assertEquals(Map.of("deactivated", 2L), deactivated.data());
        assertEquals(List.of(), activeTargets(alice.id()), "no device of alice is a push target");
        assertEquals(List.of(phone, tablet).stream().sorted().toList(), ids(api.get(DEVICES, "Authorization", alice.authorization()))
                .stream().sorted().toList(), "the devices stay listed");
        assertEquals(true, api.get(DEVICES + "/" + bobs, "Authorization", bob.authorization()).data().get("active"));
        assertEquals(2, awaitCount("device.deactivated", alice.id(), 2).size());
        assertEquals(0L, api.send("POST", DEVICES + "/deactivate-all", null, "Authorization", alice.authorization())
                .data().get("deactivated"), "none is left active");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theListIsServedFromTheCacheUntilAnyChangeOfTheDevicesForgetsIt() {
        String email = uniqueEmail("devices");
        Account alice = accounts.register(email);
        Account laptop = accounts.login(email);
        Account bob = accounts.register(uniqueEmail("devices"));
        String phoneToken = newToken();
        String phone = (String) register(alice, Map.of("token", phoneToken, "platform", "ios")).data().get("id");
        running.service().awaitStreamsCaughtUp();
        String key = CacheKeys.devices(alice.id());
        try (Jedis redis = running.redis()) {
            List<Map<String, Object>> metrics = MetricsLines.of("ListDevicesFunction", () -> {
                assertEquals(List.of(phone), ids(api.get(DEVICES, "Authorization", alice.authorization())));
                assertEquals(List.of(phone), ids(api.get(DEVICES, "Authorization", alice.authorization())));
            });
            assertEquals(List.of(1L, 0L), metrics.stream().map(line -> line.get("CacheMiss")).toList(), metrics.toString());
            assertEquals(List.of("devices", "devices"), metrics.stream().map(line -> line.get("Cache")).toList());
            long ttl = redis.ttl(key);
            assertTrue(ttl > 3500 && ttl <= 3600, "an hour: " + ttl);

            // Renamed in the cache: the list shows the cached name.
            CachedEntries.rewrite(redis, key, cached -> ((List<?>) cached.get("devices")).stream().map(device -> (Map<String, Object>) device)
                    .filter(device -> phone.equals(device.get("id"))).forEach(device -> device.put("device_name", "Cached")));
            assertEquals("Cached", listed(alice, phone).get("device_name"), "served from the cache");

            Map<String, Supplier<Api.Response>> changes = new LinkedHashMap<>();
            changes.put("a rename", () -> accounts.patch(DEVICES + "/" + phone, alice, Map.of("device_name", "Phone")));
            changes.put("a second device", () -> register(laptop, Map.of("token", newToken(), "platform", "web")));
            changes.put("a service listing the user", () -> api.get("/api/v1/users/" + alice.id() + "/devices",
                    "Authorization", "Bearer " + running.serviceToken()));
            changes.put("the laptop's sign-out", () -> api.post("/api/v1/auth/logout", Map.of(), "Authorization", laptop.authorization()));
            changes.put("the token moving to bob", () -> register(bob, Map.of("token", phoneToken, "platform", "ios")));
            changes.put("a deletion", () -> api.send("DELETE", DEVICES + "/" + phone, null, "Authorization", alice.authorization()));
            for (Map.Entry<String, Supplier<Api.Response>> change : changes.entrySet()) {
                running.service().awaitStreamsCaughtUp(); // the last change's forget from the stream has landed
                api.get(DEVICES, "Authorization", alice.authorization());
                boolean listing = change.getKey().startsWith("a service");
                Api.Response done = change.getValue().get();
                assertTrue(done.status() / 100 == 2, change.getKey() + ": " + done.text());
                assertEquals(listing, redis.exists(key), change.getKey() + (listing ? " reads the cached list" : " forgets the cached list"));
            }
        }
        List<String> left = ids(api.get(DEVICES, "Authorization", alice.authorization()));
        assertEquals(1, left.size(), left.toString());
        assertEquals("session_ended", listed(alice, left.getFirst()).get("deactivated_reason"), "the laptop's device, listed fresh");
    }

    @Test
    void badBodiesAreRefusedAndStoreNothing() {
        Account alice = accounts.register(uniqueEmail("devices"));
        int itemsBefore = accounts.itemCount();

        assertEquals(List.of("token"), detailFields(register(alice, Map.of("token", "x".repeat(4097), "platform", "ios"))));
        assertEquals(List.of("token"), detailFields(register(alice, Map.of("token", "line\nbreak", "platform", "ios"))));
        assertEquals(List.of("platform"), detailFields(register(alice, Map.of("token", newToken(), "platform", "blackberry"))));
        assertEquals(List.of("nickname"), detailFields(register(alice, Map.of("token", newToken(), "platform", "ios", "nickname", "x"))));
        assertEquals(List.of("token", "platform"), detailFields(register(alice, Map.of())));
        assertEquals(List.of("active"), detailFields(register(alice, Map.of("token", newToken(), "platform", "ios", "active", "yes"))));
        assertError(api.postRaw(DEVICES, "{\"token\":", "Authorization", alice.authorization()), 400, "malformed_json");
        Map<String, Object> signup = Accounts.registration(uniqueEmail("signup"));
        signup.put("push_token", newToken());
        assertEquals(List.of("platform"), detailFields(api.post("/api/v1/auth/register", signup)));

        String id = (String) register(alice, Map.of("token", newToken(), "platform", "ios")).data().get("id");
        int itemsWithDevice = accounts.itemCount();
        assertEquals(List.of("colour"), detailFields(accounts.patch(DEVICES + "/" + id, alice, Map.of("colour", "red"))));
        assertEquals(List.of("active"), detailFields(accounts.patch(DEVICES + "/" + id, alice, Map.of("active", "no"))));
        assertEquals(itemsWithDevice, accounts.itemCount(), "refused changes store nothing");
        assertTrue(itemsWithDevice > itemsBefore);
        events.await("device.registered", alice.id());
        events.assertNone("device.deactivated", alice.id());
        assertEquals(1, ofType(events.receivedFor(alice.id()), "device.registered").size(),
                "one event, for the one registration that was stored");
    }

    private static Api.Response register(Account caller, Map<String, Object> body) {
        return api.post(DEVICES, body, "Authorization", caller.authorization());
    }

    /**
     * A registration sent again after {@code Retry-After} while it is answered 503 {@code service_unavailable}, as the
     * contract tells clients (docs/api.md): a crowd racing for one token may outlast a writer's retries, and on two
     * shared cores often does. The last answer after at most five sends.
     */
    private static Api.Response registerAsClientsDo(Account caller, Map<String, Object> body) throws InterruptedException {
        for (int send = 1; ; send++) {
            Api.Response response = register(caller, body);
            String retryAfter = response.header("Retry-After");
            if (send == 5 || response.status() != 503 || retryAfter == null) {
                return response;
            }
            Thread.sleep(Duration.ofSeconds(Long.parseLong(retryAfter)));
        }
    }

    /** Every call at once, one thread each; their responses in order. */
    private static List<Api.Response> allAtOnce(List<Callable<Api.Response>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> response : pool.invokeAll(calls)) {
                responses.add(response.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String newToken() {
        return "token-" + UUID.randomUUID() + "-" + UUID.randomUUID();
    }

    private static String claimKey(String token) {
        try {
            return "PUSH_TOKEN#" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, AttributeValue> deviceItem(String userId, String deviceId) {
        Map<String, AttributeValue> item = accounts.item("USER#" + userId, "DEVICE#" + deviceId);
        assertTrue(item != null && !item.isEmpty(), "no device " + deviceId + " of " + userId);
        return item;
    }

    /** The device ids of the user's push-targets summary, as a notification profile reads them. */
    private static List<String> activeTargets(String userId) {
        Map<String, AttributeValue> summary = accounts.item("USER#" + userId, "PUSH_TARGETS");
        if (summary == null || summary.isEmpty()) {
            return List.of();
        }
        return ((List<?>) Json.parse(summary.get("devices").s())).stream()
                .map(target -> (String) ((Map<?, ?>) target).get("device_id")).toList();
    }

    /** Only the tests scan: every device item holding the token, whoever's it is. */
    private static List<Map<String, AttributeValue>> devicesWithToken(String token) {
        return running.dynamo().scanPaginator(request -> request.tableName(running.table())
                        .filterExpression("#type = :device AND #token = :token")
                        .expressionAttributeNames(Map.of("#type", "type", "#token", "token"))
                        .expressionAttributeValues(Map.of(":device", AttributeValue.fromS("device"), ":token", AttributeValue.fromS(token))))
                .items().stream().toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(Api.Response list) {
        return ((List<Map<String, Object>>) list.body().get("data")).stream().map(item -> (String) item.get("id")).toList();
    }

    /** The device as the caller's list shows it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> listed(Account caller, String deviceId) {
        return ((List<Map<String, Object>>) api.get(DEVICES, "Authorization", caller.authorization()).body().get("data")).stream()
                .filter(device -> deviceId.equals(device.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no device " + deviceId + " listed"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> event) {
        return (Map<String, Object>) event.get("data");
    }

    private static Map<String, Object> withoutName(Map<String, Object> event) {
        Map<String, Object> data = new LinkedHashMap<>(data(event));
        assertTrue(data.containsKey("device_name"), "device_name is always present, null when none");
        data.remove("device_name");
        return data;
    }

    /** Exactly {@code count} events of the type for the user, waiting for the first and listening a while for more. */
    private static List<Map<String, Object>> awaitCount(String type, String userId, int count) {
        events.await(type, userId);
        events.receiveEverythingPublished();
        List<Map<String, Object>> found = ofType(events.receivedFor(userId), type);
        assertEquals(count, found.size(), found.toString());
        return found;
    }

    private static List<Map<String, Object>> ofType(List<Map<String, Object>> received, String type) {
        return received.stream().filter(event -> type.equals(event.get("type"))).toList();
    }

    private static List<String> reasons(List<Map<String, Object>> deactivations) {
        return deactivations.stream().map(event -> (String) data(event).get("reason")).toList();
    }
}
