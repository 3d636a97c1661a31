package dev.userservice.logging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.accounts.AccountDeletion;
import dev.userservice.accounts.PasswordChange;
import dev.userservice.accounts.PasswordReset;
import dev.userservice.accounts.ProfilePatch;
import dev.userservice.accounts.RegistrationRequest;
import dev.userservice.accounts.UserCreation;
import dev.userservice.accounts.VerificationConfirmation;
import dev.userservice.auth.AccessTokens;
import dev.userservice.config.ServiceConfig;
import dev.userservice.events.EventType;
import dev.userservice.events.OutboxRecord;
import dev.userservice.events.TokenMail;
import dev.userservice.events.UserEvent;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.HttpResponse;
import dev.userservice.sessions.CheckedPassword;
import dev.userservice.sessions.ClientCredentials;
import dev.userservice.sessions.IntrospectionRequest;
import dev.userservice.sessions.LoginRequest;
import dev.userservice.sessions.LogoutRequest;
import dev.userservice.sessions.RefreshRequest;
import dev.userservice.sessions.TokenGrant;
import dev.userservice.sessions.TokenService;
import dev.userservice.triggers.StreamRecord;
import dev.userservice.users.User;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A record's generated text prints every component, so a record that holds a password, a password's hash or a bearer
 * token would put it in a log line or an exception message the day someone logs it. Each such record writes its own
 * (the signing key set's, which holds private keys, is checked in {@code SigningKeysTest}).
 */
class SecretsInTextTest {
    private static final String SECRET = "s3cret-value";
    private static final User USER = new User("u-1", "ada@example.com", "Ada", null, "UTC", "en", null, User.Status.ACTIVE,
            true, Map.of(), Instant.EPOCH, Instant.EPOCH, SECRET, "ada", "standard", "free", false);

    /**
     * Every record that holds a secret, with the secret in each such component: those whose components name it, and
     * those that carry it inside a header, a body, an event's data or an item's image.
     */
    private static final List<Record> HOLDING_SECRETS = List.of(
            new LoginRequest("ada@example.com", SECRET, "Phone", null),
            new RegistrationRequest("ada@example.com", SECRET, "Ada", null, "UTC", "en", null, Optional.empty(), "ada"),
            new ProfilePatch("ada@example.com", "Ada", false, null, null, null, Map.of(), SECRET),
            new UserCreation("ada@example.com", "Ada", "standard", null, Map.of(), Optional.of(SECRET), null, null, null, null),
            new PasswordReset(SECRET, SECRET),
            new PasswordChange(SECRET, SECRET),
            new AccountDeletion(SECRET),
            new VerificationConfirmation(SECRET),
            new ClientCredentials("client", SECRET),
            new IntrospectionRequest(SECRET),
            new RefreshRequest(SECRET),
            new LogoutRequest(Optional.of(SECRET)),
            new TokenGrant(SECRET, SECRET, 900, USER),
            new TokenService.ServiceToken(SECRET, 900),
            new AccessTokens.Issued(SECRET, Duration.ofMinutes(15)),
            new TokenMail("ada@example.com", SECRET, Instant.EPOCH, "Ada", "en"),
            new CheckedPassword(SECRET, Optional.of(SECRET), null),
            USER,
            new HttpRequest("POST", "/api/v1/auth/login", "POST /api/v1/auth/login", Map.of("authorization", "Bearer " + SECRET),
                    Map.of(), Map.of(), ("{\"password\":\"" + SECRET + "\"}").getBytes(StandardCharsets.UTF_8), "192.0.2.1",
                    "r-1", null),
            new HttpResponse(200, Map.of(), "{\"access_token\":\"" + SECRET + "\"}", null),
            new UserEvent("e-1", EventType.USER_PASSWORD_RESET_REQUESTED, Instant.EPOCH, "u-1", Map.of("token", SECRET)),
            new OutboxRecord("u-1", "user.password_reset_requested", "e-1", "{\"token\":\"" + SECRET + "\"}", "pk", "sk"),
            new StreamRecord("s-1", "MODIFY", "1", Map.of("password_hash", SECRET), Map.of("password_hash", SECRET)),
            ServiceConfig.from(Map.of("TABLE_NAME", "Table", "CURSOR_SECRET", SECRET.repeat(3),
                    "JWT_KEYS", "{\"keys\":[{\"d\":\"" + SECRET + "\"}]}", "REDIS_URL", "rediss://:" + SECRET + "@cache.example.com")));

    /** Components whose names say they hold a secret, or may. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|hash)");
    /**
     * Records whose such components hold none: push tokens, which address a device and grant nothing, and SHA-256
     * hashes of random tokens and secrets, which the table stores in their place.
     */
    private static final Set<String> HOLDING_NO_SECRET = Set.of(
            "dev.userservice.devices.Device", "dev.userservice.devices.DeviceRegistration", "dev.userservice.devices.PushTarget",
            "dev.userservice.devices.DevicePlan$Claim", "dev.userservice.devices.DevicePlan$Release",
            "dev.userservice.devices.DevicePlan$HeldBy", "dev.userservice.notifications.NotificationStatus",
            "dev.userservice.notifications.StatusReport", "dev.userservice.sessions.RefreshToken",
            "dev.userservice.users.UserStore$EmailVerification", "dev.userservice.accounts.RegistrationStore$Invitation",
            "dev.userservice.auth.ServiceClients$Registered");

    @Test
    void noRecordsTextHoldsItsSecrets() {
        for (Record record : HOLDING_SECRETS) {
            String text = record.toString();
            assertFalse(text.contains(SECRET), text);
            assertTrue(text.startsWith(record.getClass().getSimpleName() + "["), text);
        }
    }

    @Test
    void everyRecordNamingASecretIsChecked() throws IOException, URISyntaxException {
        Path classes = Path.of(User.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> checked = new HashSet<>();
        HOLDING_SECRETS.forEach(record -> checked.add(record.getClass().getName()));
        Set<String> naming = new HashSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = classes.relativize(file).toString();
                if (!name.endsWith(".class")) {
                    continue;
                }
                Class<?> type = load(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                if (type.isRecord() && Stream.of(type.getRecordComponents()).map(RecordComponent::getName)
                        .anyMatch(component -> SECRET_NAME.matcher(component).matches())) {
                    naming.add(type.getName());
                }
            }
        }

        assertTrue(naming.size() > 10, "the scan read the service's classes: " + naming);
        checked.addAll(HOLDING_NO_SECRET);
        assertTrue(checked.containsAll(naming), "records holding a secret without a check here: " + minus(naming, checked));
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, SecretsInTextTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> minus(Set<String> all, Set<String> removed) {
        Set<String> left = new HashSet<>(all);
        left.removeAll(removed);
        return left;
    }
}
