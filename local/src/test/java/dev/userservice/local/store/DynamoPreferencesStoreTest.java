package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.events.EventType;
import dev.userservice.events.UserEvent;
import dev.userservice.preferences.Preferences.CategoryChoice;
import dev.userservice.preferences.Preferences;
import dev.userservice.store.DynamoPreferencesStore;
import dev.userservice.store.Item;
import dev.userservice.store.Keys;
import dev.userservice.store.Outbox;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A user's preferences item and its conditional replacement, as DynamoDB Local evaluates them. */
class DynamoPreferencesStoreTest {
    private static final Instant REGISTERED = Instant.parse("2026-11-23T10:00:00Z");
    private static final Preferences QUIET_AT_NIGHT = new Preferences(false, true, LocalTime.of(22, 0), LocalTime.of(7, 0),
            Map.of("marketing", new CategoryChoice(false, true), "digest", new CategoryChoice(true, false)),
            REGISTERED.plusSeconds(60));

    private static DynamoPreferencesStore store;
    private final String userId = UUID.randomUUID().toString();

    @BeforeAll
    static void start() {
        store = new DynamoPreferencesStore(DynamoDbLocalTable.client(), DynamoDbLocalTable.TABLE);
    }

    @Test
    void aUserWithoutPreferencesHasNone() {
        assertEquals(Optional.empty(), store.find(userId));
    }

    @Test
    void aReplacementIsReadBackWholeWithItsEventStoredBesideIt() {
        Preferences registered = registered();
        UserEvent updated = updated(registered, QUIET_AT_NIGHT);

        assertTrue(store.replace(userId, registered, QUIET_AT_NIGHT, updated));

        assertEquals(Optional.of(QUIET_AT_NIGHT), store.find(userId));
        assertTrue(outboxHolds(updated), "the event is written in the same transaction");
    }

    @Test
    void aReplacementOfAVersionSomebodyChangedSinceStoresNothing() {
        registered();
        assertTrue(store.replace(userId, Preferences.defaults(REGISTERED), QUIET_AT_NIGHT, updated(Preferences.defaults(REGISTERED), QUIET_AT_NIGHT)));
        Preferences later = new Preferences(true, false, null, null, Map.of(), REGISTERED.plusSeconds(120));
        UserEvent lost = updated(Preferences.defaults(REGISTERED), later);

        assertFalse(store.replace(userId, Preferences.defaults(REGISTERED), later, lost), "read before the first replacement");

        assertEquals(Optional.of(QUIET_AT_NIGHT), store.find(userId));
        assertFalse(outboxHolds(lost));
    }

    @Test
    void clearedQuietHoursAndRemovedCategoriesAreGoneFromTheItem() {
        Preferences registered = registered();
        store.replace(userId, registered, QUIET_AT_NIGHT, updated(registered, QUIET_AT_NIGHT));
        Preferences cleared = new Preferences(true, true, null, null, Map.of(), REGISTERED.plusSeconds(120));

        assertTrue(store.replace(userId, QUIET_AT_NIGHT, cleared, updated(QUIET_AT_NIGHT, cleared)));

        assertEquals(Optional.of(cleared), store.find(userId));
    }

    @Test
    void aReplacementForAUserWhoseItemIsGoneStoresNothing() {
        Preferences registered = Preferences.defaults(REGISTERED);

        assertFalse(store.replace(userId, registered, QUIET_AT_NIGHT, updated(registered, QUIET_AT_NIGHT)));

        assertEquals(Optional.empty(), store.find(userId));
    }

    /**
     * The account is deleted and its preferences wait for the eraser: they are no one's, and a change (a service's,
     * say, from an unsubscribe link) stores nothing and publishes nothing after user.deleted.
     */
    @Test
    void theLeftoverPreferencesOfADeletedAccountAreNotFoundAndNotChanged() {
        Preferences registered = registered();
        DynamoDbLocalTable.client().deleteItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .key(Item.keyOf(Keys.user(userId), Keys.PROFILE)));
        UserEvent updated = updated(registered, QUIET_AT_NIGHT);

        assertEquals(Optional.empty(), store.find(userId));
        assertFalse(store.replace(userId, registered, QUIET_AT_NIGHT, updated));
        assertFalse(outboxHolds(updated));
    }

    /** An account stored before preferences existed reads the defaults, and its first change stores them. */
    @Test
    void anAccountWithoutAPreferencesItemHasTheDefaultsUntilItsFirstChange() {
        putProfile();
        Preferences defaults = store.find(userId).orElseThrow();
        assertEquals(Preferences.defaults(Instant.EPOCH), defaults);

        assertTrue(store.replace(userId, defaults, QUIET_AT_NIGHT, updated(defaults, QUIET_AT_NIGHT)));

        assertEquals(Optional.of(QUIET_AT_NIGHT), store.find(userId));
        assertFalse(store.replace(userId, defaults, QUIET_AT_NIGHT, updated(defaults, QUIET_AT_NIGHT)), "stored once");
    }

    /** The account's own item, which the preferences are read with. */
    private void putProfile() {
        DynamoDbLocalTable.client().putItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .item(Item.key(Keys.user(userId), Keys.PROFILE).put(Item.TYPE, "user").values()));
    }

    /** The items registration writes: the account's, and the default preferences as {@code DynamoPreferencesStore} lays them out. */
    private Preferences registered() {
        Preferences defaults = Preferences.defaults(REGISTERED);
        putProfile();
        DynamoDbLocalTable.client().putItem(request -> request.tableName(DynamoDbLocalTable.TABLE).item(Item.key(Keys.user(userId), Keys.PREFERENCES)
                .put(Item.TYPE, "preferences")
                .put("email", true)
                .put("push", true)
                .put("categories", "{}")
                .put("updated_at", REGISTERED)
                .values()));
        assertEquals(Optional.of(defaults), store.find(userId));
        return defaults;
    }

    private UserEvent updated(Preferences before, Preferences after) {
        return new UserEvent(UUID.randomUUID().toString(), EventType.PREFERENCES_UPDATED, after.updatedAt(), userId,
                Map.of("before", before, "after", after));
    }

    private static boolean outboxHolds(UserEvent event) {
        return DynamoDbLocalTable.client().getItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .key(Outbox.key(event)).consistentRead(true)).hasItem();
    }
}
