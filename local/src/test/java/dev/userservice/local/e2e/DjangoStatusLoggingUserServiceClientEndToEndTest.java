package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.access;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Accounts.userId;
import static dev.userservice.local.e2e.EarlierClients.assertSignedIn;
import static dev.userservice.local.e2e.EarlierClients.assertSuccess;
import static dev.userservice.local.e2e.EarlierClients.assertUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.local.FaultInjector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client of the earlier Django user service with notification status logging replays its documented requests
 * (create a user, sign in, read the user, log a status, health) at its paths, with and without the trailing slash.
 * Its paths already had an equivalent here; what its clients send is what this test holds to.
 */
class DjangoStatusLoggingUserServiceClientEndToEndTest {
    private static final String EARLIER_PASSWORD = "securepass123";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final String serviceToken = running.serviceToken();
    private static final EarlierClients client = new EarlierClients(api);

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void createSignInAndReadTheUserAsDocumented(String slash) {
        String email = uniqueEmail("django-status");
        Map<String, Object> body = Map.of("name", "Test User", "email", email, "password", EARLIER_PASSWORD,
                "preferences", Map.of("email", true, "push", true));

        Map<String, Object> created = assertSignedIn(api.post("/api/v1/users" + slash, body), 201, email);
        Map<String, Object> login = assertSignedIn(
                api.post("/api/v1/users/login" + slash, Map.of("email", email, "password", EARLIER_PASSWORD)), 200, email);

        String id = userId(created);
        assertUser(assertSuccess(client.get("/api/v1/users/" + id + slash, access(login)), 200), id, email);
    }

    /**
     * The earlier email and push workers read the user's switches and push token from the user's record before they
     * send; signed in here as services, they still find them there.
     */
    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void theWorkersReadTheUsersSwitchesAndPushTokenWithTheUser(String slash) {
        String email = uniqueEmail("django-status-worker");
        String token = "fcm-" + UUID.randomUUID();
        Map<String, Object> created = assertSignedIn(api.post("/api/v1/users" + slash, Map.of("name", "Test User", "email", email,
                "password", EARLIER_PASSWORD, "preferences", Map.of("email", true, "push", false),
                "push_token", token, "platform", "android")), 201, email);
        String id = userId(created);

        Map<String, Object> read = assertSuccess(client.get("/api/v1/users/" + id + slash, serviceToken), 200);

        assertUser(read, id, email);
        assertEquals(true, read.get("email_notifications"));
        assertEquals(false, read.get("push_notifications"));
        assertEquals(token, read.get("push_token"));
        Map<String, Object> own = assertSuccess(client.get("/api/v1/users/" + id + slash, access(created)), 200);
        assertTrue(!own.containsKey("push_token"), "the user reads its devices and preferences at their own routes");
    }

    /**
     * The token is the most recently seen reachable device's; the first read after a registration finds nothing of the
     * user's cached, and answers as the cached read after it does.
     */
    @Test
    void theWorkersFindTheNewestOfSeveralDevicesWhetherTheDevicesAreCachedOrNot() {
        String email = uniqueEmail("django-status-devices");
        Map<String, Object> created = assertSignedIn(api.post("/api/v1/users", Map.of("name", "Test User", "email", email,
                "password", EARLIER_PASSWORD, "push_token", "fcm-" + UUID.randomUUID(), "platform", "android")), 201, email);
        String id = userId(created);
        String newest = "fcm-" + UUID.randomUUID();
        assertEquals(201, api.post("/api/v1/users/me/devices", Map.of("token", newest, "platform", "android"),
                "Authorization", "Bearer " + access(created)).status());

        Map<String, Object> uncached = assertSuccess(client.get("/api/v1/users/" + id, serviceToken), 200);
        Map<String, Object> cached = assertSuccess(client.get("/api/v1/users/" + id, serviceToken), 200);

        assertEquals(newest, uncached.get("push_token"));
        assertEquals(uncached, cached);
    }

    /**
     * A password change ends the other sessions in its own write, then revokes them one by one, which may fail (here,
     * throttled): the device of such a session stays active in the list until a retry, but the workers never get its
     * token, as the notification profile never reaches it.
     */
    @Test
    void theWorkersGetNoTokenOfASessionAPasswordChangeEndedThoughItsRevocationFailed() {
        Map<String, Object> rehearsal = signedInTwiceWithADevice("django-status-rehearsal");
        FaultInjector.record(CHANGE_PASSWORD);
        changePassword(rehearsal);
        List<FaultInjector.Call> calls = FaultInjector.disarm();
        int revocation = calls.lastIndexOf(new FaultInjector.Call("DynamoDb", "TransactWriteItems")) + 1;
        assertTrue(revocation > 0, calls.toString());

        Map<String, Object> changed = signedInTwiceWithADevice("django-status-cut-off");
        FaultInjector.arm(CHANGE_PASSWORD, revocation, FaultInjector.Fault.THROTTLING);
        try {
            changePassword(changed);
        } finally {
            FaultInjector.disarm();
        }
        String id = (String) changed.get("id");

        List<?> devices = EarlierClients.assertListed(client.get("/api/v1/users/" + id + "/devices", serviceToken));
        assertEquals(true, ((Map<?, ?>) devices.getFirst()).get("active"), "the failed revocation left the device active");
        Map<String, Object> read = assertSuccess(client.get("/api/v1/users/" + id, serviceToken), 200);
        assertTrue(read.containsKey("push_token") && read.get("push_token") == null, read.toString());
    }

    /** The profile stops mail to an address that hard-bounced; so must the earlier email worker's switch. */
    @Test
    void theWorkersFindMailSwitchedOffForAnAddressThatHardBounced() {
        String userId = userId(running.accounts().registerGrant(uniqueEmail("django-status-bounced")));
        assertEquals(true, assertSuccess(client.get("/api/v1/users/" + userId, serviceToken), 200).get("email_notifications"));

        assertSuccess(client.send("POST", "/api/v1/email/status", Map.of("notification_id", "notif-" + UUID.randomUUID(),
                "user_id", userId, "status", "bounced"), serviceToken), 201);

        assertEquals(false, assertSuccess(client.get("/api/v1/users/" + userId, serviceToken), 200).get("email_notifications"));
    }

    private static final String CHANGE_PASSWORD = "ChangePasswordFunction";

    /** A user whose signup registered a device, signed in again: the second sign-in's grant, with the user's id. */
    private static Map<String, Object> signedInTwiceWithADevice(String prefix) {
        String email = uniqueEmail(prefix);
        Map<String, Object> created = assertSignedIn(api.post("/api/v1/users", Map.of("name", "Test User", "email", email,
                "password", EARLIER_PASSWORD, "push_token", "fcm-" + UUID.randomUUID(), "platform", "android")), 201, email);
        Map<String, Object> again = new LinkedHashMap<>(assertSignedIn(
                api.post("/api/v1/users/login", Map.of("email", email, "password", EARLIER_PASSWORD)), 200, email));
        again.put("id", userId(created));
        return again;
    }

    private static void changePassword(Map<String, Object> grant) {
        Api.Response changed = api.post("/api/v1/auth/change-password", Map.of("current_password", EARLIER_PASSWORD,
                "new_password", "a brand new passphrase 42"), "Authorization", "Bearer " + access(grant));
        assertEquals(200, changed.status(), changed.text());
    }

    /** A disabled account is sent nothing: the workers find both switches off and no push token, as the profile has it. */
    @Test
    void theWorkersFindADisabledAccountSwitchedOff() {
        String email = uniqueEmail("django-status-disabled");
        Map<String, Object> created = assertSignedIn(api.post("/api/v1/users", Map.of("name", "Test User", "email", email,
                "password", EARLIER_PASSWORD, "preferences", Map.of("email", true, "push", true),
                "push_token", "fcm-" + UUID.randomUUID(), "platform", "android")), 201, email);
        String id = userId(created);
        assertEquals(200, running.accounts().patch("/api/v1/users/" + id, running.accounts().admin(), Map.of("status", "disabled")).status());

        Map<String, Object> read = assertSuccess(client.get("/api/v1/users/" + id, serviceToken), 200);

        assertEquals("disabled", read.get("status"));
        assertEquals(false, read.get("email_notifications"));
        assertEquals(false, read.get("push_notifications"));
        assertTrue(read.containsKey("push_token") && read.get("push_token") == null, read.toString());
    }

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void aStatusIsLoggedForEitherChannel(String slash) {
        String userId = userId(running.accounts().registerGrant(uniqueEmail("django-status")));
        for (String channel : List.of("email", "push")) {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("notification_id", "notif-" + UUID.randomUUID());
            // The pipeline's first status names the user; the earlier clients' later report does not.
            assertSuccess(client.send("POST", "/api/v1/" + channel + "/status",
                    Map.of("notification_id", status.get("notification_id"), "user_id", userId, "status", "sent"), serviceToken), 201);
            status.put("status", "delivered");

            Map<String, Object> recorded = assertSuccess(
                    client.send("POST", "/api/v1/" + channel + "/status" + slash, status, serviceToken), 201);

            assertEquals(status.get("notification_id"), recorded.get("notification_id"));
            assertEquals(channel, recorded.get("channel"));
            assertEquals("delivered", recorded.get("status"));
        }
    }

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void healthAsDocumented(String slash) {
        Map<String, Object> health = assertSuccess(api.get("/health" + slash), 200);
        assertTrue(List.of("ok", "degraded").contains(health.get("status")), health.toString());
    }
}
