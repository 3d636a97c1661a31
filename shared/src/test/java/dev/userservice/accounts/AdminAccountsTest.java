package dev.userservice.accounts;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.EventType;
import dev.userservice.events.UserEvent;
import dev.userservice.sessions.LoginRequest;
import dev.userservice.sessions.TokenGrant;
import dev.userservice.testing.IdentityServices;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminAccountsTest {
    private final IdentityServices identity = new IdentityServices();
    private final AdminAccounts accounts = identity.adminAccounts;
    private final Principal admin = identity.principal(identity.register("admin@example.com"));

    @Test
    void anInvitedAccountSignsInOnlyAfterItsTokenSetsAPasswordAndTheTokenWorksOnce() {
        User sam = accounts.create(creation(Map.of("email", "sam@example.com", "name", "Sam", "type", "student")));

        assertEquals("student", sam.type());
        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> signIn("sam@example.com", IdentityServices.PASSWORD)));
        UserEvent invited = identity.lastEvent(EventType.USER_INVITED);
        assertEquals(sam.id(), invited.userId());
        assertEquals("student", invited.data().get("type"));
        assertEquals(sam.id(), identity.lastEvent(EventType.USER_REGISTERED).userId());
        String token = IdentityServices.mailedToken(invited);
        assertFalse(sam.emailVerified());

        identity.passwords.confirmReset(new PasswordReset(token, IdentityServices.PASSWORD));

        assertEquals(sam.id(), signIn("sam@example.com", IdentityServices.PASSWORD).user().id());
        assertTrue(identity.accounts.findById(sam.id()).orElseThrow().emailVerified(), "the invitation reached the mailbox");
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() ->
                identity.passwords.confirmReset(new PasswordReset(token, "another lilac tractor honey"))));
    }

    @Test
    void anInvitationExpiresAfterSevenDays() {
        accounts.create(creation(Map.of("email", "late@example.com", "name", "Late")));
        String token = IdentityServices.mailedToken(identity.lastEvent(EventType.USER_INVITED));

        identity.clock.advance(AdminAccounts.INVITATION_LIFETIME.plus(Duration.ofSeconds(1)));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() ->
                identity.passwords.confirmReset(new PasswordReset(token, IdentityServices.PASSWORD))));
    }

    @Test
    void anAccountCreatedWithAPasswordSignsInAtOnceWithItsTypeAndRoleAndInvitesNobody() {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("email", "stef@example.com", "name", "Stef", "type", "staff",
                "role", "admin", "password", IdentityServices.PASSWORD));
        body.put("attributes", Map.of("department", "physics"));

        User stef = accounts.create(creation(body));

        TokenGrant grant = signIn("stef@example.com", IdentityServices.PASSWORD);
        assertEquals(stef.id(), grant.user().id());
        assertEquals(Role.ADMIN, stef.role());
        assertEquals(Map.of("department", "physics"), stef.attributes());
        assertTrue(identity.accounts.events().stream().noneMatch(event -> event.type() == EventType.USER_INVITED));
    }

    @Test
    void theDefaultTypeIsTheFirstAndSelfRegistrationGetsIt() {
        assertEquals("member", accounts.create(creation(Map.of("email", "m@example.com", "name", "M"))).type());
        assertEquals("member", identity.register("self@example.com").user().type());
    }

    @Test
    void badCreationsAreValidationFailuresNamingTheirFields() {
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("email", "x@example.com", "name", "X", "type", "alumnus"),
                Map.of("email", "x@example.com", "name", "X", "role", "service"),
                Map.of("email", "x@example.com", "name", "X", "password", "short"),
                Map.of("email", "x@example.com", "name", "X", "attributes", Map.of("Bad Key", 1)),
                Map.of("email", "x@example.com", "name", "X", "status", "active"))) {
            assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> creation(body)), body.toString());
        }
        assertEquals(ErrorCode.EMAIL_TAKEN, refusal(() -> accounts.create(creation(Map.of("email", "admin@example.com", "name", "X")))));
    }

    /** Too many attributes are one problem among the body's others, all reported together. */
    @Test
    void attributesOverTheLimitsAreReportedWithTheOtherBadFields() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i < 51; i++) {
            attributes.put("key_" + i, "value");
        }
        ServiceException refused = assertThrows(ServiceException.class,
                () -> creation(Map.of("email", "not an email", "name", "X", "attributes", attributes)));

        assertEquals(List.of("email", "attributes"), refused.details().stream().map(FieldError::field).sorted(java.util.Comparator.reverseOrder()).toList());
    }

    @Test
    void anAdminDeletesAnotherAccountAsItsOwnerWouldAndTheEventSaysSo() {
        TokenGrant alice = identity.register("alice@example.com");

        accounts.delete(admin, alice.user().id(), Optional.empty());

        assertTrue(identity.accounts.findById(alice.user().id()).isEmpty());
        assertEquals(List.of(alice.user().id()), identity.accounts.erased());
        UserEvent deleted = identity.lastEvent(EventType.USER_DELETED);
        assertEquals(Map.of("email", "alice@example.com", "by", "admin"), deleted.data());
        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(alice.accessToken())));
        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> accounts.delete(admin, alice.user().id(), Optional.empty())));
    }

    /**
     * Two admins deleting each other at the same moment: each request passed its token check, the first is stored,
     * and the second finds its own admin gone. One admin stays, as when they demote each other.
     */
    @Test
    void ofTwoAdminsDeletingEachOtherAtOnceOnlyOneSucceeds() {
        identity.administration.promote(new AdminPromotion("admin@example.com"));
        TokenGrant other = identity.register("other-admin@example.com");
        identity.administration.promote(new AdminPromotion("other-admin@example.com"));
        Principal otherAdmin = identity.principal(other);

        accounts.delete(admin, other.user().id(), Optional.empty());

        assertEquals(ErrorCode.FORBIDDEN, refusal(() -> accounts.delete(otherAdmin, admin.subject(), Optional.empty())));
        User kept = identity.accounts.findById(admin.subject()).orElseThrow();
        assertTrue(kept.isAdmin() && kept.isActive());
    }

    @Test
    void anAdminDeletesTheirOwnAccountOnlyAsItsOwner() {
        assertEquals(ErrorCode.FORBIDDEN, refusal(() -> accounts.delete(admin, admin.subject(), Optional.empty())));
        assertFalse(identity.accounts.findById(admin.subject()).isEmpty());
    }

    @Test
    void anEarlierServicesCollectionRefusesAFilterForOtherAccountsThanItHolds() {
        AccountView students = AccountView.ofRoute("GET /api/v1/users/students", AccountTypes.DEFAULTS).orElseThrow();
        AccountView admins = AccountView.ofRoute("GET /api/v1/users/admins", AccountTypes.DEFAULTS).orElseThrow();

        ServiceException staff = assertThrows(ServiceException.class,
                () -> UserListing.read(Map.of("type", "staff"), AccountTypes.DEFAULTS, Plans.DEFAULT).within(students));
        ServiceException users = assertThrows(ServiceException.class,
                () -> UserListing.read(Map.of("role", "user"), AccountTypes.DEFAULTS, Plans.DEFAULT).within(admins));

        assertEquals(List.of("type"), staff.details().stream().map(FieldError::field).toList());
        assertEquals(List.of("role"), users.details().stream().map(FieldError::field).toList());
        assertEquals(Optional.of("student"),
                UserListing.read(Map.of("type", "student"), AccountTypes.DEFAULTS, Plans.DEFAULT).within(students).type());
    }

    @Test
    void withinAnEarlierServicesViewAnAccountOfAnotherTypeIsNotFound() {
        User staff = accounts.create(creation(Map.of("email", "t@example.com", "name", "T", "type", "staff")));
        Optional<AccountView> students = AccountView.ofRoute("DELETE /api/v1/users/students/{id}", AccountTypes.DEFAULTS);

        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> accounts.delete(admin, staff.id(), students)));
        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> identity.administration.changeAccess(admin, staff.id(),
                AccessChange.read(Map.of("status", "disabled"), AccountTypes.DEFAULTS), students)));
        assertEquals(User.Status.ACTIVE, identity.accounts.findById(staff.id()).orElseThrow().status());
        accounts.delete(admin, staff.id(), AccountView.ofRoute("DELETE /api/v1/users/staff/{id}", AccountTypes.DEFAULTS));
    }

    /** The earlier Django lists' page numbers and search are refused with what takes their place. */
    @Test
    void aListsEarlierPageNumberAndSearchSayWhatTakesTheirPlace() {
        ServiceException refused = assertThrows(ServiceException.class,
                () -> UserListing.read(Map.of("page", "1", "search", "ann"), AccountTypes.DEFAULTS, Plans.DEFAULT));

        Map<String, String> messages = new java.util.TreeMap<>();
        refused.details().forEach(detail -> messages.put(detail.field(), detail.message()));
        assertEquals(List.of("page", "search"), List.copyOf(messages.keySet()));
        assertTrue(messages.get("page").contains("cursor"), messages.get("page"));
        assertTrue(messages.get("search").contains("/api/v1/users/search"), messages.get("search"));
    }

    /** An earlier admin screen renamed people: its change is refused with where such a change is made now. */
    @Test
    void anAdminsChangeOfAPersonsOwnDetailsSaysWhoChangesThem() {
        ServiceException refused = assertThrows(ServiceException.class, () -> AccessChange.read(
                Map.of("name", "Renamed", "full_name", "Renamed", "email", "x@example.com", "status", "disabled"), AccountTypes.DEFAULTS));

        assertEquals(List.of("email", "full_name", "name"), refused.details().stream().map(FieldError::field).sorted().toList());
        refused.details().forEach(detail -> assertTrue(detail.message().contains("PATCH /api/v1/users/me"), detail.message()));
    }

    @Test
    void aViewOfATypeTheDeploymentLacksIsNotFound() {
        AccountTypes others = AccountTypes.parse("employee,contractor");

        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> AccountView.ofRoute("GET /api/v1/users/students", others)));
        assertEquals(Optional.of(Role.ADMIN), AccountView.ofRoute("GET /api/v1/users/admins", others).orElseThrow().role());
        assertTrue(AccountView.ofRoute("GET /api/v1/users", others).isEmpty());
        assertTrue(AccountView.ofRoute("PATCH /api/v1/users/{id}", others).isEmpty());
    }

    private UserCreation creation(Map<String, Object> body) {
        return UserCreation.read(body, AccountTypes.DEFAULTS, identity.policy);
    }

    private TokenGrant signIn(String email, String password) {
        return identity.auth.login(new LoginRequest(email, password, null), identity.client(7));
    }
}
