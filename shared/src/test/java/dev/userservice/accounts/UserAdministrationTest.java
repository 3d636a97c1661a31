package dev.userservice.accounts;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.paging.Cursors;
import dev.userservice.sessions.LoginRequest;
import dev.userservice.sessions.TokenGrant;
import dev.userservice.testing.IdentityServices;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UserAdministrationTest {
    private final IdentityServices identity = new IdentityServices();
    private final UserAdministration administration = identity.administration;
    private final Principal admin = identity.principal(identity.register("admin@example.com"));

    /** The caller's own account an admin, as a real caller's is (the store checks it when an admin's access is taken). */
    private void callerIsAnAdmin() {
        administration.promote(new AdminPromotion("admin@example.com"));
    }

    /**
     * Two admins taking each other's access at the same moment: each request passed its token check, the first is
     * stored, and the second finds its own admin no longer one. One admin stays.
     */
    @Test
    void ofTwoAdminsDemotingEachOtherAtOnceOnlyOneSucceeds() {
        callerIsAnAdmin();
        TokenGrant other = identity.register("other-admin@example.com");
        administration.promote(new AdminPromotion("other-admin@example.com"));
        Principal otherAdmin = identity.principal(other);

        administration.changeAccess(admin, other.user().id(), AccessChange.read(Map.of("role", "user"), AccountTypes.DEFAULTS));

        assertEquals(ErrorCode.FORBIDDEN, refusal(() -> administration.changeAccess(otherAdmin, admin.subject(),
                AccessChange.read(Map.of("status", "disabled"), AccountTypes.DEFAULTS))));
        User kept = identity.accounts.findById(admin.subject()).orElseThrow();
        assertTrue(kept.isAdmin() && kept.isActive());
    }

    @Test
    void disablingAnAccountEndsItsSessionsAtOnce() {
        TokenGrant grant = identity.register("alice@example.com");

        User disabled = administration.changeAccess(admin, grant.user().id(), AccessChange.read(Map.of("status", "disabled"), AccountTypes.DEFAULTS));

        assertEquals(User.Status.DISABLED, disabled.status());
        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(grant.accessToken())));
    }

    @Test
    void takingTheAdminRoleAwayEndsItsSessionsAtOnce() {
        callerIsAnAdmin();
        TokenGrant grant = identity.register("alice@example.com");
        administration.changeAccess(admin, grant.user().id(), AccessChange.read(Map.of("role", "admin"), AccountTypes.DEFAULTS));
        identity.auth.authenticate(grant.accessToken());

        administration.changeAccess(admin, grant.user().id(), AccessChange.read(Map.of("role", "user"), AccountTypes.DEFAULTS));

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(grant.accessToken())));
    }

    /**
     * The revocations after the change fail: the change's own write ended the sessions, so the change answers as
     * done (a 503 would say nothing was), and the cache learns of the sessions all the same.
     */
    @Test
    void takingTheAdminRoleAwayEndsItsSessionsEvenWhenTheRevocationsFail() {
        callerIsAnAdmin();
        TokenGrant grant = identity.register("alice@example.com");
        administration.changeAccess(admin, grant.user().id(), AccessChange.read(Map.of("role", "admin"), AccountTypes.DEFAULTS));
        TokenGrant asAdmin = identity.auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, "laptop"),
                identity.client(1));
        identity.auth.authenticate(asAdmin.accessToken());
        identity.sessionStore.failRevocations();

        User demoted = administration.changeAccess(admin, grant.user().id(), AccessChange.read(Map.of("role", "user"), AccountTypes.DEFAULTS));

        assertEquals(Role.USER, demoted.role());
        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(asAdmin.accessToken())),
                "refused at once, though its active marker was cached before the change");
    }

    /** A sign-in that read the admin role while it was being taken away checks again, and its token claims what is left. */
    @Test
    void aSignInRacingTheLossOfTheAdminRoleGetsATokenWithoutIt() {
        callerIsAnAdmin();
        TokenGrant grant = identity.register("alice@example.com");
        administration.changeAccess(admin, grant.user().id(), AccessChange.read(Map.of("role", "admin"), AccountTypes.DEFAULTS));
        identity.sessionStore.beforeTheNextSessionIsWritten(() -> {
            administration.changeAccess(admin, grant.user().id(), AccessChange.read(Map.of("role", "user"), AccountTypes.DEFAULTS));
            identity.clock.advance(Duration.ofSeconds(1));
        });

        TokenGrant racing = identity.auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, "laptop"),
                identity.client(1));

        assertFalse(identity.auth.authenticate(racing.accessToken()).isAdmin());
    }

    /**
     * A sign-in that checked the password while the account was being disabled gets no session: one stored after the
     * disable would come back to life when the account is enabled again.
     */
    @Test
    void aSignInRacingTheDisablingOfTheAccountIsRefused() {
        TokenGrant grant = identity.register("alice@example.com");
        identity.sessionStore.beforeTheNextSessionIsWritten(() -> {
            administration.changeAccess(admin, grant.user().id(), AccessChange.read(Map.of("status", "disabled"), AccountTypes.DEFAULTS));
            identity.clock.advance(Duration.ofSeconds(1));
        });

        assertEquals(ErrorCode.ACCOUNT_DISABLED, refusal(() -> identity.auth.login(
                new LoginRequest("alice@example.com", IdentityServices.PASSWORD, "laptop"), identity.client(1))));
        administration.changeAccess(admin, grant.user().id(), AccessChange.read(Map.of("status", "active"), AccountTypes.DEFAULTS));
        assertEquals(List.of(), identity.sessionStore.listActive(grant.user().id(), identity.clock.instant(), Duration.ofDays(30)),
                "the registration's session was revoked, and the racing sign-in stored none");
    }

    /** A client that sends the whole account back names its role and status as they are: that takes nothing away. */
    @Test
    void anEditNamingTheRoleAndStatusTheAccountHasKeepsItsSessions() {
        TokenGrant grant = identity.register("alice@example.com");

        User edited = administration.changeAccess(admin, grant.user().id(), AccessChange.read(
                Map.of("role", "user", "status", "active", "attributes", Map.of("department", "sales")), AccountTypes.DEFAULTS));

        assertEquals(Map.of("department", "sales"), edited.attributes());
        assertEquals(grant.user().id(), identity.auth.authenticate(grant.accessToken()).subject());
    }

    @Test
    void anAdminCannotChangeTheirOwnAccess() {
        assertEquals(ErrorCode.FORBIDDEN, refusal(() ->
                administration.changeAccess(admin, admin.subject(), AccessChange.read(Map.of("role", "user"), AccountTypes.DEFAULTS))));
    }

    @Test
    void anUnknownAccountIsNotFound() {
        assertEquals(ErrorCode.NOT_FOUND, refusal(() ->
                administration.changeAccess(admin, "not-an-id", AccessChange.read(Map.of("status", "active"), AccountTypes.DEFAULTS))));
    }

    @Test
    void anUnknownRoleIsAValidationFailureNamingTheChoices() {
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> AccessChange.read(Map.of("role", "root"), AccountTypes.DEFAULTS)));
    }

    @Test
    void listingPagesThroughAccountsInEmailOrder() {
        identity.register("carol@example.com");
        identity.register("bob@example.com");

        Cursors.Page first = administration.list(UserListing.read(Map.of("limit", "2"), AccountTypes.DEFAULTS, Plans.DEFAULT));
        Cursors.Page second = administration.list(UserListing.read(Map.of("limit", "2", "cursor", first.nextCursor().orElseThrow()), AccountTypes.DEFAULTS, Plans.DEFAULT));

        assertEquals(List.of("admin@example.com", "bob@example.com"), emails(first));
        assertEquals(List.of("carol@example.com"), emails(second));
        assertTrue(second.nextCursor().isEmpty());
    }

    @Test
    void aCursorFromAListingWithAnotherPrefixIsRefused() {
        identity.register("bob@example.com");
        identity.register("bobby@example.com");
        String cursor = administration.list(UserListing.read(Map.of("limit", "1"), AccountTypes.DEFAULTS, Plans.DEFAULT)).nextCursor().orElseThrow();

        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() ->
                administration.list(UserListing.read(Map.of("email_prefix", "bob", "cursor", cursor), AccountTypes.DEFAULTS, Plans.DEFAULT))));
    }

    /** 32 characters that NFKC makes 576: longer than any email, so refused, not sent to DynamoDB's index key. */
    @Test
    void anEmailPrefixThatNormalisationLengthensBeyondAnEmailIsRefused() {
        ServiceException refused = assertThrows(ServiceException.class, () ->
                UserListing.read(Map.of("email_prefix", "\uFDFA".repeat(32)), AccountTypes.DEFAULTS, Plans.DEFAULT));

        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
        assertEquals("email_prefix", refused.details().getFirst().field());
    }

    @Test
    void promotionMakesAnAdminOnceAndSaysWhetherItChangedAnything() {
        identity.register("alice@example.com");

        UserAdministration.Promotion first = administration.promote(new AdminPromotion("alice@example.com")).orElseThrow();
        UserAdministration.Promotion again = administration.promote(new AdminPromotion("alice@example.com")).orElseThrow();

        assertEquals(Role.ADMIN, first.user().role());
        assertTrue(first.changed());
        assertFalse(again.changed());
        assertEquals(Optional.empty(), administration.promote(new AdminPromotion("nobody@example.com")));
    }

    /** The way back when no admin can sign in: every admin disabled, say, by another before being disabled too. */
    @Test
    void promotingADisabledAdminEnablesTheAccountAgain() {
        String alice = identity.principal(identity.register("alice@example.com")).subject();
        administration.promote(new AdminPromotion("alice@example.com"));
        identity.accounts.update(identity.accounts.findById(alice).orElseThrow(),
                identity.accounts.findById(alice).orElseThrow().withAccess(Role.ADMIN, User.Status.DISABLED, identity.clock.instant()),
                Optional.empty(), List.of());

        UserAdministration.Promotion promotion = administration.promote(new AdminPromotion("alice@example.com")).orElseThrow();

        assertTrue(promotion.changed());
        assertEquals(User.Status.ACTIVE, promotion.user().status());
        assertEquals(User.Status.ACTIVE, identity.accounts.findById(alice).orElseThrow().status());
    }

    @Test
    void aFilteredListingsCursorIsRefusedOnceThePlansOrTypesChangedTheKindsItCounted() {
        for (int i = 0; i < 3; i++) {
            identity.register("u" + i + "@example.com");
        }
        String cursor = administration.list(UserListing.read(Map.of("status", "active", "limit", "1"), AccountTypes.DEFAULTS, Plans.DEFAULT))
                .nextCursor().orElseThrow();
        Plans reordered = Plans.parse("basic,plus,premium");
        UserAdministration afterTheChange = new UserAdministration(identity.accounts, identity.userViews, identity.guard, identity.cursors,
                AccountTypes.DEFAULTS, reordered, identity.clock);

        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> afterTheChange.list(UserListing.read(Map.of("status", "active",
                "cursor", cursor), AccountTypes.DEFAULTS, reordered))), "its kind's place in the list means another kind now");
    }

    @SuppressWarnings("unchecked")
    private static List<String> emails(Cursors.Page page) {
        return page.items().stream().map(item -> (String) ((Map<String, Object>) item).get("email")).toList();
    }

    @Test
    void aFilteredListingWalksTheMatchingKindsInOrderAndItsCursorBindsTheFilter() {
        AdminAccounts creator = identity.adminAccounts;
        for (String[] account : new String[][] {{"s2@example.com", "student", "user"}, {"s1@example.com", "student", "user"},
                {"t1@example.com", "staff", "admin"}, {"s3@example.com", "student", "admin"}}) {
            creator.create(UserCreation.read(Map.of("email", account[0], "name", "N", "type", account[1], "role", account[2],
                    "password", dev.userservice.testing.IdentityServices.PASSWORD), AccountTypes.DEFAULTS, identity.policy));
        }
        String disabled = creator.create(UserCreation.read(Map.of("email", "s0@example.com", "name", "N", "type", "student"),
                AccountTypes.DEFAULTS, identity.policy)).id();
        administration.changeAccess(admin, disabled, AccessChange.read(Map.of("status", "disabled"), AccountTypes.DEFAULTS));

        Cursors.Page first = administration.list(UserListing.read(Map.of("type", "student", "limit", "2"), AccountTypes.DEFAULTS, Plans.DEFAULT));
        Cursors.Page second = administration.list(UserListing.read(Map.of("type", "student", "limit", "2",
                "cursor", first.nextCursor().orElseThrow()), AccountTypes.DEFAULTS, Plans.DEFAULT));

        assertEquals(List.of("s1@example.com", "s2@example.com"), emails(first), "active users first, in email order");
        assertEquals(List.of("s0@example.com", "s3@example.com"), emails(second), "then disabled users, then admins");
        assertEquals(Optional.empty(), second.nextCursor());
        assertEquals(List.of("s3@example.com", "t1@example.com"), emails(administration.list(
                UserListing.read(Map.of("role", "admin", "status", "active"), AccountTypes.DEFAULTS, Plans.DEFAULT))), "types in their configured order");
        assertEquals(List.of("s0@example.com"), emails(administration.list(UserListing.read(Map.of("status", "disabled"), AccountTypes.DEFAULTS, Plans.DEFAULT))));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> administration.list(UserListing.read(Map.of("type", "staff",
                "cursor", first.nextCursor().orElseThrow()), AccountTypes.DEFAULTS, Plans.DEFAULT))), "a cursor of another filter");
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> administration.list(UserListing.read(Map.of(
                "cursor", first.nextCursor().orElseThrow()), AccountTypes.DEFAULTS, Plans.DEFAULT))), "a filtered cursor, unfiltered");
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> UserListing.read(Map.of("type", "alumnus"), AccountTypes.DEFAULTS, Plans.DEFAULT)));
    }

    @Test
    void anAdminChangesTypeAndMergesAttributes() {
        TokenGrant alice = identity.register("alice@example.com");

        User changed = administration.changeAccess(admin, alice.user().id(),
                AccessChange.read(Map.of("type", "staff", "attributes", Map.of("room", "B12")), AccountTypes.DEFAULTS));
        User again = administration.changeAccess(admin, alice.user().id(),
                AccessChange.read(Map.of("attributes", Map.of("floor", 2L)), AccountTypes.DEFAULTS));

        assertEquals("staff", changed.type());
        assertEquals(Map.of("room", "B12", "floor", 2L), again.attributes());
        assertEquals(List.of("attributes"), identity.lastEvent(dev.userservice.events.EventType.USER_UPDATED).data().get("changed"));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> AccessChange.read(Map.of("type", "alumnus"), AccountTypes.DEFAULTS)));
    }
}
