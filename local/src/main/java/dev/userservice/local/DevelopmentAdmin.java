package dev.userservice.local;

import dev.userservice.auth.SecureTokens;
import dev.userservice.json.Json;
import dev.userservice.secrets.PrivateFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The local runner's admin account, so the admin console at {@code /admin} can be tried at once: made once per data
 * directory the documented way (registered through {@code POST /api/v1/auth/register}, then promoted by the
 * operator's {@code PromoteAdminFunction}), with a random password kept beside the data, readable by its owner
 * only. An in-memory run makes a fresh one each start. Developers find it in the start-up banner and endpoints.json.
 */
record DevelopmentAdmin(String email, String password) {
    static final String FILE = "admin-account.json";
    static final String EMAIL = "admin@example.com";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The account of this data directory, made now on the running service when there is none yet. */
    static DevelopmentAdmin loadOrCreate(Path runtimeDir, LocalService service) {
        Path file = runtimeDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                Map<String, Object> stored = Json.parseObject(Files.readString(file));
                return new DevelopmentAdmin((String) stored.get("email"), (String) stored.get("password"));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read " + file + "; delete it to make a new development admin", e);
        }
        String password = SecureTokens.newToken();
        DevelopmentAdmin admin = register(service.apiUrl(), EMAIL, password)
                // Data kept from before this account existed may hold the address already, as anybody's.
                ? new DevelopmentAdmin(EMAIL, password)
                : otherAddress(service.apiUrl(), password);
        Map<String, Object> promoted = Json.parseObject(new String(service.invoke("PromoteAdminFunction",
                Json.writeBytes(Map.of("email", admin.email()))), StandardCharsets.UTF_8));
        if (!"admin".equals(promoted.get("role"))) {
            throw new IllegalStateException("PromoteAdminFunction did not make " + admin.email() + " an admin: " + promoted);
        }
        PrivateFiles.write(file, Json.write(admin.toJson()));
        return admin;
    }

    private static DevelopmentAdmin otherAddress(URI api, String password) {
        String email = "admin-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        if (!register(api, email, password)) {
            throw new IllegalStateException("Could not register the development admin " + email);
        }
        return new DevelopmentAdmin(email, password);
    }

    /** Registers through the API as any user would; false when the email is taken. */
    private static boolean register(URI api, String email, String password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("password", password);
        body.put("name", "Development Admin");
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(api.resolve("/api/v1/auth/register"))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 409) {
                return false;
            }
            if (answer.statusCode() != 201) {
                throw new IllegalStateException("Registering the development admin answered " + answer.statusCode() + ": " + answer.body());
            }
            return true;
        } catch (IOException e) {
            throw new IllegalStateException("Could not register the development admin", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while registering the development admin", e);
        }
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("email", email);
        json.put("password", password);
        return json;
    }
}
