package dev.userservice.accounts;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.sessions.LoginRequest;
import dev.userservice.sessions.LogoutRequest;
import dev.userservice.sessions.RefreshRequest;
import dev.userservice.sessions.TokenGrant;
import dev.userservice.testing.IdentityServices;
import dev.userservice.users.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The request records read the earlier services' shapes where their meaning is unambiguous, and refuse the rest by
 * name; the username those shapes bring is claimed, changed and signed in with.
 */
class EarlierRequestShapesTest {
    private static final String PASSWORD = IdentityServices.PASSWORD;
    private final IdentityServices identity = new IdentityServices();

    @Test
    void simpleJwtsRefreshNameIsTheRefreshToken() {
        assertEquals("abc", RefreshRequest.read(body("{\"refresh\": \"abc\"}")).refreshToken());
        assertEquals(List.of(new FieldError("refresh", "differs from refresh_token, which means the same: send one of them")),
                failures(() -> RefreshRequest.read(body("{\"refresh\": \"abc\", \"refresh_token\": \"xyz\"}"))));
    }

    @Test
    void aLogoutBodyMayCarryTheRefreshTokenUnderEitherName() {
        assertEquals(Optional.of("abc"), LogoutRequest.read(body("{\"refresh\": \"abc\"}")).refreshToken());
        assertEquals(Optional.of("abc"), LogoutRequest.read(body("{\"refresh_token\": \"abc\"}")).refreshToken());
        assertEquals(Optional.empty(), LogoutRequest.read(body("{}")).refreshToken());
        assertEquals(List.of(FieldError.unknown("all")), failures(() -> LogoutRequest.read(body("{\"all\": true}"))));
    }

    @Test
    void aPasswordChangeReadsOldPasswordAndChecksTheConfirmation() {
        PasswordChange change = PasswordChange.read(body(
                "{\"old_password\": \"old-secret\", \"new_password\": \"new-secret\", \"confirm_password\": \"new-secret\"}"));

        assertEquals(new PasswordChange("old-secret", "new-secret"), change);
        assertEquals(List.of(new FieldError("confirm_password", "must be the same as new_password")), failures(() ->
                PasswordChange.read(body("{\"current_password\": \"a\", \"new_password\": \"b\", \"confirm_password\": \"c\"}"))));
    }

    @Test
    void aPasswordResetChecksTheConfirmation() {
        assertEquals(List.of(new FieldError("confirm_password", "must be the same as new_password")), failures(() ->
                PasswordReset.read(body("{\"token\": \"t\", \"new_password\": \"b\", \"confirm_password\": \"c\"}"))));
        assertEquals(new PasswordReset("t", "b"),
                PasswordReset.read(body("{\"token\": \"t\", \"new_password\": \"b\", \"confirm_password\": \"b\"}")));
    }

    @Test
    void aRegistrationReadsFullNameUsernameAndTheConfirmation() {
        RegistrationRequest request = RegistrationRequest.read(body("""
                {"email": "user@example.com", "username": "testuser", "full_name": "Test User",
                 "password": "lilac tractor honey", "confirm_password": "lilac tractor honey"}"""), identity.policy);

        assertEquals("Test User", request.name());
        assertEquals("testuser", request.username());
    }

    @Test
    void aRegistrationWhoseConfirmationDiffersIsRefusedNamingIt() {
        assertEquals(List.of(new FieldError("confirm_password", "must be the same as password")), failures(() ->
                RegistrationRequest.read(body("""
                        {"email": "user@example.com", "name": "Test User",
                         "password": "lilac tractor honey", "confirm_password": "lilac tractor"}"""), identity.policy)));
    }

    @Test
    void aUsernameIsAHandleNeverAnEmail() {
        assertEquals(List.of(new FieldError("username", "must be 1 to 150 letters, digits, dots, underscores, plus or minus signs (no @)")),
                failures(() -> RegistrationRequest.read(body("""
                        {"email": "user@example.com", "name": "U", "username": "user@example.com", "password": "lilac tractor honey"}"""),
                        identity.policy)));
    }

    /** The earlier FastAPI service's documented profile update: its job fields are the extended profile's. */
    @Test
    void aProfileChangeReadsFullNameAndTheEarlierJobFieldsAsTheExtendedProfiles() {
        ProfilePatch patch = ProfilePatch.read(body("{\"full_name\": \"New Name\", \"current_title\": \"Engineer\", \"location\": \" Lagos \"}"));

        assertEquals("New Name", patch.name());
        assertEquals(Map.of("title", Optional.of("Engineer"), "location", Optional.of("Lagos")), patch.extendedProfile().orElseThrow().texts());
        assertEquals(Optional.empty(), ProfilePatch.read(body("{\"full_name\": \"New Name\"}")).extendedProfile());
        assertEquals(List.of(new FieldError("current_title", "must be at most 100 characters")),
                failures(() -> ProfilePatch.read(body("{\"current_title\": \"%s\"}".formatted("x".repeat(101))))));
    }

    @Test
    void aPatchStillRefusesReadOnlyFields() {
        assertEquals(List.of(FieldError.unknown("id"), FieldError.unknown("created_at")),
                failures(() -> ProfilePatch.read(body("{\"id\": \"x\", \"created_at\": \"y\"}"))));
    }

    /** The earlier FastAPI service's clients send only what changes: a PUT that cleared the rest would lose the username. */
    @Test
    void aPutChangesOnlyTheFieldsGivenAndIgnoresReadOnlyFieldsSentBackUnchanged() {
        User alice = identity.register("alice@example.com").user();
        identity.accountService.updateProfile(alice.id(), ProfilePatch.read(body(
                "{\"username\": \"alice_b\", \"phone\": \"+14155550123\", \"timezone\": \"Europe/Berlin\", \"attributes\": {\"plan\": \"pro\"}}")));

        User renamed = identity.accountService.updateProfile(alice.id(), ProfilePatch.readSentBack(body("{\"full_name\": \"Updated Name\"}")));

        assertEquals("Updated Name", renamed.name());
        assertEquals(List.of("alice_b", "+14155550123", "Europe/Berlin", Map.of("plan", "pro")),
                List.of(renamed.username(), renamed.phone(), renamed.timezone(), renamed.attributes()));
        Map<String, Object> fetched = Json.parseObject(Json.write(renamed));
        fetched.put("attributes", Map.of("team", "blue"));
        User merged = identity.accountService.updateProfile(alice.id(), ProfilePatch.readSentBack(fetched));
        assertEquals(Map.of("plan", "pro", "team", "blue"), merged.attributes(), "attributes merge, as in a PATCH");
    }

    /** A value stored before today's rules for new ones comes back in a PUT unchanged: it is kept, not refused. */
    @Test
    void aPutSendingBackAValueStoredUnderEarlierRulesKeepsItAndANewSuchValueIsRefused() {
        User alice = identity.register("alice@example.com").user();
        User stored = alice.withProfile(alice.email(), "\u202Enimda", null, "SystemV/EST5", "en", false, Map.of(), alice.updatedAt().plusSeconds(1));
        identity.accounts.update(alice, stored, Optional.empty(), List.of());
        Map<String, Object> fetched = Json.parseObject(Json.write(identity.accounts.findById(alice.id()).orElseThrow()));
        fetched.put("locale", "de");

        User changed = identity.accountService.updateProfile(alice.id(), ProfilePatch.readSentBack(fetched));
        assertEquals(List.of("de", "\u202Enimda", "SystemV/EST5"), List.of(changed.locale(), changed.name(), changed.timezone()));

        for (String field : List.of("name", "timezone")) {
            String value = field.equals("name") ? "\u202Eevil" : "SystemV/PST8";
            ServiceException refused = assertThrows(ServiceException.class, () -> identity.accountService.updateProfile(alice.id(),
                    ProfilePatch.read(Map.of(field, value))));
            assertEquals(List.of(field), refused.details().stream().map(FieldError::field).toList());
        }
    }

    @Test
    void aPutSendingBackAChangedReadOnlyFieldIsRefusedByNameAndChangesNothing() {
        User alice = identity.register("alice@example.com").user();
        Map<String, Object> fetched = Json.parseObject(Json.write(alice));
        fetched.put("role", "admin");
        fetched.put("email_verified", true);
        fetched.put("name", "Mallory");

        ServiceException refused = assertThrows(ServiceException.class,
                () -> identity.accountService.updateProfile(alice.id(), ProfilePatch.readSentBack(fetched)));

        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
        assertEquals(List.of("email_verified", "role"), refused.details().stream().map(FieldError::field).toList());
        assertEquals("Test User", identity.accounts.findById(alice.id()).orElseThrow().name());
    }

    @Test
    void theUsernameIsClaimedCaseInsensitivelyAndSignsInInPlaceOfTheEmail() {
        TokenGrant alice = register("alice@example.com", "Alice_1");

        assertEquals(ErrorCode.USERNAME_TAKEN, refusal(() -> register("bob@example.com", "alice_1")));
        assertTrue(identity.accounts.findByEmail("bob@example.com").isEmpty(), "a refused registration stores nothing");
        TokenGrant signedIn = identity.auth.login(LoginRequest.read(body(
                "{\"username\": \"ALICE_1\", \"password\": \"" + PASSWORD + "\"}")), identity.client(1));
        assertEquals(alice.user().id(), signedIn.user().id());
        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> identity.auth.login(LoginRequest.read(body(
                "{\"username\": \"nobody\", \"password\": \"" + PASSWORD + "\"}")), identity.client(1))));
    }

    @Test
    void aChangedOrReleasedUsernameIsFreeForOthers() {
        TokenGrant alice = register("alice@example.com", "alice");
        identity.accountService.updateProfile(alice.user().id(), ProfilePatch.read(body("{\"username\": \"alice2\"}")));

        TokenGrant bob = register("bob@example.com", "Alice");
        assertEquals(ErrorCode.USERNAME_TAKEN, refusal(() -> identity.accountService.updateProfile(bob.user().id(),
                ProfilePatch.read(body("{\"username\": \"ALICE2\"}")))));
        identity.accountService.updateProfile(alice.user().id(), ProfilePatch.read(body("{\"username\": null}")));
        assertEquals("alice2", identity.accountService.updateProfile(bob.user().id(),
                ProfilePatch.read(body("{\"username\": \"alice2\"}"))).username());
    }

    @Test
    void aSignInNamesAnEmailOrAUsernameNotBoth() {
        assertEquals(List.of(new FieldError("username", "signs in in place of email: send one of them")), failures(() ->
                LoginRequest.read(body("{\"username\": \"a\", \"email\": \"a@example.com\", \"password\": \"p\"}"))));
        assertEquals(List.of(new FieldError("email", "is required"), new FieldError("password", "is required")),
                failures(() -> LoginRequest.read(body("{}"))));
        assertEquals("a", LoginRequest.read(body("{\"username\": \"a\", \"email\": null, \"password\": \"p\"}")).username(),
                "a null email is none, as a form that sends every field has it");
    }

    @Test
    void aTokenResponseCarriesSimpleJwtsNamesToo() {
        TokenGrant grant = identity.register("alice@example.com");
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) grant.toJson();

        assertEquals(grant.accessToken(), json.get("access"));
        assertEquals(grant.refreshToken(), json.get("refresh"));
        assertEquals(grant.accessToken(), json.get("access_token"));
    }

    private TokenGrant register(String email, String username) {
        return identity.registrations.register(RegistrationRequest.read(body("{\"email\": \"" + email + "\", \"username\": \""
                + username + "\", \"name\": \"Test User\", \"password\": \"" + PASSWORD + "\"}"), identity.policy),
                identity.client(Math.floorMod(email.hashCode(), 250)));
    }

    private static Map<String, Object> body(String json) {
        return Json.parseObject(json);
    }

    private static List<FieldError> failures(org.junit.jupiter.api.function.Executable read) {
        ServiceException failure = assertThrows(ServiceException.class, read);
        assertEquals(ErrorCode.VALIDATION_FAILED, failure.error());
        return failure.details();
    }
}
