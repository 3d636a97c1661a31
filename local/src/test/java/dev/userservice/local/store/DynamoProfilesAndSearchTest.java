package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.accounts.Profile;
import dev.userservice.accounts.UserDirectory;
import dev.userservice.accounts.Visibility;
import dev.userservice.store.DynamoProfileStore;
import dev.userservice.store.DynamoUserDirectory;
import dev.userservice.users.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Extended profiles, plans and the search indexes as DynamoDB Local stores them, on the template's table. */
class DynamoProfilesAndSearchTest {
    private final IdentityStores stores = new IdentityStores();
    private final DynamoProfileStore profiles = new DynamoProfileStore(stores.dynamo, DynamoDbLocalTable.TABLE);
    private final DynamoUserDirectory directory = new DynamoUserDirectory(stores.dynamo, DynamoDbLocalTable.TABLE);

    @Test
    void aProfileIsWrittenOnlyOverTheVersionReadAndOnlyForAnAccountThatExists() {
        User user = stores.newUser();
        stores.registered(user);
        Profile first = new Profile(null, "Hello", null, null, List.of("https://example.com"), Map.of("bio", Visibility.PRIVATE), stores.now);

        assertFalse(profiles.save(stores.newUser(), Optional.empty(), first), "no account, no profile");
        assertTrue(profiles.save(user, Optional.empty(), first));
        assertFalse(profiles.save(user, Optional.empty(), first), "a second first write lost the race");
        assertEquals(Optional.of(first), profiles.find(user.id()));
    }

    @Test
    void anAccountStoredWithoutAPlanReadsOnTheDefaultOne() {
        User user = stores.newUser();
        stores.registered(user.withPlan(null, user.updatedAt()));

        assertEquals("basic", stores.users.findById(user.id()).orElseThrow().plan());
    }

    @Test
    void aSearchFindsTheStartOfANameOrUsernameInPagesAndFollowsARename() {
        String family = family("zq");
        User first = named(family + " one");
        User second = named(family + " two");
        stores.registered(first);
        stores.registered(second);

        UserDirectory.Page page = directory.search(UserDirectory.Field.NAME, family, Optional.empty(), 1);
        UserDirectory.Page rest = directory.search(UserDirectory.Field.NAME, family, page.next(), 5);
        assertEquals(List.of(first.id()), page.hits().stream().map(UserDirectory.Hit::id).toList());
        assertEquals(List.of(second.id()), rest.hits().stream().map(UserDirectory.Hit::id).toList());
        assertEquals(Optional.empty(), rest.next());

        User renamed = second.withProfile(second.email(), "Someone", null, "UTC", "en", false, Map.of(), stores.now.plusSeconds(1))
                .withUsername(family + "_handle", stores.now.plusSeconds(1));
        assertTrue(stores.users.update(second, renamed, Optional.empty(), List.of()));
        assertEquals(List.of(first.id()), directory.search(UserDirectory.Field.NAME, family, Optional.empty(), 5).hits()
                .stream().map(UserDirectory.Hit::id).toList());
        assertEquals(List.of(second.id()), directory.search(UserDirectory.Field.USERNAME, family, Optional.empty(), 5).hits()
                .stream().map(UserDirectory.Hit::id).toList());
        assertEquals(List.of(first.email()), directory.search(UserDirectory.Field.EMAIL, first.email(), Optional.empty(), 5).hits()
                .stream().map(UserDirectory.Hit::email).toList());
    }

    @Test
    void aPrivateNameLeavesThePartitionAUsersSearchReadsAndComesBackWhenMadePublic() {
        String family = family("zp");
        User user = registeredNamed(family + " one");

        assertTrue(profiles.save(user, Optional.empty(), withNameVisibility(Visibility.PRIVATE, stores.now)));
        User hidden = stores.users.findById(user.id()).orElseThrow();
        assertTrue(hidden.namePrivate());
        assertEquals(List.of(), ids(UserDirectory.Field.NAME, family), "not even read by a user's search");
        assertEquals(List.of(user.id()), ids(UserDirectory.Field.PRIVATE_NAME, family), "admins and services find it");

        assertTrue(profiles.save(hidden, Optional.of(stores.now), withNameVisibility(Visibility.PREMIUM, stores.now.plusSeconds(1))));
        assertFalse(stores.users.findById(user.id()).orElseThrow().namePrivate());
        assertEquals(List.of(user.id()), ids(UserDirectory.Field.NAME, family));
        assertEquals(List.of(), ids(UserDirectory.Field.PRIVATE_NAME, family));
    }

    @Test
    void aRenameAndAChangeOfTheNamesPrivacyRacingEachOtherLeaveTheNameWhereItsPrivacySays() {
        String family = family("zr");
        User user = registeredNamed(family + " one");
        User renamed = user.withProfile(user.email(), family + " two", null, "UTC", "en", false, Map.of(), stores.now.plusSeconds(1));

        // The privacy change commits between the rename's read and its write: the rename is refused, and its retry
        // reads the private name and keeps it private.
        assertTrue(profiles.save(user, Optional.empty(), withNameVisibility(Visibility.PRIVATE, stores.now)));
        assertFalse(stores.users.update(user, renamed, Optional.empty(), List.of()), "written over a privacy it did not read");
        User read = stores.users.findById(user.id()).orElseThrow();
        assertTrue(stores.users.update(read, read.withProfile(read.email(), family + " two", null, "UTC", "en", false, Map.of(),
                stores.now.plusSeconds(1)), Optional.empty(), List.of()));
        assertEquals(List.of(), ids(UserDirectory.Field.NAME, family));
        assertEquals(List.of(family + " two"), names(UserDirectory.Field.PRIVATE_NAME, family));

        // The rename commits between the privacy change's read and its write: the change is refused, and its retry
        // moves the new name.
        User beforeRename = stores.users.findById(user.id()).orElseThrow();
        User again = beforeRename.withProfile(beforeRename.email(), family + " three", null, "UTC", "en", false, Map.of(),
                stores.now.plusSeconds(2));
        assertTrue(stores.users.update(beforeRename, again, Optional.empty(), List.of()));
        assertFalse(profiles.save(beforeRename, Optional.of(stores.now), withNameVisibility(Visibility.PUBLIC, stores.now.plusSeconds(3))),
                "made public under a name it did not read");
        assertTrue(profiles.save(stores.users.findById(user.id()).orElseThrow(), Optional.of(stores.now),
                withNameVisibility(Visibility.PUBLIC, stores.now.plusSeconds(3))));
        assertEquals(List.of(family + " three"), names(UserDirectory.Field.NAME, family));
        assertEquals(List.of(), ids(UserDirectory.Field.PRIVATE_NAME, family));
    }

    @Test
    void aProfileWriteOverAnAccountReadBeforeItsNamesPrivacyChangedIsRefused() {
        String family = family("zs");
        User stale = registeredNamed(family + " one");
        assertTrue(profiles.save(stale, Optional.empty(), withNameVisibility(Visibility.PRIVATE, stores.now)));

        // Read before the change above, with the profile read after it: public again, as the stale account said.
        assertFalse(profiles.save(stale, Optional.of(stores.now), withNameVisibility(Visibility.PUBLIC, stores.now.plusSeconds(1))));

        assertTrue(profiles.save(stores.users.findById(stale.id()).orElseThrow(), Optional.of(stores.now),
                withNameVisibility(Visibility.PUBLIC, stores.now.plusSeconds(1))));
        assertEquals(List.of(stale.id()), ids(UserDirectory.Field.NAME, family), "the retry moved it");
    }

    private static Profile withNameVisibility(Visibility visibility, java.time.Instant at) {
        return new Profile(null, null, null, null, List.of(), Map.of("name", visibility), at);
    }

    private List<String> ids(UserDirectory.Field field, String prefix) {
        return directory.search(field, prefix, Optional.empty(), 5).hits().stream().map(UserDirectory.Hit::id).toList();
    }

    private List<String> names(UserDirectory.Field field, String prefix) {
        return directory.search(field, prefix, Optional.empty(), 5).hits().stream().map(UserDirectory.Hit::name).toList();
    }

    /** A name prefix no other test's accounts share. */
    private static String family(String start) {
        return start + UUID.randomUUID().toString().substring(0, 8);
    }

    private User registeredNamed(String name) {
        User user = named(name);
        stores.registered(user);
        return user;
    }

    private User named(String name) {
        User user = stores.newUser();
        return user.withProfile(user.email(), name, null, "UTC", "en", false, Map.of(), user.updatedAt());
    }
}
