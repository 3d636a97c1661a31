package dev.userservice.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userservice.triggers.MalformedRecordException;
import dev.userservice.triggers.StreamRecord;
import dev.userservice.users.CachedViewSources;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stream's reading of the items cached views come from, held to the store's own layout. */
class CachedViewSourcesTest {
    private static final String USER_ID = "3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f";

    @Test
    void theTypesAreTheStoresTypesOfTheItemsViewsAreReadFrom() {
        assertEquals(List.of(DynamoUserStore.ITEM_TYPE, DynamoPreferencesStore.ITEM_TYPE, DynamoDeviceStore.ITEM_TYPE,
                PushTargets.ITEM_TYPE), CachedViewSources.ITEM_TYPES);
    }

    @Test
    void aChangeOfAnItemAViewIsReadFromNamesItsUser() {
        for (String type : new String[] {"user", "preferences", "device", "push_targets"}) {
            assertEquals(Optional.of(USER_ID), CachedViewSources.userWhoseViewsChanged(
                    new StreamRecord("e", "MODIFY", "1", image(type, Keys.user(USER_ID)), image(type, Keys.user(USER_ID)))), type);
        }
    }

    @Test
    void aRemovalIsReadFromTheOldImage() {
        assertEquals(Optional.of(USER_ID), CachedViewSources.userWhoseViewsChanged(
                new StreamRecord("e", "REMOVE", "1", Map.of(), image("device", Keys.user(USER_ID)))));
    }

    @Test
    void itemsNoViewIsReadFromNameNobody() {
        for (String type : new String[] {"session", "notification_status", "outbox", "email", "display_profile", ""}) {
            assertEquals(Optional.empty(), CachedViewSources.userWhoseViewsChanged(
                    new StreamRecord("e", "INSERT", "1", image(type, Keys.user(USER_ID)))), type);
        }
    }

    @Test
    void aViewSourceOutsideAUsersPartitionIsMalformed() {
        for (String partition : new String[] {"EMAIL#someone@example.com", "USER#not-an-id", "USER#", ""}) {
            MalformedRecordException refused = assertThrows(MalformedRecordException.class, () ->
                    CachedViewSources.userWhoseViewsChanged(new StreamRecord("e", "INSERT", "1", image("user", partition))));
            assertEquals("pk", refused.getMessage(), "names the attribute, never its value");
        }
    }

    private static Map<String, Object> image(String type, String partition) {
        return Map.of(Item.TYPE, Map.of("S", type), Item.PK, Map.of("S", partition));
    }
}
