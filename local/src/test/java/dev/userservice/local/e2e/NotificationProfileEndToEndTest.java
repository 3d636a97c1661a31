package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.Services;
import dev.userservice.cache.CacheKeys;
import dev.userservice.json.Json;
import dev.userservice.local.RedisSleep;
import dev.userservice.local.e2e.Accounts.Account;
import dev.userservice.metrics.Metrics;
import dev.userservice.profiles.NotificationProfiles;
import dev.userservice.profiles.ProfileRequest;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The notification profile routes over HTTP: the rules of each channel, quiet hours set around the current time in
 * the user's zone, the batch, and the cache of the profile's inputs observed in Redis, also while Redis is slow or
 * stopped. The degraded-cache tests run last: they leave the functions' circuit breakers open for a while.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotificationProfileEndToEndTest {
    private static final String PREFERENCES = "/api/v1/users/me/preferences";
    private static final String BATCH = "/api/v1/internal/notification-profiles/batch";
    /** A zone without daylight saving, so times set around "now" mean the same an hour later. */
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    /** What "within a few hundred milliseconds" means for a request while the cache is slow or gone. */
    private static final long DEGRADED_BUDGET_MILLIS = 500;

    /**
     * A service of its own: a test here stops or stalls Redis, which on the shared one would open the cache breakers
     * of other classes' functions for 15 s and change what their tests see.
     */
    @RegisterExtension
    static final RunningService running = RunningService.start();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final String serviceToken = running.serviceToken();

    @Test
    void theProfileHasTheContractsShape() {
        Account alice = register(TOKYO);
        registerDevice(alice, "alice-phone", "ios");

        Api.Response answer = profile(alice.id(), "");

        assertEquals(200, answer.status(), answer.text());
        Map<String, Object> profile = answer.data();
        assertEquals(List.of("user_id", "email", "email_verified", "name", "locale", "timezone", "quiet_hours_active",
                "quiet_hours_end_at", "channels", "custom"), List.copyOf(profile.keySet()));
        assertEquals(alice.id(), profile.get("user_id"));
        assertEquals(alice.email(), profile.get("email"));
        assertEquals(false, profile.get("email_verified"));
        assertEquals("Asia/Tokyo", profile.get("timezone"));
        assertEquals(false, profile.get("quiet_hours_active"));
        assertNull(profile.get("quiet_hours_end_at"));
        assertEquals(Map.of("enabled", true, "allowed_now", true), channel(profile, "email"));
        assertEquals(Map.of("enabled", true, "allowed_now", true,
                "tokens", List.of(Map.of("token", "alice-phone", "platform", "ios"))), channel(profile, "push"));
    }

    @Test
    void quietHoursAroundTheCurrentTimeInTheUsersZone() {
        Account bob = register(TOKYO);
        registerDevice(bob, "bob-phone", "android");
        LocalTime now = LocalTime.now(TOKYO).truncatedTo(ChronoUnit.MINUTES);

        // start, end, priority: whether quiet hours hold now, and what each channel then answers
        record Row(LocalTime start, LocalTime end, String query, boolean quiet, boolean allowed) {}
        List<Row> table = List.of(
                new Row(now.minusHours(1), now.plusHours(1), "", true, false),
                new Row(now.minusHours(1), now.plusHours(1), "?priority=critical", true, true),
                new Row(now.plusHours(1), now.plusHours(2), "", false, true),
                new Row(now.minusHours(2), now.minusHours(1), "", false, true),
                new Row(now.minusHours(1), now.minusHours(1), "", false, true));
        for (Row row : table) {
            putPreferences(bob, Map.of("quiet_hours_start", row.start().toString(), "quiet_hours_end", row.end().toString()));

            Map<String, Object> profile = okProfile(bob.id(), row.query());

            String what = row + " at " + now;
            assertEquals(row.quiet(), profile.get("quiet_hours_active"), what);
            assertEquals(row.quiet() ? nextOccurrence(row.end(), TOKYO) : null, profile.get("quiet_hours_end_at"), what);
            for (String channel : List.of("email", "push")) {
                assertEquals(row.allowed(), channel(profile, channel).get("allowed_now"), what + " " + channel);
                assertEquals(row.allowed() ? null : "quiet_hours", channel(profile, channel).get("reason"), what + " " + channel);
            }
        }
    }

    @Test
    void quietHoursSpanningMidnight() {
        // A fixed-offset zone where it is 23:xx now: 22:00-02:00 holds now and ends at 02:00 tomorrow, local time.
        ZoneId lateEvening = zoneWhereTheHourIs(23);
        Account lateNight = register(lateEvening);
        putPreferences(lateNight, Map.of("quiet_hours_start", "22:00", "quiet_hours_end", "02:00"));
        Map<String, Object> profile = okProfile(lateNight.id(), "");
        assertEquals(true, profile.get("quiet_hours_active"));
        assertEquals(nextOccurrence(LocalTime.of(2, 0), lateEvening), profile.get("quiet_hours_end_at"));
        assertEquals("quiet_hours", channel(profile, "email").get("reason"));

        Account midday = register(zoneWhereTheHourIs(12));
        putPreferences(midday, Map.of("quiet_hours_start", "22:00", "quiet_hours_end", "02:00"));
        assertEquals(false, okProfile(midday.id(), "").get("quiet_hours_active"));
    }

    @Test
    void categoryOptOutsApplyToTheirCategoryAndNotToCriticalMail() {
        Account carol = register(TOKYO);
        registerDevice(carol, "carol-phone", "ios");
        putPreferences(carol, Map.of("categories", Map.of("marketing", Map.of("email", false, "push", true))));

        Map<String, Object> marketing = okProfile(carol.id(), "?category=marketing");
        assertEquals(Map.of("enabled", true, "allowed_now", false, "reason", "category_opt_out"), channel(marketing, "email"));
        assertEquals(true, channel(marketing, "push").get("allowed_now"));

        assertEquals(true, channel(okProfile(carol.id(), "?category=marketing&priority=critical"), "email").get("allowed_now"));
        assertEquals(true, channel(okProfile(carol.id(), "?category=billing"), "email").get("allowed_now"));
        assertEquals(true, channel(okProfile(carol.id(), ""), "email").get("allowed_now"));
    }

    @Test
    void aChannelSwitchedOffIsDisabledEvenForCriticalMail() {
        Account dan = register(TOKYO);
        registerDevice(dan, "dan-phone", "ios");
        putPreferences(dan, Map.of("email", false));

        Map<String, Object> profile = okProfile(dan.id(), "?priority=critical");

        assertEquals(Map.of("enabled", false, "allowed_now", false, "reason", "channel_disabled"), channel(profile, "email"));
        assertEquals(true, channel(profile, "push").get("allowed_now"));
    }

    @Test
    void pushWithoutDevicesAnswersNoActiveDevices() {
        Account erin = register(TOKYO);

        Map<String, Object> push = channel(okProfile(erin.id(), ""), "push");

        assertEquals(Map.of("enabled", true, "allowed_now", false, "reason", "no_active_devices", "tokens", List.of()), push);
    }

    @Test
    void anUnverifiedEmailIsRefusedWhenVerificationIsRequired() {
        Account fay = register(TOKYO);

        assertEquals(true, channel(okProfile(fay.id(), ""), "email").get("allowed_now"));
        assertEquals("email_unverified", channel(okProfile(fay.id(), "?require_verified=true"), "email").get("reason"));
    }

    @Test
    void aBouncedEmailIsNotAllowed() {
        Account gus = register(TOKYO);
        // No route sets it yet (the status consumer will): stored as that consumer will store it, before any read.
        setProfileAttribute(gus.id(), "email_bounced", AttributeValue.fromBool(true));

        assertEquals(Map.of("enabled", true, "allowed_now", false, "reason", "email_bounced"),
                channel(okProfile(gus.id(), "?priority=critical"), "email"));
    }

    @Test
    void aDisabledAccountIsReachableOnNoChannel() {
        Account admin = accounts.admin();
        Account hal = register(TOKYO);
        registerDevice(hal, "hal-phone", "ios");
        assertEquals(200, accounts.patch("/api/v1/users/" + hal.id(), admin, Map.of("status", "disabled")).status());

        Map<String, Object> profile = okProfile(hal.id(), "?priority=critical");

        assertEquals(Map.of("enabled", false, "allowed_now", false, "reason", "channel_disabled"), channel(profile, "email"));
        assertEquals(Map.of("enabled", false, "allowed_now", false, "reason", "channel_disabled", "tokens", List.of()),
                channel(profile, "push"));
    }

    @Test
    void aSignedOutSessionsDeviceIsNotAPushTarget() {
        Account ivy = register(TOKYO);
        registerDevice(ivy, "phone-of-the-first-session", "ios");
        Account secondSession = accounts.login(ivy.email());
        registerDevice(secondSession, "tablet-of-the-second-session", "android");

        assertEquals(200, api.post("/api/v1/auth/logout", Map.of(), "Authorization", ivy.authorization()).status());

        assertEquals(List.of(Map.of("token", "tablet-of-the-second-session", "platform", "android")),
                channel(okProfile(ivy.id(), ""), "push").get("tokens"));
    }

    @Test
    void devicesOfSessionsThatAPasswordResetEndedAreNotPushTargets() {
        Account jo = register(TOKYO);
        registerDevice(jo, "phone-before-the-reset", "ios");
        // What a password reset writes on the profile, before the first read of this user.
        setProfileAttribute(jo.id(), "sessions_valid_after", AttributeValue.fromS(java.time.Instant.now().plusSeconds(1).toString()));

        assertEquals("no_active_devices", channel(okProfile(jo.id(), ""), "push").get("reason"));
    }

    @Test
    void onlyServicesMayReadProfiles() {
        Account kim = register(TOKYO);
        String path = "/api/v1/internal/users/" + kim.id() + "/notification-profile";

        assertError(api.get(path, "Authorization", kim.authorization()), 403, "forbidden");
        assertError(api.get(path), 401, "unauthorized");
        assertError(api.post(BATCH, Map.of("user_ids", List.of(kim.id())), "Authorization", kim.authorization()), 403, "forbidden");
    }

    @Test
    void unknownUsersAreNotFound() {
        assertError(profile(UUID.randomUUID().toString(), ""), 404, "not_found");
        assertError(profile("not-a-user-id", ""), 404, "not_found");
    }

    @Test
    void badQueryParametersAreValidationFailures() {
        Account lee = register(TOKYO);

        assertEquals(List.of("priority"), detailFields(profile(lee.id(), "?priority=urgent")));
        assertEquals(List.of("category"), detailFields(profile(lee.id(), "?category=Marketing")));
        assertEquals(List.of("require_verified"), detailFields(profile(lee.id(), "?require_verified=yes")));
        assertEquals(List.of("channel"), detailFields(profile(lee.id(), "?channel=email")));
        assertError(profile(lee.id(), "?priority=urgent"), 400, "validation_failed");
    }

    @Test
    void aBatchOfAHundredListsUnknownUsersApartInTheOrderAsked() {
        List<String> asked = new ArrayList<>();
        List<String> known = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            if (i % 10 == 3 || i % 10 == 7 || i % 10 == 9) {
                unknown.add(UUID.randomUUID().toString());
                asked.add(unknown.getLast());
            } else {
                known.add(register(TOKYO).id());
                asked.add(known.getLast());
            }
        }

        Api.Response answer = batch(Map.of("user_ids", asked, "category", "news", "priority", "high"));

        assertEquals(200, answer.status(), answer.text());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> profiles = (List<Map<String, Object>>) answer.data().get("profiles");
        assertEquals(known, profiles.stream().map(profile -> profile.get("user_id")).toList());
        assertEquals(unknown, answer.data().get("unknown_user_ids"));
        assertEquals(okProfile(known.getFirst(), "?category=news&priority=high"), profiles.getFirst());
    }

    @Test
    void badBatchesAreValidationFailures() {
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(UUID.randomUUID().toString());
        }
        String id = UUID.randomUUID().toString();

        assertEquals(List.of("user_ids"), detailFields(batch(Map.of("user_ids", tooMany))));
        assertEquals(List.of("user_ids[2]"), detailFields(batch(Map.of("user_ids", List.of(id, UUID.randomUUID().toString(), id)))));
        assertEquals(List.of("user_ids[0]", "user_ids[1]"), detailFields(batch(Map.of("user_ids", List.of("nobody", 42)))));
        assertEquals(List.of("user_ids"), detailFields(batch(Map.of("category", "news"))));
        assertEquals(List.of("priority", "extra"), detailFields(batch(Map.of("user_ids", List.of(id), "priority", "urgent", "extra", true))));
        assertEquals(Map.of("profiles", List.of(), "unknown_user_ids", List.of()), batch(Map.of("user_ids", List.of())).data());
    }

    @Test
    void aWriteForgetsTheCachedInputsBeforeItAnswers() {
        Account max = register(TOKYO);
        registerDevice(max, "max-phone", "ios");
        running.service().awaitStreamsCaughtUp();
        try (Jedis redis = running.redis()) {
            assertTrue(okProfile(max.id(), "").containsKey("channels"));
            String key = CacheKeys.notificationInputs(max.id());
            assertTrue(redis.exists(key), "the first read filled the cache");
            long ttl = redis.ttl(key);
            assertTrue(ttl > 3500 && ttl <= 3600, "an hour: " + ttl);

            putPreferences(max, Map.of("push", false));
            assertFalse(redis.exists(key), "a write of the preferences forgets the cached inputs");
            assertEquals(false, channel(okProfile(max.id(), ""), "push").get("enabled"), "read again from the table");
        }
    }

    @Test
    void aChangeStoredWithoutItsForgetIsForgottenFromTheTablesStream() {
        Account max = registerWithCachedInputs();
        String key = CacheKeys.notificationInputs(max.id());
        try (Jedis redis = running.redis()) {
            // Stored as by a function that died after its commit, before it could forget the views.
            running.dynamo().updateItem(request -> request.tableName(running.table())
                    .key(Map.of("pk", AttributeValue.fromS("USER#" + max.id()), "sk", AttributeValue.fromS("PREFERENCES")))
                    .updateExpression("SET email = :off")
                    .expressionAttributeValues(Map.of(":off", AttributeValue.fromBool(false))));
            running.service().awaitStreamsCaughtUp();

            assertFalse(redis.exists(key), "the table's stream consumer forgot the cached inputs");
        }
        assertEquals(false, channel(okProfile(max.id(), ""), "email").get("enabled"), "read again from the table");
    }

    /** A stack deployed with the cache off reads the table every time and reports no cache's misses. */
    @Test
    void aFunctionWithoutACacheWritesNoCacheMetrics() {
        Account noor = register(TOKYO);
        Map<String, String> environment = new HashMap<>(running.service().functionEnvironment("GetNotificationProfileFunction"));
        environment.remove("REDIS_URL");
        NotificationProfiles profiles = Services.of(environment).notificationProfiles();
        List<Map<String, Object>> lines = MetricsLines.of("GetNotificationProfileFunction", () -> {
            assertEquals(noor.id(), profiles.profile(noor.id(), ProfileRequest.DEFAULT).toJson().get("user_id"));
            Metrics.flush("GetNotificationProfileFunction");
        });
        assertEquals(List.of(), lines);
    }

    @Test
    void cacheHitsAndMissesAreOneMetricsLinePerRequest() {
        Account nia = register(TOKYO);
        running.service().awaitStreamsCaughtUp();
        List<Map<String, Object>> lines = MetricsLines.of("GetNotificationProfileFunction", () -> {
            okProfile(nia.id(), "");
            okProfile(nia.id(), "");
        });
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(List.of(0L, 1L), lines.stream().map(line -> line.get("CacheHit")).toList());
        assertEquals(List.of(1L, 0L), lines.stream().map(line -> line.get("CacheMiss")).toList());
        @SuppressWarnings("unchecked")
        Map<String, Object> directive = ((List<Map<String, Object>>) ((Map<String, Object>) lines.getFirst().get("_aws"))
                .get("CloudWatchMetrics")).getFirst();
        assertEquals("UserService", directive.get("Namespace"));
        assertEquals(List.of(List.of("FunctionName", "Cache")), directive.get("Dimensions"));
        assertEquals("notification_inputs", lines.getFirst().get("Cache"));
    }

    @Test
    void aWriteAfterTheServerClosedTheIdleConnectionsStillForgetsTheViews() {
        Account ivo = registerWithCachedInputs();
        try (Jedis redis = running.redis()) {
            // As ElastiCache does to connections idle past its timeout, or whose keepalives a frozen function missed.
            redis.clientKill(ClientKillParams.clientKillParams().type(ClientType.NORMAL));

            putPreferences(ivo, Map.of("email", false));

            assertFalse(redis.exists(CacheKeys.notificationInputs(ivo.id())), "forgotten over a new connection");
        }
        assertEquals(false, channel(okProfile(ivo.id(), ""), "email").get("enabled"));
    }

    /**
     * A write stored while Redis took no connection, so its forget could not reach it, and the cached views outlived
     * it: once Redis takes connections again, the table's stream consumer forgets them, and no reader is served the
     * old ones for their TTL.
     */
    @Test
    @Order(Integer.MAX_VALUE - 3)
    void aWriteThatCouldNotReachRedisIsForgottenOnceRedisIsBack() {
        Account kai = registerWithCachedInputs();
        String key = CacheKeys.notificationInputs(kai.id());
        try (Jedis redis = running.redis()) {
            String maxClients = redis.configGet("maxclients").get("maxclients");
            // Unreachable with its data kept: every connection but this one closed, and no new one taken.
            redis.configSet("maxclients", "1");
            redis.clientKill(ClientKillParams.clientKillParams().type(ClientType.NORMAL).skipMe(ClientKillParams.SkipMe.YES));
            try {
                putPreferences(kai, Map.of("email", false));
                assertTrue(redis.exists(key), "the write could not forget the cached inputs");
            } finally {
                redis.configSet("maxclients", maxClients);
            }

            running.service().awaitStreamsCaughtUp();

            assertFalse(redis.exists(key), "forgotten from the table's stream");
        }
        assertEquals(false, channel(okProfile(kai.id(), ""), "email").get("enabled"), "not the cached preferences of before");
    }

    @Test
    @Order(Integer.MAX_VALUE - 2)
    void aWriteWhileTheWritersBreakerIsOpenStillForgetsTheViews() throws Exception {
        Account other = register(TOKYO);
        Account eva = registerWithCachedInputs();
        CompletableFuture<Void> sleeping = redisAsleep(Duration.ofSeconds(1));
        // Stored, but its forget times out: the function's breaker opens for the next 15 seconds.
        putPreferences(other, Map.of("push", false));
        assertFalse(sleeping.isDone(), "the other write was made while Redis slept");
        sleeping.get();

        putPreferences(eva, Map.of("email", false));

        assertEquals(false, channel(okProfile(eva.id(), ""), "email").get("enabled"), "not the cached preferences of before");
    }

    @Test
    @Order(Integer.MAX_VALUE - 1)
    void answersStayRightAndQuickWhileRedisIsSlow() throws Exception {
        Account olga = register(TOKYO);
        registerDevice(olga, "olga-phone", "ios");
        String other = register(TOKYO).id();
        Map<String, Object> expected = okProfile(olga.id(), "?category=news");
        Object expectedBatch = batch(Map.of("user_ids", List.of(olga.id(), other), "category", "news")).data();

        // Long enough that the eight requests fall inside it on a loaded machine.
        CompletableFuture<Void> sleeping = redisAsleep(Duration.ofSeconds(5));
        assertFalse(sleeping.isDone(), "Redis is asleep");

        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            assertEquals(expected, timed(millis, () -> okProfile(olga.id(), "?category=news")));
            assertEquals(expectedBatch, timed(millis, () -> batch(Map.of("user_ids", List.of(olga.id(), other), "category", "news")).data()));
        }
        assertFalse(sleeping.isDone(), "every request was made while Redis slept");
        System.out.println("Profile requests while Redis sleeps (ms): " + millis);
        assertTrue(millis.stream().allMatch(ms -> ms < DEGRADED_BUDGET_MILLIS), millis.toString());
        sleeping.get();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void answersStayRightAndQuickWithRedisStopped() {
        Account pia = register(TOKYO);
        registerDevice(pia, "pia-phone", "ios");
        Map<String, Object> expected = okProfile(pia.id(), "");
        running.service().stopRedis();
        try {
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                assertEquals(expected, timed(millis, () -> okProfile(pia.id(), "")));
                assertEquals(List.of(expected), timed(millis, () -> batch(Map.of("user_ids", List.of(pia.id()))).data().get("profiles")));
            }
            System.out.println("Profile requests with Redis stopped (ms): " + millis);
            assertTrue(millis.stream().allMatch(ms -> ms < DEGRADED_BUDGET_MILLIS), millis.toString());
        } finally {
            running.service().startRedis();
        }
    }

    private static CompletableFuture<Void> redisAsleep(Duration duration) {
        return RedisSleep.of(running.service().redisUrl().getHost(), running.service().redisUrl().getPort(), duration);
    }

    private static <T> T timed(List<Long> millis, Supplier<T> request) {
        long started = System.nanoTime();
        T answer = request.get();
        millis.add((System.nanoTime() - started) / 1_000_000);
        return answer;
    }

    /**
     * A new account whose profile inputs are cached (email enabled), read once the table's stream consumer has finished
     * with its registration, whose forget would otherwise race the read.
     */
    private static Account registerWithCachedInputs() {
        Account account = register(TOKYO);
        running.service().awaitStreamsCaughtUp();
        assertEquals(true, channel(okProfile(account.id(), ""), "email").get("enabled"));
        try (Jedis redis = running.redis()) {
            assertTrue(redis.exists(CacheKeys.notificationInputs(account.id())), "cached");
        }
        return account;
    }

    private static Account register(ZoneId zone) {
        Map<String, Object> body = Accounts.registration(uniqueEmail("profile"));
        body.put("timezone", zone.getId());
        Map<String, Object> grant = accounts.registerGrant(body);
        @SuppressWarnings("unchecked")
        Map<String, Object> user = (Map<String, Object>) grant.get("user");
        return new Account((String) user.get("id"), (String) user.get("email"), (String) grant.get("access_token"),
                (String) grant.get("refresh_token"));
    }

    private static void registerDevice(Account owner, String token, String platform) {
        Api.Response registered = api.post("/api/v1/users/me/devices", Map.of("token", token, "platform", platform),
                "Authorization", owner.authorization());
        assertEquals(201, registered.status(), registered.text());
    }

    private static void putPreferences(Account owner, Map<String, Object> body) {
        Api.Response updated = api.send("PUT", PREFERENCES, Json.write(body), "Authorization", owner.authorization(),
                "Content-Type", "application/json");
        assertEquals(200, updated.status(), updated.text());
    }

    private static void setProfileAttribute(String userId, String name, AttributeValue value) {
        running.dynamo().updateItem(request -> request.tableName(running.table())
                .key(Map.of("pk", AttributeValue.fromS("USER#" + userId), "sk", AttributeValue.fromS("PROFILE")))
                .updateExpression("SET #name = :value")
                .expressionAttributeNames(Map.of("#name", name))
                .expressionAttributeValues(Map.of(":value", value)));
    }

    private static Api.Response profile(String userId, String query) {
        return api.get("/api/v1/internal/users/" + userId + "/notification-profile" + query, "Authorization", bearer(serviceToken));
    }

    private static Map<String, Object> okProfile(String userId, String query) {
        Api.Response answer = profile(userId, query);
        assertEquals(200, answer.status(), answer.text());
        return answer.data();
    }

    private static Api.Response batch(Map<String, Object> body) {
        return api.post(BATCH, new LinkedHashMap<>(body), "Authorization", bearer(serviceToken));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> channel(Map<String, Object> profile, String name) {
        return ((Map<String, Map<String, Object>>) profile.get("channels")).get(name);
    }

    /** The next instant, after now, at which the zone's clock shows {@code time}, as the API writes it. */
    private static String nextOccurrence(LocalTime time, ZoneId zone) {
        ZonedDateTime now = ZonedDateTime.now(zone);
        ZonedDateTime next = now.with(time);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        return next.toInstant().toString();
    }

    /** A fixed-offset zone (no daylight saving) whose clock shows {@code hour} o'clock now. */
    private static ZoneId zoneWhereTheHourIs(int hour) {
        int offset = Math.floorMod(hour - ZonedDateTime.now(ZoneOffset.UTC).getHour(), 24);
        if (offset > 14) {
            offset -= 24;
        }
        // The Etc zones' signs are POSIX's, the reverse of ISO's: Etc/GMT-9 is UTC+09:00.
        return ZoneId.of(offset == 0 ? "Etc/GMT" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset));
    }
}
