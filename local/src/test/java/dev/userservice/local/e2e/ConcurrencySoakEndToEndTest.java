package dev.userservice.local.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Many clients at once on a service of its own (so the whole table and queue are this test's): registering with
 * emails from a small pool, signing in, refreshing (two at once with one token, and replaying retired tokens),
 * moving push tokens from a small pool between users, changing emails, deleting accounts. Afterwards every invariant
 * is checked against a scan of the table and the drained {@code user-events} queue: one account per email, one
 * holder per push token and one device per user and token, at most one current refresh token per session and one
 * successful use per refresh token, and the events are exactly the changes stored.
 *
 * <p>Bounded for CI (20 s of load, 12 clients); the environment variables {@code SOAK_SECONDS} and
 * {@code SOAK_CLIENTS} run it longer and with more clients (see CONTRIBUTING.md). It prints its figures: operations
 * by kind, outcomes by status and error, events by type.
 */
class ConcurrencySoakEndToEndTest {
    private static final Duration LOAD = Duration.ofSeconds(setting("SOAK_SECONDS", 20));
    private static final int CLIENTS = setting("SOAK_CLIENTS", 12);
    private static final int EMAILS = CLIENTS * 3;
    private static final int PUSH_TOKENS = Math.max(3, CLIENTS / 2);
    /**
     * The contract's answer to a writer that lost every round to the others, or ran out of its function's time doing
     * so (docs/api.md): retried by the client after {@code Retry-After}. Rare, but on two cores a crowd moving a few push
     * tokens between users meets it now and then.
     */
    private static final String BUSY = " 503 service_unavailable";

    @RegisterExtension
    static final RunningService running = RunningService.start();
    private static final Api api = running.api();
    private static final PublishedEvents events = running.events();

    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refreshSuccesses = new ConcurrentHashMap<>();
    private final ExecutorService racers = Executors.newCachedThreadPool();
    private final String run = Long.toString(System.nanoTime(), 36);

    @Test
    void manyClientsAtOnceLeaveEveryInvariantHolding() throws Exception {
        long started = System.nanoTime();
        long end = started + LOAD.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            running.add(clients.submit(() -> {
                Client client = new Client();
                while (System.nanoTime() < end) {
                    client.step();
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get();
        }
        clients.shutdown();
        racers.shutdown();
        Duration load = Duration.ofNanos(System.nanoTime() - started);

        events.receiveEverythingPublished();
        Table table = Table.scan();
        printFigures(load, table);

        assertAll(
                () -> assertTrue(outcomes.keySet().stream().filter(outcome -> outcome.contains(" 5"))
                                .allMatch(outcome -> outcome.endsWith(BUSY)),
                        "no 5xx but the contract's answer to contention: " + new TreeMap<>(counts())),
                () -> assertTrue(busyAnswers() * 50 <= counts().values().stream().mapToLong(Long::longValue).sum(),
                        "writers that lost every round, or ran out of their function's time, are rare: " + new TreeMap<>(counts())),
                () -> assertEquals(Map.of(), refreshSuccesses.entrySet().stream().filter(used -> used.getValue().get() > 1)
                        .collect(Collectors.toMap(Map.Entry::getKey, used -> used.getValue().get())),
                        "a refresh token is exchanged at most once"),
                oneAccountPerEmail(table),
                oneHolderPerPushToken(table),
                atMostOneCurrentRefreshTokenPerSession(table),
                eventsAreExactlyTheStoredChanges(table));
    }

    /** One simulated client: an account of its own at a time, its sessions' refresh tokens, random operations. */
    private final class Client {
        private final ThreadLocalRandom random = ThreadLocalRandom.current();
        private String userId;
        private String email;
        private String access;
        private String refresh;
        private final List<String> retired = new ArrayList<>();

        void step() {
            if (userId == null) {
                register();
                return;
            }
            int dice = random.nextInt(100);
            if (dice < 15) {
                login();
            } else if (dice < 35) {
                refresh();
            } else if (dice < 42) {
                refreshTwiceAtOnce();
            } else if (dice < 48) {
                replay();
            } else if (dice < 78) {
                registerDevice();
            } else if (dice < 90) {
                changeEmail();
            } else if (dice < 94) {
                deleteAccount();
            } else {
                register();
            }
        }

        private void register() {
            Api.Response response = count("register", api.post("/api/v1/auth/register", Accounts.registration(poolEmail())));
            if (response.status() == 201) {
                signedIn(response);
            }
        }

        /** A new session of the client's account (its session may have ended by a replay); none once it is gone. */
        private void login() {
            Api.Response response = count("login", api.post("/api/v1/auth/login", Map.of("email", email, "password", Accounts.PASSWORD)));
            if (response.status() == 200) {
                signedIn(response);
            } else {
                userId = null;
            }
        }

        /** A request in the client's session, signing in again when a replay ended the session. */
        private void inSession(String operation, Api.Response response) {
            if (count(operation, response).status() == 401) {
                login();
            }
        }

        private void refresh() {
            Api.Response response = count("refresh", exchange(refresh));
            if (response.status() == 200) {
                retired.add(refresh);
                access = (String) response.data().get("access_token");
                refresh = (String) response.data().get("refresh_token");
            } else {
                login();
            }
        }

        /** Two exchanges of one refresh token at once: at most one may succeed. */
        private void refreshTwiceAtOnce() {
            String token = refresh;
            CompletableFuture<Api.Response> other = CompletableFuture.supplyAsync(() -> exchange(token), racers);
            Api.Response mine = exchange(token);
            Api.Response theirs = other.join();
            count("refresh_race", mine);
            count("refresh_race", theirs);
            Optional<Api.Response> won = mine.status() == 200 ? Optional.of(mine) : theirs.status() == 200 ? Optional.of(theirs) : Optional.empty();
            retired.add(token);
            if (won.isPresent()) {
                access = (String) won.get().data().get("access_token");
                refresh = (String) won.get().data().get("refresh_token");
            } else {
                login();
            }
        }

        /** A retired token sent again: the session it belongs to ends. */
        private void replay() {
            if (retired.isEmpty()) {
                refresh();
                return;
            }
            count("refresh_replay", exchange(retired.get(random.nextInt(retired.size()))));
        }

        private void registerDevice() {
            String token = "soak-" + run + "-push-" + random.nextInt(PUSH_TOKENS);
            inSession("device", api.post("/api/v1/users/me/devices", Map.of("token", token, "platform", "android"),
                    "Authorization", Api.bearer(access)));
        }

        private void changeEmail() {
            String wanted = poolEmail();
            Api.Response response = api.send("PATCH", "/api/v1/users/me",
                    Json.write(Map.of("email", wanted, "current_password", Accounts.PASSWORD)),
                    "Authorization", Api.bearer(access), "Content-Type", "application/json");
            if (response.status() == 200) {
                email = wanted;
            }
            inSession("email_change", response);
        }

        private void deleteAccount() {
            Api.Response response = api.send("DELETE", "/api/v1/users/me", Json.write(Map.of("password", Accounts.PASSWORD)),
                    "Authorization", Api.bearer(access), "Content-Type", "application/json");
            if (response.status() == 200) {
                count("delete", response);
                userId = null;
            } else {
                inSession("delete", response);
            }
        }

        private void signedIn(Api.Response grant) {
            userId = Accounts.userId(grant.data());
            @SuppressWarnings("unchecked")
            Map<String, Object> user = (Map<String, Object>) grant.data().get("user");
            email = (String) user.get("email");
            access = (String) grant.data().get("access_token");
            refresh = (String) grant.data().get("refresh_token");
            retired.clear();
        }

        private Api.Response exchange(String token) {
            Api.Response response = api.post("/api/v1/auth/refresh", Map.of("refresh_token", token));
            if (response.status() == 200) {
                refreshSuccesses.computeIfAbsent(token, used -> new AtomicInteger()).incrementAndGet();
            }
            return response;
        }

        private String poolEmail() {
            return "soak-" + run + "-" + random.nextInt(EMAILS) + "@example.com";
        }
    }

    private Api.Response count(String operation, Api.Response response) {
        String error = response.status() < 400 ? "" : " " + response.error();
        if (response.status() == 503 && response.header("Retry-After") == null) {
            error += " without Retry-After";
        }
        outcomes.computeIfAbsent(operation + " " + response.status() + error, key -> new LongAdder()).increment();
        return response;
    }

    private long busyAnswers() {
        return counts().entrySet().stream().filter(outcome -> outcome.getKey().endsWith(BUSY)).mapToLong(Map.Entry::getValue).sum();
    }

    private Map<String, Long> counts() {
        return outcomes.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().sum()));
    }

    private void printFigures(Duration load, Table table) {
        Map<String, Long> byOperation = new TreeMap<>();
        counts().forEach((outcome, count) -> byOperation.merge(outcome.substring(0, outcome.indexOf(' ')), count, Long::sum));
        long total = byOperation.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> eventTypes = new TreeMap<>(table.events.stream()
                .collect(Collectors.groupingBy(event -> (String) event.get("type"), Collectors.counting())));
        System.out.printf("Concurrency soak: %d clients, %.1f s of load, %d requests (%.0f/s)%n",
                CLIENTS, load.toMillis() / 1000.0, total, total * 1000.0 / Math.max(1, load.toMillis()));
        System.out.println("  requests by operation: " + byOperation);
        System.out.println("  outcomes (operation status error): " + new TreeMap<>(counts()));
        System.out.println("  events on the queue: " + eventTypes);
        System.out.printf("  table afterwards: %d users, %d email claims, %d devices (%d active), %d push-token claims, %d sessions%n",
                table.profiles.size(), table.emailClaims.size(), table.devices.size(),
                table.devices.stream().filter(device -> device.get("active").bool()).count(), table.pushClaims.size(),
                table.sessions.size());
    }

    private static Executable oneAccountPerEmail(Table table) {
        return () -> {
            Map<String, String> claimedBy = table.emailClaims.stream()
                    .collect(Collectors.toMap(claim -> claim.get("pk").s().substring("EMAIL#".length()), claim -> claim.get("user_id").s()));
            Map<String, String> emailOf = table.profiles.stream()
                    .collect(Collectors.toMap(profile -> userOf(profile), profile -> profile.get("email").s()));
            Map<String, String> expected = emailOf.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
            assertEquals(emailOf.size(), expected.size(), "no two users share an email");
            assertEquals(expected, claimedBy, "every user's email is claimed by them, and no claim is left without its user");
        };
    }

    private static Executable oneHolderPerPushToken(Table table) {
        return () -> {
            Map<String, List<Map<String, AttributeValue>>> byToken = table.devices.stream()
                    .collect(Collectors.groupingBy(device -> device.get("token").s()));
            for (Map.Entry<String, List<Map<String, AttributeValue>>> token : byToken.entrySet()) {
                List<Map<String, AttributeValue>> active = token.getValue().stream().filter(device -> device.get("active").bool()).toList();
                assertTrue(active.size() <= 1, "one active device for " + token.getKey() + ": " + active);
                Map<String, Long> rows = token.getValue().stream().collect(Collectors.groupingBy(Table::userOf, Collectors.counting()));
                assertTrue(rows.values().stream().allMatch(count -> count == 1), "one device per user for " + token.getKey() + ": " + rows);
                Optional<Map<String, AttributeValue>> claim = table.pushClaims.stream()
                        .filter(item -> item.get("pk").s().equals(claimKey(token.getKey()))).findFirst();
                for (Map<String, AttributeValue> device : active) {
                    assertTrue(claim.isPresent() && claim.get().get("user_id").s().equals(userOf(device))
                            && claim.get().get("device_id").s().equals(device.get("device_id").s()),
                            "the claim of " + token.getKey() + " names its active device");
                }
            }
            for (Map<String, AttributeValue> claim : table.pushClaims) {
                assertTrue(table.devices.stream().anyMatch(device -> userOf(device).equals(claim.get("user_id").s())
                        && device.get("device_id").s().equals(claim.get("device_id").s())), "a claim names a stored device: " + claim);
            }
        };
    }

    private static Executable atMostOneCurrentRefreshTokenPerSession(Table table) {
        return () -> {
            Map<String, Long> current = table.refreshTokens.stream()
                    .filter(token -> "current".equals(token.get("status").s()))
                    .collect(Collectors.groupingBy(token -> token.get("session_id").s(), Collectors.counting()));
            assertTrue(current.values().stream().allMatch(count -> count == 1), "one current refresh token per session: " + current);
            for (Map<String, AttributeValue> session : table.sessions) {
                boolean live = !session.containsKey("revoked_at") || session.get("revoked_at").nul() != null;
                String id = session.get("sk").s().substring("SESSION#".length());
                if (live) {
                    assertEquals(1L, current.getOrDefault(id, 0L), "a live session has its one current refresh token: " + id);
                }
            }
        };
    }

    /**
     * The queue says what the table holds: each user registered once, deleted users announced once and gone, each
     * stored email the last one announced, and each stored device active exactly when its last event says so.
     */
    private static Executable eventsAreExactlyTheStoredChanges(Table table) {
        return () -> {
            Map<String, List<Map<String, Object>>> byUser = table.events.stream()
                    .collect(Collectors.groupingBy(event -> (String) event.get("user_id")));
            Map<String, String> emailOf = table.profiles.stream().collect(Collectors.toMap(Table::userOf, profile -> profile.get("email").s()));
            for (Map.Entry<String, List<Map<String, Object>>> user : byUser.entrySet()) {
                List<Map<String, Object>> ofUser = user.getValue();
                long registered = ofUser.stream().filter(event -> "user.registered".equals(event.get("type"))).count();
                long deleted = ofUser.stream().filter(event -> "user.deleted".equals(event.get("type"))).count();
                assertEquals(1, registered, "one user.registered for " + user.getKey());
                boolean stored = emailOf.containsKey(user.getKey());
                assertEquals(stored ? 0 : 1, deleted, "user.deleted exactly for a user no longer stored: " + user.getKey());
                if (!stored) {
                    assertTrue(table.itemsOfUser.getOrDefault(user.getKey(), List.of()).isEmpty(),
                            "nothing left of deleted user " + user.getKey() + ": " + table.itemsOfUser.get(user.getKey()));
                    continue;
                }
                String announced = null;
                Map<String, Boolean> deviceActive = new HashMap<>();
                for (Map<String, Object> event : ofUser) {
                    Map<?, ?> data = (Map<?, ?>) event.get("data");
                    switch ((String) event.get("type")) {
                        case "user.registered", "user.updated" -> announced = data.get("email") == null ? announced : (String) data.get("email");
                        case "device.registered" -> deviceActive.put((String) data.get("device_id"), true);
                        case "device.deactivated" -> deviceActive.put((String) data.get("device_id"), false);
                        default -> { }
                    }
                }
                assertEquals(emailOf.get(user.getKey()), announced, "the stored email is the last one announced for " + user.getKey());
                Map<String, Boolean> storedActive = table.devices.stream().filter(device -> userOf(device).equals(user.getKey()))
                        .collect(Collectors.toMap(device -> device.get("device_id").s(), device -> device.get("active").bool()));
                assertEquals(storedActive, deviceActive, "each device of " + user.getKey() + " is active exactly when its last event says so");
            }
            for (String user : emailOf.keySet()) {
                assertTrue(byUser.containsKey(user), "a stored user was announced: " + user);
            }
        };
    }

    private static String userOf(Map<String, AttributeValue> item) {
        return Table.userOf(item);
    }

    /** A setting of a longer run, from the environment (which Maven hands to the test JVM). */
    private static int setting(String name, int bound) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? bound : Integer.parseInt(value.trim());
    }

    private static String claimKey(String token) {
        try {
            return "PUSH_TOKEN#" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The whole table, scanned once after the load (only tests scan), sorted into what the invariants read. */
    private record Table(List<Map<String, AttributeValue>> profiles, List<Map<String, AttributeValue>> emailClaims,
                         List<Map<String, AttributeValue>> devices, List<Map<String, AttributeValue>> pushClaims,
                         List<Map<String, AttributeValue>> sessions, List<Map<String, AttributeValue>> refreshTokens,
                         Map<String, List<Map<String, AttributeValue>>> itemsOfUser, List<Map<String, Object>> events) {

        static Table scan() {
            List<Map<String, AttributeValue>> items = running.dynamo().scanPaginator(request -> request.tableName(running.table()))
                    .items().stream().toList();
            Function<String, List<Map<String, AttributeValue>>> typed = type -> items.stream()
                    .filter(item -> item.containsKey("type") && type.equals(item.get("type").s())).toList();
            return new Table(
                    items.stream().filter(item -> item.get("pk").s().startsWith("USER#") && "PROFILE".equals(item.get("sk").s())).toList(),
                    items.stream().filter(item -> item.get("pk").s().startsWith("EMAIL#")).toList(),
                    typed.apply("device"),
                    items.stream().filter(item -> item.get("pk").s().startsWith("PUSH_TOKEN#")).toList(),
                    items.stream().filter(item -> item.get("pk").s().startsWith("USER#") && item.get("sk").s().startsWith("SESSION#")).toList(),
                    items.stream().filter(item -> item.get("pk").s().startsWith("REFRESH#")).toList(),
                    items.stream().filter(item -> item.get("pk").s().startsWith("USER#"))
                            .collect(Collectors.groupingBy(Table::userOf)),
                    ConcurrencySoakEndToEndTest.events.receivedAll());
        }

        static String userOf(Map<String, AttributeValue> item) {
            return item.get("pk").s().substring("USER#".length());
        }
    }
}
