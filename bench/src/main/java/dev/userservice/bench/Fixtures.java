package dev.userservice.bench;

import dev.userservice.json.Json;
import dev.userservice.local.LocalService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Makes a sample event meaningful: fills its placeholders with real tokens and ids, created through the service's
 * own functions (in process, outside the measured JVM). Events that change or end what they touch (a logout, a
 * password change, an account deletion, a refresh token's single use, a disabled user) get fresh ones every run.
 */
final class Fixtures {
    static final String SAMPLE_EMAIL = "new.user@example.com";
    static final String ADMIN_EMAIL = "admin@example.com";
    private static final String SAMPLE_DEVICE_TOKEN = "fcm-sample-token-0123456789abcdef";

    /** Functions whose event ends or changes the user it acts for: each run gets a user of its own. */
    private static final Set<String> FRESH_USER = Set.of("ChangePasswordFunction", "DeleteCurrentUserFunction",
            "LogoutAllFunction");
    /** Functions with which an admin disables or deletes the user the event names: a fresh user each run. */
    private static final Set<String> ADMIN_ENDS_USER = Set.of("UpdateUserFunction", "DeleteUserFunction");
    /** Functions whose event ends or spends a session: each run signs the shared user in again. */
    private static final Set<String> FRESH_SESSION = Set.of("LogoutFunction", "RefreshFunction", "RevokeSessionFunction");

    private final LocalService service;
    private final Path events;
    private final AtomicInteger sequence = new AtomicInteger();
    private String userId;
    private String userAccess;
    private String adminAccess;
    private String deviceId;

    Fixtures(LocalService service, Path events) {
        this.service = service;
        this.events = events;
    }

    /** The shared user (the samples' new.user@example.com), an admin, and a device, created once. */
    void setUp() {
        register(SAMPLE_EMAIL);
        userAccess = (String) login(SAMPLE_EMAIL).get("access_token");
        userId = (String) data(invoke("GetCurrentUserFunction", "get-current-user.json", Map.of("<ACCESS_TOKEN>", userAccess))).get("id");
        register(ADMIN_EMAIL);
        invoke("PromoteAdminFunction", "promote-admin.json", Map.of());
        adminAccess = (String) login(ADMIN_EMAIL).get("access_token");
        deviceId = registerDevice(userAccess, SAMPLE_DEVICE_TOKEN);
    }

    String userId() {
        return userId;
    }

    String userAccessToken() {
        return userAccess;
    }

    /** A service token from the development client. */
    String serviceToken() {
        Map<String, Object> granted = invoke("ServiceTokenFunction", "service-token.json", Map.of(
                "<CLIENT_ID>", (String) service.serviceClient().get("client_id"),
                "<CLIENT_SECRET>", (String) service.serviceClient().get("client_secret")));
        return (String) data(granted).get("access_token");
    }

    /**
     * Fresh access tokens for the shared user and the admin (they live 15 minutes; a full run takes longer), each from
     * a new sign-in: the functions measured on a fresh session sign the shared user in again and again, so its first
     * session has given way to MAX_LIVE_SESSIONS long since, and its refresh token with it.
     */
    void renewTokens() {
        userAccess = (String) login(SAMPLE_EMAIL).get("access_token");
        adminAccess = (String) login(ADMIN_EMAIL).get("access_token");
    }

    /** The event a function is measured with in this run, placeholders filled. */
    String eventFor(Functions.Function function, String sample) {
        String name = function.name();
        int n = sequence.incrementAndGet();
        Map<String, String> values = new HashMap<>();
        String access = userAccess;
        String email = SAMPLE_EMAIL;
        if (name.equals("RegisterFunction")) {
            email = "bench-" + n + "-" + System.nanoTime() + "@example.com";
        } else if (FRESH_USER.contains(name)) {
            email = "bench-" + n + "-" + System.nanoTime() + "@example.com";
            register(email);
            access = (String) login(email).get("access_token");
        } else if (FRESH_SESSION.contains(name)) {
            Map<String, Object> tokens = login(SAMPLE_EMAIL);
            access = (String) tokens.get("access_token");
            values.put("<REFRESH_TOKEN>", (String) tokens.get("refresh_token"));
        }
        String target = userId;
        boolean adminRoute = sample.contains("\"rawPath\": \"/api/v1/users/<USER_ID>")
                || sample.contains("\"rawPath\": \"/api/v1/users\"") || sample.contains("\"rawPath\": \"/api/v1/admin/")
                || name.equals("ListUsersFunction");
        if (ADMIN_ENDS_USER.contains(name)) {
            // The sample disables or deletes the user: a fresh one each run.
            String victim = "bench-" + n + "-" + System.nanoTime() + "@example.com";
            register(victim);
            target = (String) data(invoke("GetCurrentUserFunction", "get-current-user.json",
                    Map.of("<ACCESS_TOKEN>", (String) login(victim).get("access_token")))).get("id");
        }
        String device = deviceId;
        if (name.equals("DeleteDeviceFunction")) {
            device = registerDevice(userAccess, "bench-device-" + n + "-" + System.nanoTime());
        }
        values.put("<ACCESS_TOKEN>", adminRoute ? adminAccess : access);
        values.put("<USER_ID>", target);
        values.put("<DEVICE_ID>", device);
        values.put("<CLIENT_ID>", (String) service.serviceClient().get("client_id"));
        values.put("<CLIENT_SECRET>", (String) service.serviceClient().get("client_secret"));
        if (sample.contains("<SERVICE_TOKEN>")) {
            values.put("<SERVICE_TOKEN>", serviceToken());
        }
        String event = sample.replace(SAMPLE_EMAIL, email);
        for (Map.Entry<String, String> value : values.entrySet()) {
            event = event.replace(value.getKey(), value.getValue());
        }
        return event;
    }

    private void register(String email) {
        Map<String, Object> answer = invoke("RegisterFunction", "register.json", Map.of(SAMPLE_EMAIL, email));
        Object status = answer.get("statusCode");
        if (!(status instanceof Number number) || number.intValue() != 201) {
            throw new IllegalStateException("bench: could not register " + email + ": " + answer);
        }
    }

    private Map<String, Object> login(String email) {
        Map<String, Object> answer = invoke("LoginFunction", "login.json", Map.of(SAMPLE_EMAIL, email));
        return data(answer);
    }

    private String registerDevice(String access, String token) {
        Map<String, Object> answer = invoke("RegisterDeviceFunction", "register-device.json",
                Map.of("<ACCESS_TOKEN>", access, SAMPLE_DEVICE_TOKEN, token));
        return (String) data(answer).get("id");
    }

    Map<String, Object> invoke(String function, String sampleFile, Map<String, String> replacements) {
        String event = read(events.resolve(sampleFile));
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            event = event.replace(replacement.getKey(), replacement.getValue());
        }
        byte[] answer = service.invoke(function, event.getBytes(StandardCharsets.UTF_8));
        return Json.parseObject(new String(answer, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> data(Map<String, Object> answer) {
        Object body = answer.get("body");
        if (!(body instanceof String text)) {
            throw new IllegalStateException("bench: not an HTTP answer: " + answer);
        }
        Object data = Json.parseObject(text).get("data");
        if (!(data instanceof Map<?, ?> map)) {
            throw new IllegalStateException("bench: no data in " + answer);
        }
        return (Map<String, Object>) map;
    }

    /** A client of the benchmark's DynamoDB Local, from a function's environment (its endpoint and credentials). */
    static DynamoDbClient dynamoDb(Map<String, String> environment) {
        return DynamoDbClient.builder().endpointOverride(URI.create(environment.get("DYNAMODB_ENDPOINT")))
                .region(Region.of(environment.getOrDefault("AWS_REGION", "us-east-1")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"))))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
