package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.cache.CacheKeys;
import dev.userservice.json.Json;
import dev.userservice.local.FaultInjector;
import dev.userservice.local.FaultInjector.Call;
import dev.userservice.local.FaultInjector.Fault;
import dev.userservice.local.e2e.Accounts.Account;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The fault-injection matrix: every multi-step flow, run through the real handlers on the local runner, with each
 * of its AWS calls in turn made to fail in each way real AWS fails ({@link FaultInjector}), then checked for half
 * done work (an event without its change, a change without its event, an orphan email or push-token claim, a
 * session or refresh token without its account; what the eraser removes, once it ran; cached views a change left),
 * for the client's answer (a 4xx or a 503 with {@code Retry-After}, never a 500) and for the same request, sent again
 * without the fault, succeeding. Functions triggered by a stream or queue (the eraser, the outbox publisher, the
 * table's changes, the status consumer) answer no client: their failed record must be retried until the work is
 * complete. The matrix is printed, one line per flow, step and fault.
 *
 * <p>The steps of a flow are found by running it once while recording its calls. The events of every run are read
 * once at the end, after the stream consumers caught up, which keeps the whole matrix to seconds.
 */
class FaultInjectionMatrixTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();

    private static final String NEW_PASSWORD = "violet harbour lantern seven";

    /** What one run of a flow set up, did and must leave consistent. */
    private interface Scenario {
        /** The request (or, for a triggered function, what triggers it); its answer when it has a client. */
        Optional<Api.Response> act();

        /** Whether a retry's answer means the work is done (a 2xx by default). */
        default boolean retrySucceeded(Api.Response first, Api.Response retry) {
            return retry.status() / 100 == 2;
        }

        /** Finishes what the setup left to the end (reading a mailed token), just before the run. */
        default void ready() {}

        /** For a function fed by a queue: whether its record had to be delivered again. */
        default Optional<Boolean> redelivered() {
            return Optional.empty();
        }

        /** The accounts whose items and events must be consistent. */
        List<String> users();

        /** The flow's own rule tying a stored change to its event, checked once every event has been read. */
        void assertChangeMatchesEvents(PublishedEvents events);
    }

    /** A scenario about one account: its items and events are the ones checked. */
    private abstract static class OneAccount implements Scenario {
        private final Account account;

        OneAccount(Account account) {
            this.account = account;
        }

        @Override
        public List<String> users() {
            return List.of(account.id());
        }
    }

    /** A flow: its name, the function whose calls are its steps, and whether that function is triggered by the stream. */
    private record Flow(String name, String function, boolean streamTriggered, Supplier<Scenario> prepare) {
        Flow(String name, String function, Supplier<Scenario> prepare) {
            this(name, function, false, prepare);
        }
    }

    /** One cell of the matrix. */
    private record Cell(String flow, int step, Call call, Call failed, Fault fault, String answer, String retry, Scenario scenario) {
        /**
         * What happened, in a few characters: the first answer, then the retry's (an arrow), or n/a; led by the call
         * that failed when this run's step was another call than the recorded run's (a cache hit or miss moves steps).
         */
        String outcome() {
            String outcome = retry.isEmpty() ? answer : answer + " → " + retry;
            return failed == null || failed.equals(call) ? outcome : "(" + failed.operation() + ") " + outcome;
        }
    }

    private final List<String> problems = new ArrayList<>();

    @AfterEach
    void disarm() {
        FaultInjector.disarm();
    }

    @Test
    void everyStepOfEveryFlowSurvivesEveryFault() {
        List<Cell> cells = new ArrayList<>();
        for (Flow flow : flows()) {
            long started = System.nanoTime();
            List<Call> steps = stepsOf(flow);
            System.out.println("fault injection: " + flow.name() + " (" + flow.function() + ") makes " + steps);
            // Set up every run of a flow before the first fault, so waits for their setup's events overlap; a
            // stream-triggered flow sets up each run just before it, with the streams quiet.
            java.util.ArrayDeque<Scenario> prepared = new java.util.ArrayDeque<>();
            if (!flow.streamTriggered()) {
                for (Call step : steps) {
                    Stream.of(Fault.values()).filter(step::canFail).forEach(fault -> prepared.add(flow.prepare().get()));
                }
            }
            for (int step = 1; step <= steps.size(); step++) {
                for (Fault fault : Fault.values()) {
                    if (!steps.get(step - 1).canFail(fault)) {
                        cells.add(new Cell(flow.name(), step, steps.get(step - 1), null, fault, "n/a", "", null));
                        continue;
                    }
                    Scenario scenario = flow.streamTriggered() ? flow.prepare().get() : prepared.removeFirst();
                    cells.add(inject(flow, scenario, step, steps.get(step - 1), fault));
                }
            }
            System.out.printf("fault injection: %s took %d ms%n", flow.name(), (System.nanoTime() - started) / 1_000_000);
        }
        running.events().receiveEverythingPublished();
        for (Cell cell : cells) {
            if (cell.scenario() != null) {
                check(cell, () -> assertConsistent(cell.scenario(), true));
                check(cell, () -> assertEventsMatchOutbox(cell.scenario()));
                check(cell, () -> cell.scenario().assertChangeMatchesEvents(running.events()));
            }
        }
        System.out.println(table(cells));
        assertTrue(problems.isEmpty(), () -> problems.size() + " problems:\n" + String.join("\n", problems));
    }

    /** The flow's calls, from one run without faults; the run itself must succeed. */
    private List<Call> stepsOf(Flow flow) {
        Scenario scenario = flow.prepare().get();
        scenario.ready();
        FaultInjector.record(flow.function());
        Optional<Api.Response> answer = scenario.act();
        awaitTriggeredWork(flow);
        List<Call> calls = FaultInjector.disarm();
        answer.ifPresent(response -> assertEquals(2, response.status() / 100, flow.name() + ": " + response.text()));
        assertTrue(!calls.isEmpty(), flow.name() + " made no AWS call");
        return calls;
    }

    private Cell inject(Flow flow, Scenario scenario, int step, Call expected, Fault fault) {
        scenario.ready();
        FaultInjector.arm(flow.function(), step, fault);
        Optional<Api.Response> first = scenario.act();
        awaitTriggeredWork(flow);
        Optional<Call> failed = FaultInjector.failedCall();
        int calls = FaultInjector.disarm().size();
        String where = flow.name() + " step " + step + " " + fault;
        if (failed.isEmpty()) {
            return new Cell(flow.name(), step, expected, null, fault, "not reached", "", scenario);
        }
        // A triggered function's failed record comes again, and calls are made again (its steps are all single tries).
        String answer = first.map(FaultInjectionMatrixTest::describe)
                .orElse(scenario.redelivered().orElse(calls > step) ? "failed, redelivered" : "absorbed");
        first.ifPresent(response -> {
            if (response.status() >= 500 && response.status() != 503) {
                problems.add(where + ": answered " + describe(response) + " " + response.text());
            }
            if (response.status() == 503 && response.header("Retry-After") == null) {
                problems.add(where + ": 503 without Retry-After");
            }
        });
        check(where, () -> assertConsistent(scenario, false));
        String retry = "";
        if (first.isPresent() && first.get().status() / 100 != 2) {
            Api.Response again = scenario.act().orElseThrow();
            retry = describe(again);
            if (!retrySucceeded(scenario, first.get(), again)) {
                problems.add(where + ": the retry without the fault failed: " + again.status() + " " + again.text());
                retry += " FAILED";
            }
            check(where + " after retry", () -> assertConsistent(scenario, false));
        } else if (first.isEmpty()) {
            retry = "done";
        }
        return new Cell(flow.name(), step, expected, failed.get(), fault, answer, retry, scenario);
    }

    private static boolean retrySucceeded(Scenario scenario, Api.Response first, Api.Response retry) {
        try {
            return scenario.retrySucceeded(first, retry);
        } catch (AssertionError e) {
            return false;
        }
    }

    /** A stream-triggered function works after the request: wait until the stream consumers have handled its changes. */
    private static void awaitTriggeredWork(Flow flow) {
        if (flow.streamTriggered()) {
            running.service().awaitStreamsCaughtUp();
        }
    }

    private void check(Cell cell, Runnable assertion) {
        check(cell.flow() + " step " + cell.step() + " " + cell.fault(), assertion);
    }

    private void check(String where, Runnable assertion) {
        try {
            assertion.run();
        } catch (AssertionError e) {
            problems.add(where + ": " + e.getMessage());
        }
    }

    private static String describe(Api.Response response) {
        String error = response.status() / 100 == 2 || response.status() == 503 ? "" : " " + response.error();
        return response.status() + error + (response.header("Retry-After") == null ? "" : " RA" + response.header("Retry-After"));
    }

    /**
     * The matrix as a Markdown table: a row per flow and step, a column per fault; a cell holds the first answer
     * (RA1: {@code Retry-After: 1}) and, after the arrow, the retry's without the fault; for a triggered function,
     * "failed, redelivered → done" when its record failed and was handled on redelivery, "absorbed → done" when the
     * function retried by itself; n/a where the fault does not exist.
     */
    private static String table(List<Cell> cells) {
        StringBuilder table = new StringBuilder("\nFault-injection matrix\n\n| flow | step | call |");
        for (Fault fault : Fault.values()) {
            table.append(' ').append(fault.name().toLowerCase(java.util.Locale.ROOT)).append(" |");
        }
        table.append("\n|---|---|---|").append("---|".repeat(Fault.values().length));
        String row = null;
        for (Cell cell : cells) {
            String key = cell.flow() + " | " + cell.step();
            if (!key.equals(row)) {
                row = key;
                table.append("\n| ").append(key).append(" | ").append(cell.call()).append(" |");
            }
            table.append(' ').append(cell.outcome()).append(" |");
        }
        return table.append('\n').toString();
    }

    // ---- the flows

    private static List<Flow> flows() {
        return List.of(
                new Flow("registration", "RegisterFunction", FaultInjectionMatrixTest::registration),
                new Flow("refresh", "RefreshFunction", FaultInjectionMatrixTest::refresh),
                new Flow("password reset request", "RequestPasswordResetFunction", FaultInjectionMatrixTest::resetRequest),
                new Flow("password reset confirm", "ConfirmPasswordResetFunction", FaultInjectionMatrixTest::resetConfirm),
                new Flow("email change", "UpdateCurrentUserFunction", FaultInjectionMatrixTest::emailChange),
                new Flow("device move", "RegisterDeviceFunction", FaultInjectionMatrixTest::deviceMove),
                new Flow("account deletion", "DeleteCurrentUserFunction", () -> deletion(false)),
                new Flow("account eraser (queue)", "AccountEraserFunction", true, () -> deletion(true)),
                new Flow("status recording (route)", "RecordStatusFunction", () -> statusRecording(false)),
                new Flow("status recording (queue)", "NotificationStatusFunction", () -> statusRecording(true)),
                new Flow("outbox publishing (stream)", "OutboxPublisherFunction", true, FaultInjectionMatrixTest::outboxPublishing),
                new Flow("table changes (stream)", "TableChangesFunction", true, FaultInjectionMatrixTest::tableChanges));
    }

    private static Scenario registration() {
        String email = uniqueEmail("fault-register");
        return new Scenario() {
            @Override
            public Optional<Api.Response> act() {
                return Optional.of(running.api().post("/api/v1/auth/register", Accounts.registration(email)));
            }

            /** A lost answer to a stored registration: the account exists, and signing in works. */
            @Override
            public boolean retrySucceeded(Api.Response first, Api.Response retry) {
                return retry.status() == 201 || (retry.status() == 409 && "email_taken".equals(retry.error())
                        && running.accounts().loginGrant(email, PASSWORD) != null);
            }

            @Override
            public List<String> users() {
                return owner(email).map(List::of).orElse(List.of());
            }

            @Override
            public void assertChangeMatchesEvents(PublishedEvents events) {
                Optional<String> user = owner(email);
                assertEquals(user.isPresent() ? 1 : 0, user.map(id -> count(events, "user.registered", id)).orElse(0L).intValue(),
                        "one user.registered exactly when the account is stored");
            }
        };
    }

    private static Scenario refresh() {
        Account account = running.accounts().register(uniqueEmail("fault-refresh"));
        return new OneAccount(account) {
            @Override
            public Optional<Api.Response> act() {
                return Optional.of(running.api().post("/api/v1/auth/refresh", Map.of("refresh_token", account.refreshToken())));
            }

            /**
             * A lost answer to a stored rotation leaves the client with a retired token: sending it again is reuse,
             * which revokes the session (401): signing in again is the way back, and the old session's tokens are dead.
             */
            @Override
            public boolean retrySucceeded(Api.Response first, Api.Response retry) {
                return retry.status() == 200 || (retry.status() == 401 && running.accounts().login(account.email()) != null);
            }

            @Override
            public void assertChangeMatchesEvents(PublishedEvents events) {}
        };
    }

    private static Scenario resetRequest() {
        Account account = running.accounts().register(uniqueEmail("fault-reset-request"));
        return new OneAccount(account) {
            @Override
            public Optional<Api.Response> act() {
                return Optional.of(running.api().post("/api/v1/auth/password-reset/request", Map.of("email", account.email())));
            }

            @Override
            public void assertChangeMatchesEvents(PublishedEvents events) {
                long tokens = UserState.of(account.id()).owned("TOKEN#PASSWORD_RESET#").size();
                assertEquals(tokens, count(events, "user.password_reset_requested", account.id()),
                        "one reset mail event per stored reset token");
            }
        };
    }

    private static Scenario resetConfirm() {
        Account account = running.accounts().register(uniqueEmail("fault-reset-confirm"));
        assertEquals(202, running.api().post("/api/v1/auth/password-reset/request", Map.of("email", account.email())).status());
        return new OneAccount(account) {
            private String token;

            @Override
            public void ready() {
                token = (String) data(running.events().await("user.password_reset_requested", account.id())).get("token");
            }

            @Override
            public Optional<Api.Response> act() {
                return Optional.of(running.api().post("/api/v1/auth/password-reset/confirm",
                        Map.of("token", token, "new_password", NEW_PASSWORD)));
            }

            /** A lost answer to a stored reset: the token is used up (401), and the new password works. */
            @Override
            public boolean retrySucceeded(Api.Response first, Api.Response retry) {
                return retry.status() / 100 == 2 || (retry.status() == 401
                        && running.accounts().loginGrant(account.email(), NEW_PASSWORD) != null);
            }

            @Override
            public void assertChangeMatchesEvents(PublishedEvents events) {
                UserState state = UserState.of(account.id());
                boolean changed = state.profile().map(profile -> profile.containsKey("password_changed_at")).orElse(false);
                assertEquals(changed, state.owned("TOKEN#PASSWORD_RESET#").isEmpty(),
                        "the reset token is used up exactly when the password changed");
            }
        };
    }

    private static Scenario emailChange() {
        Account account = running.accounts().register(uniqueEmail("fault-email-before"));
        String newEmail = uniqueEmail("fault-email-after");
        return new OneAccount(account) {
            @Override
            public Optional<Api.Response> act() {
                return Optional.of(running.accounts().patch("/api/v1/users/me", account,
                        Map.of("email", newEmail, "current_password", PASSWORD)));
            }

            /** A lost answer to a stored change: sending it again changes nothing and succeeds. */
            @Override
            public void assertChangeMatchesEvents(PublishedEvents events) {
                boolean changed = UserState.of(account.id()).profile().map(profile -> newEmail.equals(profile.get("email").s())).orElse(false);
                boolean announced = events.receivedFor(account.id()).stream().anyMatch(event -> "user.updated".equals(event.get("type"))
                        && Json.write(event).contains(newEmail));
                assertEquals(changed, announced, "user.updated with the new email exactly when it is stored");
            }
        };
    }

    private static Scenario deviceMove() {
        Account alice = running.accounts().register(uniqueEmail("fault-move-from"));
        Account bob = running.accounts().register(uniqueEmail("fault-move-to"));
        String token = "fault-token-" + UUID.randomUUID();
        assertEquals(201, registerDevice(alice, token).status());
        return new Scenario() {
            @Override
            public Optional<Api.Response> act() {
                return Optional.of(registerDevice(bob, token));
            }

            @Override
            public List<String> users() {
                return List.of(alice.id(), bob.id());
            }

            @Override
            public void assertChangeMatchesEvents(PublishedEvents events) {
                boolean moved = UserState.of(bob.id()).activeDevices().stream().anyMatch(device -> token.equals(device.get("token").s()));
                // A repeated registration of an active device announces it again, so a retry may add one.
                assertEquals(moved, count(events, "device.registered", bob.id()) > 0, "device.registered exactly when the token moved");
                assertEquals(moved ? 1 : 0, count(events, "device.deactivated", alice.id()), "device.deactivated exactly when it left");
                assertEquals(moved ? 0 : 1, UserState.of(alice.id()).activeDevices().size(), "the token has one holder");
            }
        };
    }

    private static Scenario deletion(boolean eraserObserved) {
        Account account = running.accounts().register(uniqueEmail(eraserObserved ? "fault-erase" : "fault-delete"));
        assertEquals(201, registerDevice(account, "fault-token-" + UUID.randomUUID()).status());
        return new OneAccount(account) {
            @Override
            public Optional<Api.Response> act() {
                Api.Response deleted = running.api().send("DELETE", "/api/v1/users/me", Json.write(Map.of("password", PASSWORD)),
                        "Authorization", account.authorization(), "Content-Type", "application/json");
                if (eraserObserved) {
                    assertEquals(2, deleted.status() / 100, deleted.text());
                    return Optional.empty();
                }
                return Optional.of(deleted);
            }

            /**
             * A retry after the deletion was stored finds no account (404, or 401 once its sessions are revoked): the
             * account is gone, which is what was asked.
             */
            @Override
            public boolean retrySucceeded(Api.Response first, Api.Response retry) {
                return retry.status() / 100 == 2 || ((retry.status() == 401 || retry.status() == 404)
                        && UserState.of(account.id()).profile().isEmpty());
            }

            @Override
            public void assertChangeMatchesEvents(PublishedEvents events) {
                UserState state = UserState.of(account.id());
                assertEquals(state.profile().isEmpty() ? 1 : 0, count(events, "user.deleted", account.id()),
                        "user.deleted exactly when the account is gone");
                if (state.profile().isEmpty()) {
                    // The outbox items stay until their TTL, so that a failed publication can be replayed.
                    List<Map<String, AttributeValue>> left = state.items().stream()
                            .filter(item -> !item.get("pk").s().startsWith("OUTBOX#")).toList();
                    assertEquals(List.of(), left, "the eraser leaves nothing of a deleted account but its events");
                    assertTrue(state.owned("OUTBOX#").stream().anyMatch(item -> "user.deleted".equals(item.get("event_type").s())),
                            "the deletion's event is kept to be replayed");
                }
            }
        };
    }

    private static Scenario statusRecording(boolean queued) {
        Account account = running.accounts().register(uniqueEmail(queued ? "fault-status-queue" : "fault-status-route"));
        String token = "fault-token-" + UUID.randomUUID();
        assertEquals(201, registerDevice(account, token).status());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("notification_id", "fault-" + UUID.randomUUID());
        status.put("user_id", account.id());
        status.put("status", "failed");
        status.put("error", "unregistered");
        status.put("device_token", token);
        status.put("timestamp", Instant.now().toString());
        return new OneAccount(account) {
            private int deliveries;

            @Override
            public Optional<Boolean> redelivered() {
                return queued ? Optional.of(deliveries > 1) : Optional.empty();
            }

            @Override
            public Optional<Api.Response> act() {
                if (!queued) {
                    return Optional.of(running.api().post("/api/v1/push/status", status, "Authorization", Api.bearer(serviceToken())));
                }
                // The runner's queue trigger redelivers only after the visibility timeout: deliver as Lambda would, again until done.
                for (deliveries = 1; deliveries <= 3; deliveries++) {
                    Map<String, Object> answer = running.accounts().invoke("NotificationStatusFunction", sqsEvent(status));
                    if (!(answer.get("batchItemFailures") instanceof List<?> failures) || failures.isEmpty()) {
                        return Optional.empty();
                    }
                }
                throw new AssertionError("the status message still fails after three deliveries");
            }

            @Override
            public void assertChangeMatchesEvents(PublishedEvents events) {
                boolean deactivated = UserState.of(account.id()).activeDevices().isEmpty();
                assertEquals(deactivated ? 1 : 0, count(events, "device.deactivated", account.id()),
                        "device.deactivated exactly when the unregistered token's device was deactivated");
            }
        };
    }

    private static Scenario outboxPublishing() {
        Account account = running.accounts().register(uniqueEmail("fault-outbox"));
        running.service().awaitStreamsCaughtUp();
        return new OneAccount(account) {
            @Override
            public Optional<Api.Response> act() {
                assertEquals(202, running.api().post("/api/v1/auth/password-reset/request", Map.of("email", account.email())).status());
                return Optional.empty();
            }

            @Override
            public void assertChangeMatchesEvents(PublishedEvents events) {
                assertEquals(1, count(events, "user.password_reset_requested", account.id()), "published once, despite the fault");
            }
        };
    }

    /**
     * A device deactivated in the table with the user's views cached, as by a function that died after its commit:
     * the counters' transaction fails, and the record comes again until the views are forgotten too.
     */
    private static Scenario tableChanges() {
        Account account = running.accounts().register(uniqueEmail("fault-changes"));
        String device = (String) registerDevice(account, "fault-token-" + UUID.randomUUID()).data().get("id");
        running.service().awaitStreamsCaughtUp();
        assertEquals(200, running.api().get("/api/v1/users/me/devices", "Authorization", account.authorization()).status());
        return new OneAccount(account) {
            @Override
            public Optional<Api.Response> act() {
                running.dynamo().updateItem(request -> request.tableName(running.table())
                        .key(Map.of("pk", AttributeValue.fromS("USER#" + account.id()), "sk", AttributeValue.fromS("DEVICE#" + device)))
                        .updateExpression("SET active = :off").expressionAttributeValues(Map.of(":off", AttributeValue.fromBool(false))));
                return Optional.empty();
            }

            @Override
            public void assertChangeMatchesEvents(PublishedEvents events) {
                try (Jedis redis = running.redis()) {
                    assertEquals(0L, redis.exists(CacheKeys.ofUser(account.id())), "the user's views were forgotten");
                }
            }
        };
    }

    // ---- the invariants

    /**
     * Nothing half done for the scenario's accounts: each email claim belongs to its account's current email and
     * each account's email is claimed; each push-token claim names a device of the account with that token and each
     * active device is its token's holder; each session has its account and each refresh token its session.
     */
    private static void assertConsistent(Scenario scenario, boolean streamsCaughtUp) {
        for (String userId : scenario.users()) {
            UserState state = UserState.of(userId);
            if (state.profile().isEmpty() && !streamsCaughtUp) {
                // A deleted account's items go with the queued eraser: checked at the end, once it caught up.
                continue;
            }
            Set<String> claimed = state.owned("EMAIL#").stream().map(item -> item.get("pk").s().substring("EMAIL#".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(state.profile().map(profile -> Set.of(profile.get("email").s())).orElse(Set.of()), claimed,
                    "the email claims of " + userId + " are exactly its account's email");
            Set<String> heldHashes = new TreeSet<>();
            for (Map<String, AttributeValue> claim : state.owned("PUSH_TOKEN#")) {
                Optional<Map<String, AttributeValue>> device = state.device(claim.get("device_id").s());
                // An inactive device keeps its token's claim until it is deleted or the token moves.
                assertTrue(device.isPresent() && claim.get("pk").s().equals("PUSH_TOKEN#" + sha256(device.get().get("token").s())),
                        "the push-token claim " + claim.get("pk").s() + " of " + userId + " names a device of that token");
                heldHashes.add(claim.get("pk").s());
            }
            for (Map<String, AttributeValue> device : state.activeDevices()) {
                assertTrue(heldHashes.contains("PUSH_TOKEN#" + sha256(device.get("token").s())),
                        "the active device " + device.get("device_id").s() + " of " + userId + " holds its token's claim");
            }
            if (state.profile().isEmpty()) {
                assertEquals(List.of(), state.partition(), "no items left in the partition of a missing account " + userId);
            }
            Set<String> sessions = state.partition().stream().map(item -> item.get("sk").s()).filter(sk -> sk.startsWith("SESSION#"))
                    .map(sk -> sk.substring("SESSION#".length())).collect(Collectors.toSet());
            for (Map<String, AttributeValue> refresh : state.owned("REFRESH#")) {
                assertTrue(sessions.contains(refresh.get("session_id").s()), "refresh token of a missing session of " + userId);
            }
        }
    }

    /** Every change's outbox item was published, and nothing was published without one (deleted accounts: see their flow). */
    private static void assertEventsMatchOutbox(Scenario scenario) {
        for (String userId : scenario.users()) {
            UserState state = UserState.of(userId);
            if (state.profile().isEmpty()) {
                continue;
            }
            Set<String> stored = state.owned("OUTBOX#").stream().map(item -> item.get("sk").s().substring("EVENT#".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
            List<String> publishedIds = running.events().receivedFor(userId).stream().map(event -> (String) event.get("event_id")).toList();
            assertEquals(stored, new TreeSet<>(publishedIds), "the events published for " + userId + " are its outbox items");
            assertEquals(publishedIds.size(), new TreeSet<>(publishedIds).size(), "no event published twice for " + userId);
        }
    }

    /** A user's items as stored: its partition and what it owns elsewhere (queries, as the eraser finds them). */
    private record UserState(List<Map<String, AttributeValue>> partition, List<Map<String, AttributeValue>> elsewhere) {
        static UserState of(String userId) {
            var dynamo = running.dynamo();
            List<Map<String, AttributeValue>> partition = dynamo.queryPaginator(request -> request.tableName(running.table())
                    .consistentRead(true).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("USER#" + userId)))).items().stream().toList();
            List<Map<String, AttributeValue>> keys = dynamo.queryPaginator(request -> request.tableName(running.table())
                    .indexName("gsi2").keyConditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", "owner"))
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS("USER#" + userId)))).items().stream()
                    .filter(key -> !key.get("pk").s().startsWith("USER#"))
                    .map(key -> Map.of("pk", key.get("pk"), "sk", key.get("sk"))).toList();
            // The owner index holds keys only: the items themselves, in batches of BatchGetItem's 100 (DynamoDB Local
            // answers them all).
            List<Map<String, AttributeValue>> owned = new ArrayList<>();
            for (int from = 0; from < keys.size(); from += 100) {
                List<Map<String, AttributeValue>> batch = keys.subList(from, Math.min(from + 100, keys.size()));
                owned.addAll(dynamo.batchGetItem(request -> request.requestItems(Map.of(running.table(),
                        software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(batch).consistentRead(true).build())))
                        .responses().getOrDefault(running.table(), List.of()));
            }
            return new UserState(partition, owned);
        }

        List<Map<String, AttributeValue>> items() {
            List<Map<String, AttributeValue>> all = new ArrayList<>(partition);
            all.addAll(elsewhere);
            return all;
        }

        Optional<Map<String, AttributeValue>> profile() {
            return partition.stream().filter(item -> item.get("sk").s().equals("PROFILE")).findFirst();
        }

        Optional<Map<String, AttributeValue>> device(String deviceId) {
            return partition.stream().filter(item -> item.get("sk").s().equals("DEVICE#" + deviceId)).findFirst();
        }

        List<Map<String, AttributeValue>> activeDevices() {
            return partition.stream().filter(item -> item.get("sk").s().startsWith("DEVICE#") && item.get("active").bool()).toList();
        }

        List<Map<String, AttributeValue>> owned(String pkPrefix) {
            return elsewhere.stream().filter(item -> item.get("pk").s().startsWith(pkPrefix)).toList();
        }
    }

    // ---- helpers

    private static Api.Response registerDevice(Account account, String token) {
        return running.api().post("/api/v1/users/me/devices", Map.of("token", token, "platform", "ios"),
                "Authorization", account.authorization());
    }

    private static String serviceToken;

    private static synchronized String serviceToken() {
        if (serviceToken == null) {
            serviceToken = running.serviceToken();
        }
        return serviceToken;
    }

    private static byte[] sqsEvent(Map<String, Object> status) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("messageId", UUID.randomUUID().toString());
        record.put("receiptHandle", "fault-injection");
        record.put("body", Json.write(Map.of("channel", "push", "notification_id", status.get("notification_id"),
                "user_id", status.get("user_id"), "status", status.get("status"), "error", status.get("error"),
                "device_token", status.get("device_token"), "timestamp", status.get("timestamp"))));
        record.put("attributes", Map.of("ApproximateReceiveCount", "1"));
        record.put("messageAttributes", Map.of());
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:NotificationStatusQueue");
        return Json.writeBytes(Map.of("Records", List.of(record)));
    }

    private static long count(PublishedEvents events, String type, String userId) {
        return events.receivedFor(userId).stream().filter(event -> type.equals(event.get("type"))).count();
    }

    private static Optional<String> owner(String email) {
        Map<String, AttributeValue> claim = running.accounts().item("EMAIL#" + email, "EMAIL");
        return claim == null || claim.isEmpty() ? Optional.empty() : Optional.of(claim.get("user_id").s());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> event) {
        return (Map<String, Object>) event.get("data");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
