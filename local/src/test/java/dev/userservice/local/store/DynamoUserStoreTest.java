package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.Role;
import dev.userservice.events.EventType;
import dev.userservice.sessions.Session;
import dev.userservice.users.EmailTakenException;
import dev.userservice.events.UserEvent;
import dev.userservice.users.ActingAdminLostAccessException;
import dev.userservice.users.User;
import dev.userservice.users.UserStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Accounts, email claims and registrations as DynamoDB Local stores them, on the template's table. */
class DynamoUserStoreTest {
    private final IdentityStores stores = new IdentityStores();
    private final UserStore users = stores.users;

    @Test
    void aRegistrationStoresTheAccountItsEmailClaimAndItsFirstSession() {
        User user = stores.newUser();

        Session session = stores.registered(user);

        assertEquals(Optional.of(user), users.findById(user.id()));
        assertEquals(Optional.of(user), users.findByEmail(user.email()));
        assertEquals(Optional.of(session), stores.sessions.find(user.id(), session.id(), true));
        assertTrue(stores.sessions.findRefreshToken("refresh-" + session.id()).orElseThrow().current());
    }

    @Test
    void aSecondRegistrationOfAnEmailIsTakenAndStoresNothing() {
        User first = stores.newUser();
        stores.registered(first);
        User second = new User(UUID.randomUUID().toString(), first.email(), "Other", null, "UTC", "en", Role.USER,
                User.Status.ACTIVE, false, Map.of(), stores.now, stores.now, "$2b$04$other");
        Session session = stores.newSession(second.id());

        assertThrows(EmailTakenException.class, () -> stores.register(second, session, "refresh-" + session.id()));

        assertEquals(Optional.empty(), users.findById(second.id()));
        assertEquals(Optional.empty(), stores.sessions.find(second.id(), session.id(), true));
        assertEquals(first.id(), users.findByEmail(first.email()).orElseThrow().id());
    }

    @Test
    void anUpdateAppliesOnlyToTheAccountAsItWasRead() {
        User user = stores.newUser();
        stores.registered(user);
        User renamed = user.withProfile(user.email(), "Renamed", "+15551234567", "Europe/Paris", "fr", false,
                Map.of("plan", "team"), stores.now.plusSeconds(1));

        assertTrue(users.update(user, renamed, Optional.empty(), List.of(stores.event(EventType.USER_UPDATED, renamed))));
        assertFalse(users.update(user, user.withAccess(Role.ADMIN, User.Status.ACTIVE, stores.now.plusSeconds(2)),
                Optional.empty(), List.of()), "a write from the stale read is refused");

        assertEquals(Optional.of(renamed), users.findById(user.id()));
    }

    @Test
    void aNewEmailMovesTheClaimAndATakenOneIsRefused() {
        User user = stores.newUser();
        stores.registered(user);
        User other = stores.newUser();
        stores.registered(other);
        String newEmail = "moved-" + user.id() + "@example.com";
        User moved = user.withProfile(newEmail, user.name(), null, "UTC", "en", false, user.attributes(), stores.now.plusSeconds(1));

        assertTrue(users.update(user, moved, Optional.of(new UserStore.EmailVerification("verify-" + user.id(), stores.now.plusSeconds(3600))), List.of()));

        assertEquals(user.id(), users.findByEmail(newEmail).orElseThrow().id());
        assertEquals(Optional.empty(), users.findByEmail(user.email()), "the old address is free again");
        assertEquals(newEmail, stores.credentials.findEmailVerification("verify-" + user.id(), stores.now).orElseThrow().email());
        User stealing = moved.withProfile(other.email(), moved.name(), null, "UTC", "en", false, moved.attributes(), stores.now.plusSeconds(2));
        assertThrows(EmailTakenException.class, () -> users.update(moved, stealing, Optional.empty(), List.of()));
    }

    @Test
    void aDeletionFreesTheEmailAndAppliesOnlyToTheAccountAsRead() {
        User user = stores.newUser();
        stores.registered(user);
        User changed = user.withAccess(Role.USER, User.Status.DISABLED, stores.now.plusSeconds(1));
        users.update(user, changed, Optional.empty(), List.of());

        assertFalse(users.delete(user, stores.event(EventType.USER_DELETED, user)));
        assertTrue(users.delete(changed, stores.event(EventType.USER_DELETED, changed)));

        assertEquals(Optional.empty(), users.findById(user.id()));
        assertEquals(Optional.empty(), users.findByEmail(user.email()));
    }

    @Test
    void aListingByPrefixPagesThroughAccountsInEmailOrder() {
        String prefix = "list-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        for (String name : List.of("c", "a", "b")) {
            User user = stores.newUser();
            stores.registered(user.withProfile(prefix + name + "@example.com", user.name(), null, "UTC", "en", false,
                    user.attributes(), user.updatedAt()));
        }

        UserStore.UserPage first = users.listByEmail(Optional.of(prefix), Optional.empty(), 2);
        UserStore.UserPage second = users.listByEmail(Optional.of(prefix), first.next(), 2);

        assertEquals(List.of(prefix + "a@example.com", prefix + "b@example.com"), first.users().stream().map(User::email).toList());
        assertEquals(List.of(prefix + "c@example.com"), second.users().stream().map(User::email).toList());
        assertEquals(Optional.empty(), second.next());
    }

    @Test
    void theListingByKindReadsOnlyTheKindsAskedForInOrderAndPagesAcrossThem() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        User student = stored(tag + "-b@example.com", "student", Role.USER);
        User otherStudent = stored(tag + "-a@example.com", "student", Role.USER);
        User staffAdmin = stored(tag + "-c@example.com", "staff", Role.ADMIN);
        stored(tag + "-d@example.com", "member", Role.USER);
        List<UserStore.Kind> kinds = List.of(new UserStore.Kind("student", Role.USER, User.Status.ACTIVE, "basic"),
                new UserStore.Kind("staff", Role.ADMIN, User.Status.ACTIVE, "basic"));

        UserStore.KindPage first = users.listByKind(kinds, Optional.of(tag), Optional.empty(), 2);
        UserStore.KindPage second = users.listByKind(kinds, Optional.of(tag), first.next(), 2);

        assertEquals(List.of(otherStudent, student), first.users());
        assertEquals(List.of(staffAdmin), second.users());
        assertEquals(Optional.empty(), second.next());
    }

    /**
     * The kind index is eventually consistent: an account whose kind just changed may be in both kinds' partitions
     * while a listing reads them. It is listed once, and its profile read once (BatchGetItem refuses a key twice).
     */
    @Test
    void anAccountTheIndexShowsUnderTwoKindsIsListedOnce() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        User student = stored(tag + "-a@example.com", "student", Role.USER);
        showUnderStaffToo(student);
        List<UserStore.Kind> kinds = List.of(new UserStore.Kind("student", Role.USER, User.Status.ACTIVE, "basic"),
                new UserStore.Kind("staff", Role.USER, User.Status.ACTIVE, "basic"));

        assertEquals(List.of(student), users.listByKind(kinds, Optional.of(tag), Optional.empty(), 10).users());
    }

    /**
     * The index's entry of a kind the account has left since (demoted, re-enabled, upgraded, moved address): the
     * account is listed under the kind it has now, not under one the listing asked for and it no longer is.
     */
    @Test
    void anAccountTheIndexStillShowsUnderAKindItLeftIsNotListedThere() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        User student = stored(tag + "-a@example.com", "student", Role.USER);
        showUnderStaffToo(student);
        UserStore.Kind staff = new UserStore.Kind("staff", Role.USER, User.Status.ACTIVE, "basic");

        assertEquals(List.of(), users.listByKind(List.of(staff), Optional.of(tag), Optional.empty(), 10).users());
    }

    /** A change made as an admin is stored only while that admin's own account is an active admin, in the same write. */
    @Test
    void aChangeMadeAsAnAdminIsStoredOnlyWhileThatAdminIsOne() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        User admin = stored(tag + "-admin@example.com", "member", Role.ADMIN);
        User demoted = stored(tag + "-demoted@example.com", "member", Role.USER);
        User target = stored(tag + "-target@example.com", "member", Role.ADMIN);
        User disabled = target.withAccess(Role.ADMIN, User.Status.DISABLED, stores.now.plusSeconds(1));

        assertThrows(ActingAdminLostAccessException.class,
                () -> users.update(target, disabled, Optional.empty(), List.of(), Optional.of(demoted.id())));
        assertEquals(User.Status.ACTIVE, users.findById(target.id()).orElseThrow().status());
        assertTrue(users.update(target, disabled, Optional.empty(), List.of(), Optional.of(admin.id())));

        User deletedAdmin = users.findById(target.id()).orElseThrow();
        UserEvent deleted = stores.event(EventType.USER_DELETED, deletedAdmin);
        assertThrows(ActingAdminLostAccessException.class, () -> users.delete(deletedAdmin, deleted, Optional.of(demoted.id())));
        assertTrue(users.findById(target.id()).isPresent(), "a deletion too");
        assertTrue(users.delete(deletedAdmin, deleted, Optional.of(admin.id())));
    }

    @Test
    void anAccountStoredBeforeTypesHasTheDefaultTypeAndJoinsTheListingByKindAtItsNextChange() {
        User user = stores.newUser();
        stores.registered(user);
        stores.dynamo.updateItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("USER#" + user.id()),
                        "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("PROFILE")))
                .updateExpression("REMOVE account_type, gsi3pk, gsi3sk"));
        List<UserStore.Kind> members = List.of(new UserStore.Kind("member", Role.USER, User.Status.ACTIVE, "basic"));

        User legacy = users.findById(user.id()).orElseThrow();
        assertEquals("member", legacy.type());
        assertEquals(List.of(), users.listByKind(members, Optional.of(user.email()), Optional.empty(), 10).users());

        User staff = legacy.withManagement("staff", Role.USER, User.Status.ACTIVE, legacy.attributes(), stores.now.plusSeconds(1));
        assertTrue(users.update(legacy, staff, Optional.empty(), List.of(stores.event(EventType.USER_UPDATED, staff))));

        assertEquals(List.of(staff), users.listByKind(List.of(new UserStore.Kind("staff", Role.USER, User.Status.ACTIVE, "basic")),
                Optional.of(user.email()), Optional.empty(), 10).users());
    }

    private User stored(String email, String type, Role role) {
        String id = UUID.randomUUID().toString();
        User user = new User(id, email, "Listed", null, "UTC", "en", role, User.Status.ACTIVE, false, Map.of(), stores.now,
                stores.now, "$2b$04$" + id, null, type, "basic");
        stores.registered(user);
        return user;
    }

    /**
     * The index's lagging entry for a kind the account had, staff: an item of the account's partition under that
     * kind's key, as the index shows for a moment after a change.
     */
    private void showUnderStaffToo(User account) {
        stores.dynamo.putItem(request -> request.tableName(DynamoDbLocalTable.TABLE).item(Map.of(
                "pk", AttributeValue.fromS("USER#" + account.id()), "sk", AttributeValue.fromS("LAGGING_INDEX_ENTRY"),
                "gsi3pk", AttributeValue.fromS("ACCOUNTS#staff#user#active#basic"), "gsi3sk", AttributeValue.fromS(account.email()))));
    }
}
