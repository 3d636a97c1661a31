package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.userservice.aws.AwsClients;
import dev.userservice.config.ServiceConfig;
import dev.userservice.json.Json;
import dev.userservice.local.LocalOptions;
import dev.userservice.local.e2e.Accounts.Account;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Delivery statuses through both doors, the queue ({@code NotificationStatusFunction}, triggered by the runner as
 * Lambda's event source mapping would) and {@code POST /api/v1/{channel}/status}, and the history they make. The
 * service redelivers failed messages at once, so a bad message reaches the dead-letter queue within the test.
 */
class NotificationStatusEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final RunningService running = RunningService.start(LocalOptions.inMemory().withEnvironment(TestEnvironment.FAST).withQueueRetryDelay(Duration.ZERO));
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final String serviceToken = running.serviceToken();
    private static SqsClient sqs;
    private static String queueUrl;

    @BeforeAll
    static void start() {
        Map<String, String> environment = running.service().functionEnvironment("NotificationStatusFunction");
        sqs = AwsClients.sqs(ServiceConfig.from(environment));
        queueUrl = environment.get("NOTIFICATION_STATUS_QUEUE_URL");
    }

    @AfterAll
    static void stop() {
        if (sqs != null) {
            sqs.close();
        }
    }

    @Test
    void queuedStatusesAppearInTheHistoryNewestFirst() {
        Account alice = accounts.register(uniqueEmail("alice"));
        Instant sent = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        String n = uniquePrefix();
        Map<String, Object> delivered = queued("email", status(n + "1", alice.id(), "delivered", sent));
        Map<String, Object> pushed = queued("push", status(n + "2", alice.id(), "sent", sent.plusSeconds(5)));

        enqueue(delivered, pushed);

        List<Map<String, Object>> history = awaitHistory(alice, "", 2);
        assertEquals(List.of(n + "2", n + "1"), history.stream().map(record -> record.get("notification_id")).toList());
        Map<String, Object> newest = history.getFirst();
        assertEquals(List.of("id", "notification_id", "user_id", "channel", "status", "error", "device_token", "timestamp",
                "recorded_at"), List.copyOf(newest.keySet()));
        assertEquals(alice.id(), newest.get("user_id"));
        assertEquals("push", newest.get("channel"));
        assertEquals("sent", newest.get("status"));
        assertEquals(sent.plusSeconds(5).toString(), newest.get("timestamp"));
        assertNotNull(newest.get("recorded_at"));
    }

    @Test
    void aBatchOfTenWithTwoBadMessagesKeepsEightAndDeadLettersTheTwo() {
        Account bob = accounts.register(uniqueEmail("bob"));
        String batch = UUID.randomUUID().toString();
        List<Map<String, Object>> bodies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Map<String, Object> body = queued("email", status(batch + "-" + i, bob.id(), "sent", Instant.now()));
            if (i == 3) {
                body.put("priority", "high");
            }
            if (i == 7) {
                body.put("status", "lost");
            }
            bodies.add(body);
        }

        sqs.sendMessageBatch(request -> request.queueUrl(queueUrl).entries(bodies.stream()
                .map(body -> SendMessageBatchRequestEntry.builder().id("m" + bodies.indexOf(body)).messageBody(Json.write(body)).build())
                .toList()));

        assertEquals(8, awaitHistory(bob, "", 8).size());
        String deadLetters = sqs.getQueueUrl(request -> request.queueName("NotificationStatusDeadLetterQueue")).queueUrl();
        List<Message> redriven = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (redriven.size() < 2 && System.nanoTime() < deadline) {
            sqs.receiveMessage(request -> request.queueUrl(deadLetters).maxNumberOfMessages(10).waitTimeSeconds(1)
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages().stream().filter(message -> message.body().contains(batch)).forEach(redriven::add);
        }
        assertEquals(List.of(batch + "-3", batch + "-7"), redriven.stream()
                .map(message -> (String) Json.parseObject(message.body()).get("notification_id")).sorted().toList());
        for (Message message : redriven) {
            String receives = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
            assertTrue(receives == null || Integer.parseInt(receives) >= 5, "received five times first: " + receives);
        }
        assertEquals(8, history(bob, "").size(), "the bad messages stored nothing");
    }

    @Test
    void theSameMessageDeliveredTwiceRecordsOnce() {
        Account carol = accounts.register(uniqueEmail("carol"));
        Map<String, Object> opened = queued("push", status(uniquePrefix() + "twice", carol.id(), "opened", Instant.now()));

        enqueue(opened);
        enqueue(opened);
        awaitQueueDrained();

        assertEquals(1, awaitHistory(carol, "", 1).size());
    }

    @Test
    void theSameStatusOverHttpAndOverTheQueueRecordsOnce() {
        Account dave = accounts.register(uniqueEmail("dave"));
        Map<String, Object> delivered = status(uniquePrefix() + "both", dave.id(), "delivered", Instant.now());

        Api.Response first = postStatus("email", delivered);
        assertEquals(201, first.status(), first.text());
        String id = (String) first.data().get("id");
        enqueue(queued("email", delivered));
        awaitQueueDrained();
        Api.Response again = postStatus("email", delivered);

        assertEquals(200, again.status(), again.text());
        assertEquals(id, again.data().get("id"), "the repeat answers the first record");
        List<Map<String, Object>> history = history(dave, "");
        assertEquals(1, history.size());
        assertEquals(id, history.getFirst().get("id"));
        Api.Response otherStatus = postStatus("email", with(delivered, "status", "opened"));
        assertEquals(201, otherStatus.status(), "another status of the same notification is its own record");
    }

    @Test
    void aPushUnregisteredDeactivatesTheDeviceAndPublishesWhy() {
        Account erin = accounts.register(uniqueEmail("erin"));
        String token = "fcm-" + UUID.randomUUID();
        Api.Response registered = api.post("/api/v1/users/me/devices", Map.of("token", token, "platform", "android"),
                "Authorization", erin.authorization());
        assertEquals(201, registered.status(), registered.text());
        assertEquals(1, pushTokens(erin).size());
        assertEquals(Map.of(registered.data().get("id"), true), accounts.devicesActiveById(erin), "listed, and the list cached");
        Map<String, Object> failed = queued("push", status(uniquePrefix() + "dead", erin.id(), "failed", Instant.now()));
        failed.put("error", "unregistered");
        failed.put("device_token", token);

        enqueue(failed);

        Map<String, Object> deactivated = running.events().await("device.deactivated", erin.id());
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) deactivated.get("data");
        assertEquals("unregistered", data.get("reason"));
        assertEquals(registered.data().get("id"), data.get("device_id"));
        Map<String, Object> push = channel(profile(erin), "push");
        assertEquals(List.of(), push.get("tokens"));
        assertEquals("no_active_devices", push.get("reason"));
        Api.Response device = api.get("/api/v1/users/me/devices/" + registered.data().get("id"), "Authorization", erin.authorization());
        assertEquals(false, device.data().get("active"));
        assertEquals(Map.of(registered.data().get("id"), false), accounts.devicesActiveById(erin), "the status forgot the cached list");

        // The provider's refusal holds until the app registers the token again: no PATCH switches it back on.
        assertError(api.send("PATCH", "/api/v1/users/me/devices/" + registered.data().get("id"), "{\"active\":true}",
                "Authorization", erin.authorization(), "Content-Type", "application/json"), 400, "validation_failed");
        assertEquals(List.of(), channel(profile(erin), "push").get("tokens"));
        Api.Response again = api.post("/api/v1/users/me/devices", Map.of("token", token, "platform", "android"),
                "Authorization", erin.authorization());
        assertEquals(200, again.status(), again.text());
        assertEquals(true, again.data().get("active"), "registering it again does");
    }

    /** A bounce dated before the account existed was of mail to someone else: recorded, and the address still mailed. */
    @Test
    void aBounceDatedBeforeTheAccountExistedMarksNothing() {
        Account grace = accounts.register(uniqueEmail("grace"));

        Api.Response bounced = postStatus("email", with(status(uniquePrefix() + "old-bounce", grace.id(), "bounced",
                Instant.parse("2000-01-01T00:00:00Z")), "error", "mailbox_unknown"));

        assertEquals(201, bounced.status(), bounced.text());
        assertEquals(true, channel(profile(grace), "email").get("allowed_now"));
    }

    @Test
    void anEmailBounceShowsInTheProfileUntilTheEmailChanges() {
        Account frank = accounts.register(uniqueEmail("frank"));
        assertEquals(true, channel(profile(frank), "email").get("allowed_now"));

        Api.Response bounced = postStatus("email", with(status(uniquePrefix() + "bounce", frank.id(), "bounced", Instant.now()),
                "error", "mailbox_full"));

        assertEquals(201, bounced.status(), bounced.text());
        Map<String, Object> email = channel(profile(frank), "email");
        assertEquals(false, email.get("allowed_now"));
        assertEquals("email_bounced", email.get("reason"));

        Api.Response changed = accounts.patch("/api/v1/users/me", frank,
                Map.of("email", uniqueEmail("frank-new"), "current_password", Accounts.PASSWORD));
        assertEquals(200, changed.status(), changed.text());
        email = channel(profile(frank), "email");
        assertEquals(true, email.get("allowed_now"), email.toString());
        assertFalse(email.containsKey("reason") && "email_bounced".equals(email.get("reason")));
    }

    /** The status queue ran late: a bounce of mail to the old address arrives after the owner changed it. */
    @Test
    void aBounceThatHappenedBeforeTheEmailChangedIsRecordedAndLeavesTheNewAddressMailable() {
        Account hana = accounts.register(uniqueEmail("hana"));
        Instant beforeTheChange = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        Api.Response changed = accounts.patch("/api/v1/users/me", hana,
                Map.of("email", uniqueEmail("hana-new"), "current_password", Accounts.PASSWORD));
        assertEquals(200, changed.status(), changed.text());

        Api.Response late = postStatus("email", status(uniquePrefix() + "late", hana.id(), "bounced", beforeTheChange));

        assertEquals(201, late.status(), late.text());
        assertEquals(true, channel(profile(hana), "email").get("allowed_now"), "the new address was never bounced");
        assertEquals(List.of("bounced"), records(api.get("/api/v1/users/" + hana.id() + "/notifications",
                "Authorization", hana.authorization())).stream().map(record -> record.get("status")).toList(), "recorded all the same");

        Api.Response current = postStatus("email", status(uniquePrefix() + "now", hana.id(), "bounced", Instant.now()));
        assertEquals(201, current.status(), current.text());
        assertEquals("email_bounced", channel(profile(hana), "email").get("reason"), "a bounce of the new address counts");
    }

    /**
     * A bounce with no time of its own waited in the queue (sent there before the owner changed the address, received
     * after, as a redrive from the dead-letter queue would be): it happened no later than it was sent, so the new
     * address stays mailable. Delivered as Lambda delivers it, with the message's SentTimestamp.
     */
    @Test
    void aQueuedBounceWithoutATimeIsDatedWhenItWasSentNotWhenItIsReceived() {
        Account ivy = accounts.register(uniqueEmail("ivy"));
        long sentBeforeTheChange = Instant.now().minusSeconds(60).toEpochMilli();
        Api.Response changed = accounts.patch("/api/v1/users/me", ivy,
                Map.of("email", uniqueEmail("ivy-new"), "current_password", Accounts.PASSWORD));
        assertEquals(200, changed.status(), changed.text());
        Map<String, Object> bounce = queued("email", status(uniquePrefix() + "redriven", ivy.id(), "bounced", Instant.now()));
        bounce.remove("timestamp");
        Map<String, Object> event = Map.of("Records", List.of(Map.of("messageId", UUID.randomUUID().toString(),
                "body", Json.write(bounce), "attributes", Map.of("SentTimestamp", Long.toString(sentBeforeTheChange)),
                "eventSource", "aws:sqs")));

        Map<String, Object> answer = Json.parseObject(new String(running.service().invoke("NotificationStatusFunction",
                Json.writeBytes(event)), java.nio.charset.StandardCharsets.UTF_8));

        assertEquals(List.of(), answer.get("batchItemFailures"), answer.toString());
        assertEquals(true, channel(profile(ivy), "email").get("allowed_now"), "the new address was never bounced");
    }

    @Test
    void theHistoryPagesAcrossACursorAndRefusesATamperedOne() {
        Account gina = accounts.register(uniqueEmail("gina"));
        Instant start = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String n = uniquePrefix();
        for (int i = 0; i < 25; i++) {
            Api.Response posted = postStatus("push", status(n + i, gina.id(), "sent", start.plusSeconds(i)));
            assertEquals(201, posted.status(), posted.text());
        }

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        String firstCursor = null;
        do {
            Api.Response page = api.get("/api/v1/users/" + gina.id() + "/notifications?limit=10"
                    + (cursor == null ? "" : "&cursor=" + cursor), "Authorization", gina.authorization());
            assertEquals(200, page.status(), page.text());
            List<Map<String, Object>> records = records(page);
            pageSizes.add(records.size());
            records.forEach(record -> seen.add((String) record.get("notification_id")));
            Map<String, Object> meta = meta(page);
            assertEquals(10L, ((Number) meta.get("limit")).longValue());
            assertEquals(meta.get("next_cursor") != null, meta.get("has_next"));
            cursor = (String) meta.get("next_cursor");
            firstCursor = firstCursor == null ? cursor : firstCursor;
        } while (cursor != null);

        assertEquals(List.of(10, 10, 5), pageSizes);
        List<String> newestFirst = new ArrayList<>();
        for (int i = 24; i >= 0; i--) {
            newestFirst.add(n + i);
        }
        assertEquals(newestFirst, seen);
        String tampered = firstCursor.substring(0, 5) + (firstCursor.charAt(5) == 'A' ? 'B' : 'A') + firstCursor.substring(6);
        Api.Response refused = api.get("/api/v1/users/" + gina.id() + "/notifications?cursor=" + tampered,
                "Authorization", gina.authorization());
        assertError(refused, 400, "validation_failed");
        assertEquals(List.of("cursor"), detailFields(refused));
        Account other = accounts.register(uniqueEmail("other"));
        Api.Response foreign = api.get("/api/v1/users/" + other.id() + "/notifications?limit=10&cursor=" + firstCursor,
                "Authorization", other.authorization());
        assertError(foreign, 400, "validation_failed");
    }

    @Test
    void theChannelFilterKeepsPagingPastOtherChannels() {
        Account hana = accounts.register(uniqueEmail("hana"));
        Instant start = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String n = uniquePrefix();
        for (int i = 0; i < 12; i++) {
            String channel = i % 4 == 0 ? "email" : "push";
            assertEquals(201, postStatus(channel, status(n + i, hana.id(), "sent", start.plusSeconds(i))).status());
        }

        List<Map<String, Object>> firstPage = records(api.get("/api/v1/users/" + hana.id() + "/notifications?channel=email&limit=2",
                "Authorization", hana.authorization()));
        Api.Response page = api.get("/api/v1/users/" + hana.id() + "/notifications?channel=email&limit=2",
                "Authorization", hana.authorization());
        String next = (String) meta(page).get("next_cursor");
        List<Map<String, Object>> secondPage = records(api.get("/api/v1/users/" + hana.id()
                + "/notifications?channel=email&limit=2&cursor=" + next, "Authorization", hana.authorization()));

        assertEquals(List.of(n + 8, n + 4), firstPage.stream().map(record -> record.get("notification_id")).toList());
        assertEquals(List.of(n + 0), secondPage.stream().map(record -> record.get("notification_id")).toList());
        assertEquals(9, history(hana, "?channel=push&limit=100").size());
        Api.Response otherFilter = api.get("/api/v1/users/" + hana.id() + "/notifications?channel=push&limit=2&cursor=" + next,
                "Authorization", hana.authorization());
        assertError(otherFilter, 400, "validation_failed");
        assertError(api.get("/api/v1/users/" + hana.id() + "/notifications?channel=sms", "Authorization", hana.authorization()),
                400, "validation_failed");
    }

    @Test
    void theStatusFilterListsOneStatusAndBindsItsCursor() {
        Account lena = accounts.register(uniqueEmail("lena"));
        Instant start = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String n = uniquePrefix();
        for (int i = 0; i < 6; i++) {
            assertEquals(201, postStatus("push", status(n + i, lena.id(), i % 2 == 0 ? "delivered" : "sent", start.plusSeconds(i))).status());
        }

        Api.Response page = api.get("/api/v1/users/" + lena.id() + "/notifications?status=delivered&limit=2",
                "Authorization", lena.authorization());
        assertEquals(List.of(n + 4, n + 2), records(page).stream().map(record -> record.get("notification_id")).toList());
        String next = (String) meta(page).get("next_cursor");
        assertEquals(List.of(n + 0), records(api.get("/api/v1/users/" + lena.id() + "/notifications?status=delivered&limit=2&cursor="
                + next, "Authorization", lena.authorization())).stream().map(record -> record.get("notification_id")).toList());
        assertEquals(3, history(lena, "?channel=push&status=sent").size());
        assertEquals(records(api.get("/api/v1/users/" + lena.id() + "/notifications", "Authorization", lena.authorization())),
                records(api.get("/api/v1/users/me/notifications", "Authorization", lena.authorization())), "the /me form is hers");
        assertError(api.get("/api/v1/users/" + lena.id() + "/notifications?status=sent&limit=2&cursor=" + next,
                "Authorization", lena.authorization()), 400, "validation_failed");
        assertError(api.get("/api/v1/users/" + lena.id() + "/notifications?status=lost", "Authorization", lena.authorization()),
                400, "validation_failed");
    }

    @Test
    void anotherUsersHistoryIsForbiddenAndAnUnknownUserIsNotFound() {
        Account ivan = accounts.register(uniqueEmail("ivan"));
        Account judy = accounts.register(uniqueEmail("judy"));

        assertError(api.get("/api/v1/users/" + ivan.id() + "/notifications", "Authorization", judy.authorization()), 403, "forbidden");
        assertError(api.get("/api/v1/users/" + UUID.randomUUID() + "/notifications", "Authorization", bearer(serviceToken)),
                404, "not_found");
        assertEquals(200, api.get("/api/v1/users/" + ivan.id() + "/notifications", "Authorization", bearer(serviceToken)).status());
        assertError(api.get("/api/v1/users/me/notifications", "Authorization", bearer(serviceToken)), 403, "forbidden");
    }

    @Test
    void badStatusesAreRefusedAndStoreNothing() {
        Account kim = accounts.register(uniqueEmail("kim"));
        Map<String, Object> good = status(uniquePrefix() + "bad", kim.id(), "sent", Instant.now());

        Api.Response unknownField = postStatus("push", with(good, "channel", "push"));
        Api.Response badValues = postStatus("push", Map.of("notification_id", "", "user_id", "nope", "status", "lost",
                "timestamp", "yesterday"));
        Api.Response emailWithToken = postStatus("email", with(good, "device_token", "fcm-1"));
        Api.Response unknownChannel = postStatus("sms", good);
        Api.Response unknownUser = postStatus("push", with(good, "user_id", UUID.randomUUID().toString()));

        assertError(unknownField, 400, "validation_failed");
        assertEquals(List.of("channel"), detailFields(unknownField));
        assertError(badValues, 400, "validation_failed");
        assertEquals(List.of("notification_id", "status", "timestamp", "user_id"), detailFields(badValues).stream().sorted().toList());
        assertError(emailWithToken, 400, "validation_failed");
        assertError(unknownChannel, 404, "not_found");
        assertError(unknownUser, 404, "not_found");
        assertEquals(List.of(), history(kim, ""));
        assertEquals(201, postStatus("push", good).status(), "the refusals did not record it");
    }

    /**
     * What a Python pipeline sends from its mail server: the SMTP reply as it came, over several lines and past 200
     * characters, and a naive UTC time. Through the queue, a refusal would be a dead letter for the error's text alone.
     */
    @Test
    void aProvidersLongReplyAndANaiveUtcTimeAreRecorded() {
        Account nina = accounts.register(uniqueEmail("nina"));
        Map<String, Object> bounced = status(uniquePrefix() + "smtp", nina.id(), "bounced", Instant.now());
        String naive = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", "");
        bounced.put("timestamp", naive.replace('T', ' '));
        bounced.put("error", "550-5.1.1 The email account that you tried to reach does not exist.\r\n".repeat(5));
        enqueue(queued("email", bounced));
        awaitQueueDrained();

        Map<String, Object> recorded = awaitHistory(nina, "", 1).getFirst();
        String error = (String) recorded.get("error");
        assertEquals(200, error.codePointCount(0, error.length()));
        assertFalse(error.contains("\n"), error);
        assertEquals(naive + "Z", Instant.parse((String) recorded.get("timestamp")).toString());
    }

    /**
     * An earlier service's client reports without {@code user_id}; the account was deleted meanwhile. The status is of a
     * user who no longer exists (404 here, dropped from the queue), not one whose user no status names (400 here,
     * retried from the queue until it is a dead letter).
     */
    @Test
    void aStatusThatNamesNoUserAfterItsAccountWasDeletedIsOfAnUnknownUser() {
        Account mia = accounts.register(uniqueEmail("mia"));
        Map<String, Object> sent = status(uniquePrefix() + "deleted", mia.id(), "sent", Instant.now());
        assertEquals(201, postStatus("email", sent).status());
        Api.Response deleted = api.send("DELETE", "/api/v1/users/me", Json.write(Map.of("password", Accounts.PASSWORD)),
                "Authorization", mia.authorization(), "Content-Type", "application/json");
        assertEquals(200, deleted.status(), deleted.text());

        Map<String, Object> delivered = new LinkedHashMap<>(with(sent, "status", "delivered"));
        delivered.remove("user_id");

        assertError(postStatus("email", delivered), 404, "not_found");
    }

    /**
     * A user token is authenticated (its session checked, a BatchGetItem) before the route's service-only rule
     * refuses it: RecordStatusFunction needs {@code dynamodb:BatchGetItem} in template.yaml, as the other
     * service-only functions have, or this answers 500.
     */
    @Test
    void aUserCannotPostAStatus() {
        Account lee = accounts.register(uniqueEmail("lee"));

        Api.Response asUser = api.post("/api/v1/push/status", status(uniquePrefix() + "user", lee.id(), "sent", Instant.now()),
                "Authorization", lee.authorization());

        assertError(asUser, 403, "forbidden");
    }

    // --- helpers ---

    /** Notification ids are unique across the service, as the pipeline's are: each test makes its own. */
    private static String uniquePrefix() {
        return UUID.randomUUID() + "-";
    }

    /** A status as {@code POST /api/v1/{channel}/status} takes it: the channel is the path's. */
    private static Map<String, Object> status(String notificationId, String userId, String status, Instant at) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("notification_id", notificationId);
        body.put("user_id", userId);
        body.put("status", status);
        body.put("timestamp", at.toString());
        return body;
    }

    /** The queue's message body: the status plus its channel. */
    private static Map<String, Object> queued(String channel, Map<String, Object> status) {
        return with(status, "channel", channel);
    }

    private static Map<String, Object> with(Map<String, Object> body, String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put(name, value);
        return copy;
    }

    private static Api.Response postStatus(String channel, Map<String, Object> status) {
        return api.post("/api/v1/" + channel + "/status", status, "Authorization", bearer(serviceToken));
    }

    @SafeVarargs
    private static void enqueue(Map<String, Object>... bodies) {
        for (Map<String, Object> body : bodies) {
            sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody(Json.write(body)));
        }
    }

    /** Waits until the queue holds nothing, visible or in flight: every message sent so far has been handled. */
    private static void awaitQueueDrained() {
        awaitTrue(() -> {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            return attributes.values().stream().allMatch("0"::equals);
        }, "the notification-status queue to drain");
    }

    private static List<Map<String, Object>> awaitHistory(Account account, String query, int size) {
        awaitTrue(() -> history(account, query).size() >= size, size + " records in the history of " + account.id());
        return history(account, query);
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + WAIT + " for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    private static List<Map<String, Object>> history(Account account, String query) {
        Api.Response page = api.get("/api/v1/users/" + account.id() + "/notifications" + (query.isEmpty() ? "?limit=100" : query),
                "Authorization", account.authorization());
        assertEquals(200, page.status(), page.text());
        return records(page);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> records(Api.Response page) {
        return (List<Map<String, Object>>) page.body().get("data");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> meta(Api.Response page) {
        return (Map<String, Object>) page.body().get("meta");
    }

    private static List<?> pushTokens(Account account) {
        return (List<?>) channel(profile(account), "push").get("tokens");
    }

    private static Map<String, Object> profile(Account account) {
        Api.Response answer = api.get("/api/v1/internal/users/" + account.id() + "/notification-profile",
                "Authorization", bearer(serviceToken));
        assertEquals(200, answer.status(), answer.text());
        return answer.data();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> channel(Map<String, Object> profile, String name) {
        return (Map<String, Object>) ((Map<String, Object>) profile.get("channels")).get(name);
    }
}
