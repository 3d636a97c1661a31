package dev.userservice.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.userservice.accounts.AccessChange;
import dev.userservice.accounts.AccountDeletion;
import dev.userservice.accounts.AdminPromotion;
import dev.userservice.accounts.PasswordChange;
import dev.userservice.accounts.PasswordReset;
import dev.userservice.accounts.PasswordResetRequest;
import dev.userservice.accounts.ProfilePatch;
import dev.userservice.accounts.RegistrationRequest;
import dev.userservice.accounts.UserCreation;
import dev.userservice.accounts.UserListing;
import dev.userservice.users.AccountTypes;
import dev.userservice.accounts.VerificationConfirmation;
import dev.userservice.auth.AccessTokens;
import dev.userservice.auth.PasswordPolicy;
import dev.userservice.auth.SecureTokens;
import dev.userservice.auth.SigningKeys;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.devices.DeviceUpdate;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.OutboxRecord;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.PageRequest;
import dev.userservice.json.Json;
import dev.userservice.notifications.NotificationHistory;
import dev.userservice.notifications.StatusReport;
import dev.userservice.paging.Cursors;
import dev.userservice.preferences.Preferences;
import dev.userservice.profiles.ProfileBatchRequest;
import dev.userservice.profiles.ProfileRequest;
import dev.userservice.sessions.ClientCredentials;
import dev.userservice.sessions.IntrospectionRequest;
import dev.userservice.sessions.LoginRequest;
import dev.userservice.sessions.RefreshRequest;
import dev.userservice.triggers.MalformedRecordException;
import dev.userservice.triggers.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every parser a stranger reaches, fuzzed with Jazzer: request bodies (the JSON reader and each typed request's
 * {@code read}), query strings, cursors, tokens, queue messages and stream images. The property is the HTTP
 * contract's: whatever the input, a parser answers a value or refuses with a {@link ServiceException} of a 4xx
 * status (the kernel turns anything else into a 500); the JSON reader refuses with its
 * {@link Json.MalformedJsonException} (a 400 at the edge, a refused message on a queue) and a stream image with a
 * {@link MalformedRecordException} (its record's failure).
 *
 * <p>{@code ./mvnw test} runs each method in Jazzer's regression mode over the committed inputs in
 * {@code src/test/resources/dev/userservice/fuzz/ParsersFuzzTestInputs/<method>/} (found inputs are added there);
 * {@code JAZZER_FUZZ=1} fuzzes, as CONTRIBUTING.md shows.
 */
class ParsersFuzzTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final PasswordPolicy PASSWORDS = new PasswordPolicy(8);
    private static final Cursors CURSORS = new Cursors(() -> List.of("fuzzing cursor secret".getBytes(StandardCharsets.UTF_8)));
    private static final String KEY_SET = SigningKeys.generateKeySetJson();
    private static final AccessTokens TOKENS = new AccessTokens(new SigningKeys(() -> KEY_SET, CLOCK),
            "https://issuer.example", "user-service", Duration.ofMinutes(15), CLOCK);
    private static final String VALID_TOKEN = TOKENS.issue("5f0c2f4e-8a51-4a57-9d8e-3b1f6a0c9e21", "session-1",
            java.util.Set.of(dev.userservice.auth.Role.USER), true).token();

    /** Each typed request body, read as its route reads it. */
    private static final List<Consumer<Map<String, Object>>> BODY_READERS = List.of(
            body -> AccessChange.read(body, AccountTypes.DEFAULTS), body -> UserCreation.read(body, AccountTypes.DEFAULTS, PASSWORDS),
            AccountDeletion::read, AdminPromotion::read, PasswordChange::read, PasswordReset::read,
            PasswordResetRequest::read, ProfilePatch::read, body -> RegistrationRequest.read(body, PASSWORDS),
            VerificationConfirmation::read, DeviceRegistration::read, DeviceUpdate::read, Preferences.Change::read,
            ProfileBatchRequest::read, ClientCredentials::read, IntrospectionRequest::read, LoginRequest::read,
            RefreshRequest::read, body -> StatusReport.read("push", body, CLOCK), body -> StatusReport.readQueued(body, Optional.empty(), CLOCK),
            body -> dev.userservice.accounts.PlanChange.read(body, dev.userservice.users.Plans.DEFAULT),
            body -> dev.userservice.accounts.ProfileUpdate.read(body, true),
            body -> dev.userservice.accounts.ProfileUpdate.read(body, false));

    /** Each query-string reader. */
    private static final List<Consumer<Map<String, String>>> QUERY_READERS = List.of(
            query -> UserListing.read(query, AccountTypes.DEFAULTS, dev.userservice.users.Plans.DEFAULT), dev.userservice.accounts.UserSearchQuery::read, NotificationHistory.Query::read, ProfileRequest::fromQuery,
            query -> PageRequest.of(HttpRequest.fromEvent(Map.of("queryStringParameters", query))));

    @FuzzTest
    void requestBodies(@NotNull byte[] body) {
        Map<String, Object> object;
        try {
            object = HttpRequest.fromEvent(Map.of("headers", Map.of("content-type", "application/json"),
                    "body", new String(body, StandardCharsets.UTF_8))).jsonObject();
        } catch (ServiceException refused) {
            assertClientError(refused);
            return;
        }
        for (Consumer<Map<String, Object>> reader : BODY_READERS) {
            refusedOnlyAsClientError(() -> reader.accept(object));
        }
    }

    @FuzzTest
    void queryStrings(FuzzedDataProvider data) {
        Map<String, String> query = new HashMap<>();
        for (String name : List.of("limit", "cursor", "email_prefix", "page", "category", "priority", "require_verified",
                "channel", "status", "since", "until", "type")) {
            if (data.consumeBoolean()) {
                query.put(name, data.consumeString(200));
            }
        }
        for (Consumer<Map<String, String>> reader : QUERY_READERS) {
            refusedOnlyAsClientError(() -> reader.accept(query));
        }
    }

    @FuzzTest
    void cursors(FuzzedDataProvider data) {
        String listing = data.pickValue(List.of("users", "notifications", "devices"));
        String cursor = data.consumeRemainingAsString();
        refusedOnlyAsClientError(() -> CURSORS.open(listing, cursor));
    }

    @FuzzTest
    void accessTokens(FuzzedDataProvider data) {
        String token = data.consumeBoolean() ? mutated(VALID_TOKEN, data) : data.consumeRemainingAsString();
        try {
            TOKENS.verify(token);
            assertTrue(token.equals(VALID_TOKEN), "a token that was not issued was accepted");
        } catch (ServiceException refused) {
            assertClientError(refused);
        }
    }

    @FuzzTest
    void opaqueTokens(@NotNull String token) {
        refusedOnlyAsClientError(() -> RefreshRequest.read(Map.of("refresh_token", token)));
        refusedOnlyAsClientError(() -> PasswordReset.read(Map.of("token", token, "new_password", "quiet harbour lantern")));
        refusedOnlyAsClientError(() -> VerificationConfirmation.read(Map.of("token", token)));
        SecureTokens.hash(token);
    }

    @FuzzTest
    void queueMessages(@NotNull String body) {
        try {
            StatusReport.readQueued(Json.parseObject(body), Optional.empty(), CLOCK);
        } catch (ServiceException refused) {
            assertClientError(refused);
        } catch (Json.MalformedJsonException refused) {
            // a message that is no JSON object: refused, never retried
        }
    }

    @FuzzTest
    void streamImages(@NotNull byte[] event) {
        List<StreamRecord> records;
        try {
            records = StreamRecord.batch(event);
        } catch (Json.MalformedJsonException notAnEvent) {
            return; // Lambda's event is JSON; a function error (retried, then the failure destination) is right
        }
        for (StreamRecord record : records) {
            try {
                OutboxRecord.read(record);
            } catch (MalformedRecordException malformed) {
                // its record's failure, named in the partial batch response
            }
        }
    }

    /** The issued token with one character replaced, dropped or added, or its parts swapped around. */
    private static String mutated(String token, FuzzedDataProvider data) {
        StringBuilder text = new StringBuilder(token);
        int at = data.consumeInt(0, text.length() - 1);
        switch (data.consumeInt(0, 3)) {
            case 0 -> text.setCharAt(at, data.consumeChar());
            case 1 -> text.deleteCharAt(at);
            case 2 -> text.insert(at, data.consumeString(8));
            default -> {
                String[] parts = token.split("\\.", -1);
                return parts[data.consumeInt(0, 2)] + "." + parts[data.consumeInt(0, 2)] + "." + data.consumeRemainingAsString();
            }
        }
        return text.toString();
    }

    private static void refusedOnlyAsClientError(Runnable parse) {
        try {
            parse.run();
        } catch (ServiceException refused) {
            assertClientError(refused);
        }
    }

    private static void assertClientError(ServiceException refused) {
        int status = refused.error().status();
        if (status < 400 || status >= 500) {
            fail("refused with " + status + " " + refused.error());
        }
    }
}
