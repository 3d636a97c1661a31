package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.userservice.aws.AwsClients;
import dev.userservice.config.ServiceConfig;
import dev.userservice.json.Json;
import dev.userservice.local.e2e.Accounts.Account;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The admin console at {@code /admin} in a real headless Chromium against the local runner:
 * {@code local/src/test/browser/admin-console.mjs} does what support staff do with a user this test registered
 * (a device, and a delivery status sent through the notification-status queue as a pipeline sends it), and this
 * class checks its report and what the service holds afterwards. A user who is not an admin is turned away with a
 * clear message and their session ended; an admin finds the user by email and by name, sees the device, the
 * session and the status, deactivates the device (inactive in the API, {@code deactivated_reason} "admin") and
 * disables the account (its token refused), each after a dialog, and signs out (the session ends). No token is kept
 * in storage or cookies; every answer of the page carries the security headers; no Content-Security-Policy
 * violation, page or console error, and no serious axe-core violation on any screen, a phone's included. Skipped as
 * {@link BrowserScript} says without node, its packages or chromium.
 */
class AdminConsoleBrowserEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();

    @Test
    @SuppressWarnings("unchecked")
    void anAdminFindsAUserSeesWhyTheirNotificationsGoWhereTheyGoAndActsOnThem() throws Exception {
        BrowserScript browser = BrowserScript.require("admin-console.mjs");
        Account admin = accounts.admin();
        Account bystander = accounts.register(uniqueEmail("not-admin"));
        String name = "Console Target " + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> registration = Accounts.registration(uniqueEmail("console-target"), name);
        Map<String, Object> grant = accounts.registerGrant(registration);
        Account target = new Account(Accounts.userId(grant), (String) registration.get("email"), Accounts.access(grant),
                (String) grant.get("refresh_token"));
        String deviceToken = "console-device-" + UUID.randomUUID();
        // A device's name may hold a control that turns text around; the console must not obey it.
        Api.Response device = api.post("/api/v1/users/me/devices", Map.of("token", deviceToken, "platform", "android",
                "device_name", "Work phone\u202Eexe.gpj"), "Authorization", target.authorization());
        assertEquals(201, device.status(), device.text());
        String notificationId = "console-" + UUID.randomUUID();
        sendStatusThroughTheQueue(admin, notificationId, target.id(), deviceToken);
        String base = running.service().apiUrl().toString().replaceAll("/$", "");

        Map<String, Object> report = browser.run(base, Map.of(
                "ADMIN_EMAIL", admin.email(), "ADMIN_PASSWORD", Accounts.PASSWORD, "ADMIN_ID", admin.id(),
                "NON_ADMIN_EMAIL", bystander.email(), "NON_ADMIN_PASSWORD", Accounts.PASSWORD,
                "USER_EMAIL", target.email(), "USER_NAME", name, "USER_ID", target.id(),
                "DEVICE_TOKEN", deviceToken, "NOTIFICATION_ID", notificationId));

        assertEquals("user-service admin", report.get("title"));
        assertTrue(String.valueOf(report.get("nonAdminMessage")).contains("not an administrator"), () -> "refusal: " + report.get("nonAdminMessage"));
        assertEquals(false, report.get("nonAdminShownConsole"), "the console stays closed to a user");
        assertTrue(endReasons(bystander).contains("logout"), "the refused user's console session was ended: " + endReasons(bystander));

        assertTrue(String.valueOf(report.get("dashboard")).contains("Active sessions"), () -> "dashboard: " + report.get("dashboard"));
        Map<String, Object> afterFailedRefresh = (Map<String, Object>) report.get("afterFailedRefresh");
        assertTrue(String.valueOf(afterFailedRefresh.get("alert")).contains("503"), () -> "the refresh's answer: " + afterFailedRefresh);
        assertEquals(List.of(false, true), List.of(afterFailedRefresh.get("signInShown"), afterFailedRefresh.get("consoleShown")),
                () -> "a refresh answered 503 kept the admin signed in: " + afterFailedRefresh);
        assertEquals(3, ((List<?>) report.get("injectedConsoleErrors")).size(),
                () -> "the 401 and the 503 of the refresh, the 503 of the search's read: " + report.get("injectedConsoleErrors"));
        assertEquals(1, number(report, "foundByEmail"), "found by the start of the email");
        assertEquals(1, number(report, "foundByName"), "found by the start of the name");
        assertEquals(1, number(report, "foundByUpperCaseId"), "found by the id in capitals");
        assertTrue(String.valueOf(report.get("searchWithAFailedRead")).contains("503"),
                () -> "a search whose read of the account failed: " + report.get("searchWithAFailedRead"));
        Map<String, String> userPage = (Map<String, String>) report.get("userPage");
        assertTrue(userPage.get("account").contains(target.email()) && userPage.get("account").contains("active"), userPage.get("account"));
        assertTrue(userPage.get("preferences").contains("Europe/Berlin"), () -> "quiet hours in the user's zone: " + userPage.get("preferences"));
        assertTrue(userPage.get("delivery").contains("push") && userPage.get("delivery").contains("allowed"), userPage.get("delivery"));
        assertEquals(1, number(report, "deviceShown"), () -> "the device on the user page: " + userPage.get("devices"));
        assertTrue(userPage.get("devices").contains("android") && userPage.get("devices").contains("active"), userPage.get("devices"));
        assertTrue(userPage.get("devices").contains("Work phone\u27e8U+202E\u27e9exe.gpj"),
                () -> "the device's name with its direction control shown, not obeyed: " + userPage.get("devices"));
        assertTrue(userPage.get("sessions").contains("active"), () -> "the user's session: " + userPage.get("sessions"));
        assertTrue(userPage.get("history").contains(notificationId) && userPage.get("history").contains("delivered"),
                () -> "the status from the queue: " + userPage.get("history"));
        assertTrue(!String.valueOf(report.get("historyOfFailures")).contains(notificationId),
                () -> "filtered by status failed: " + report.get("historyOfFailures"));

        assertEquals("confirm", report.get("dialogFocus"), "focus moves into the confirmation dialog");
        assertEquals(false, report.get("deleteReadyBeforeTyping"), "deleting waits for the typed email");
        assertEquals("Delete account", report.get("focusAfterCancel"), "Escape gives focus back to the opener");
        assertTrue(String.valueOf(report.get("deviceNotice")).contains("deactivated"), () -> "answer: " + report.get("deviceNotice"));
        Map<String, Object> stored = deviceOf(admin, target, deviceToken);
        assertEquals(false, stored.get("active"), () -> "the device in the API: " + stored);
        assertEquals("admin", stored.get("deactivated_reason"), () -> "the device in the API: " + stored);

        assertEquals(false, report.get("cancelEnabledWhilePending"), "no Cancel once the change is sent");
        assertEquals(true, report.get("dialogOpenAfterEscapeWhilePending"), "Escape does not close a dialog whose change is on its way");
        assertTrue(String.valueOf(report.get("disableNotice")).contains("from active to disabled"), () -> "answer: " + report.get("disableNotice"));
        Api.Response refused = api.get("/api/v1/users/me", "Authorization", target.authorization());
        assertEquals(401, refused.status(), () -> "the disabled user's token: " + refused.text());
        assertEquals("disabled", api.get("/api/v1/users/" + target.id(), "Authorization", admin.authorization()).data().get("status"));
        assertTrue(String.valueOf(report.get("sessionsAfter")).contains("admin"), () -> "how the user's session ended: " + report.get("sessionsAfter"));
        assertEquals(true, report.get("endAllEnabledWithNoActiveSession"), "older pages may hold active sessions");

        assertTrue(String.valueOf(report.get("endOwnSessionsText")).contains("this console included"),
                () -> "ending the admin's own sessions: " + report.get("endOwnSessionsText"));
        assertTrue(number(report, "phoneOverflow") <= 0, "nothing wider than a phone's screen");
        assertEquals("", report.get("cookies"), "no cookies");
        assertEquals(List.of(), report.get("storageKeys"), "no tokens in local or session storage");
        assertTrue(String.valueOf(report.get("signedOutMessage")).contains("signed out"), () -> "sign-out: " + report.get("signedOutMessage"));
        assertTrue(String.valueOf(report.get("titleBeforeSignOut")).contains(admin.email()), () -> "the admin's own user page's title: " + report.get("titleBeforeSignOut"));
        assertEquals(Map.of("title", "user-service admin", "hash", ""), report.get("afterSignOut"),
                "nothing of the user last shown stays in the tab");
        assertEquals(2, endReasons(admin).stream().filter("logout"::equals).count(),
                () -> "signing out of the console, and then leaving it, each ended its session: " + endReasons(admin));
        assertEquals(Map.of("signInShown", true, "consoleShown", false), report.get("afterBack"), "Back after leaving the console");
        BrowserScript.assertSafeAndAccessible(base, report, Set.of("/admin"),
                Set.of("/admin", "/admin/assets/admin.js", "/admin/assets/admin.css"), Set.of());
        browser.assertScreenshots("admin-dashboard.png", "admin-users.png", "admin-user.png", "admin-confirm.png", "admin-user-phone.png");
    }

    /** A delivery status as a pipeline reports it: a message on the notification-status queue. */
    private static void sendStatusThroughTheQueue(Account admin, String notificationId, String userId, String deviceToken) throws InterruptedException {
        Map<String, String> environment = running.service().functionEnvironment("NotificationStatusFunction");
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("notification_id", notificationId);
        status.put("user_id", userId);
        status.put("channel", "push");
        status.put("status", "delivered");
        status.put("device_token", deviceToken);
        status.put("timestamp", Instant.now().minusSeconds(30).toString());
        try (SqsClient sqs = AwsClients.sqs(ServiceConfig.from(environment))) {
            sqs.sendMessage(request -> request.queueUrl(environment.get("NOTIFICATION_STATUS_QUEUE_URL")).messageBody(Json.write(status)));
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!api.get("/api/v1/users/" + userId + "/notifications", "Authorization", admin.authorization()).text().contains(notificationId)) {
            if (System.nanoTime() > deadline) {
                fail("the status sent through the queue is not in the history after " + WAIT);
            }
            Thread.sleep(100);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deviceOf(Account admin, Account user, String token) {
        Api.Response devices = api.get("/api/v1/users/" + user.id() + "/devices", "Authorization", admin.authorization());
        assertEquals(200, devices.status(), devices.text());
        return ((List<Map<String, Object>>) devices.body().get("data")).stream()
                .filter(device -> token.equals(device.get("token"))).findFirst()
                .orElseThrow(() -> new AssertionError("no device " + token + " in " + devices.text()));
    }

    /** How the account's ended sessions ended, as the account itself reads them. */
    @SuppressWarnings("unchecked")
    private static List<Object> endReasons(Account account) {
        Api.Response ended = api.get("/api/v1/auth/sessions?state=ended", "Authorization", account.authorization());
        assertEquals(200, ended.status(), ended.text());
        return ((List<Map<String, Object>>) ended.body().get("data")).stream().map(session -> session.get("end_reason")).toList();
    }

    private static long number(Map<String, Object> report, String key) {
        Object value = report.get(key);
        assertFalse(value == null, key + " missing from the report");
        return ((Number) value).longValue();
    }
}
