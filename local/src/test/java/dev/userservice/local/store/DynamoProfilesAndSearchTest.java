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

        assertFalse(profiles.save(UUID.randomUUID().toString(), Optional.empty(), first), "no account, no profile");
        assertTrue(profiles.save(user.id(), Optional.empty(), first));
        assertFalse(profiles.save(user.id(), Optional.empty(), first), "a second first write lost the race");
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
        String family = "zq" + UUID.randomUUID().toString().substring(0, 8);
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

    private User named(String name) {
        User user = stores.newUser();
        return user.withProfile(user.email(), name, null, "UTC", "en", false, Map.of(), user.updatedAt());
    }
}
