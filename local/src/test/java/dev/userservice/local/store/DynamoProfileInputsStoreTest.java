package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.devices.DevicePlanner;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.devices.PushTarget;
import dev.userservice.preferences.Preferences;
import dev.userservice.profiles.ProfileInputs;
import dev.userservice.store.DynamoDeviceStore;
import dev.userservice.store.DynamoProfileInputsStore;
import dev.userservice.store.Item;
import dev.userservice.store.Keys;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The inputs of notification profiles, read in batches from DynamoDB Local. */
class DynamoProfileInputsStoreTest {
    private static final Instant REGISTERED = Instant.parse("2026-11-23T10:00:00Z");

    private static DynamoProfileInputsStore store;
    private static DynamoDeviceStore devices;

    @BeforeAll
    static void start() {
        store = new DynamoProfileInputsStore(DynamoDbLocalTable.client(), DynamoDbLocalTable.TABLE);
        devices = new DynamoDeviceStore(DynamoDbLocalTable.client(), DynamoDbLocalTable.TABLE);
    }

    @Test
    void unknownUsersAreLeftOut() {
        String known = account();

        assertEquals(Set.of(known), store.findAll(List.of(UUID.randomUUID().toString(), known)).keySet());
    }

    @Test
    void anAccountStoredBeforePreferencesExistedHasTheRegistrationDefaultsAndNoDevices() {
        String userId = account();

        ProfileInputs inputs = store.findAll(List.of(userId)).get(userId);

        assertEquals(new ProfileInputs(userId, userId + "@example.com", "Ada", "en", "Europe/Berlin", true, true, false, null,
                Preferences.defaults(Instant.EPOCH), List.of(), null), inputs);
    }

    @Test
    void theInputsCarryTheAccountItsPreferencesAndItsActiveDevices() {
        String userId = account();
        DynamoDbLocalTable.client().updateItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .key(Item.keyOf(Keys.user(userId), Keys.PROFILE))
                .updateExpression("SET email_bounced = :true")
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true))));
        DynamoDbLocalTable.client().putItem(request -> request.tableName(DynamoDbLocalTable.TABLE).item(Item.key(Keys.user(userId), Keys.PREFERENCES)
                .put(Item.TYPE, "preferences").put("email", false).put("push", true)
                .put("quiet_hours_start", "22:00").put("quiet_hours_end", "07:00")
                .put("categories", "{\"marketing\":{\"email\":false,\"push\":true}}")
                .put("updated_at", REGISTERED).values()));
        assertTrue(devices.commit(DevicePlanner.registration(devices, userId, new DeviceRegistration("token-" + userId, "ios", "Phone", true, null), true, REGISTERED).plan()));

        ProfileInputs inputs = store.findAll(List.of(userId)).get(userId);

        assertEquals(true, inputs.emailBounced());
        assertEquals(new Preferences(false, true, LocalTime.of(22, 0), LocalTime.of(7, 0),
                Map.of("marketing", new Preferences.CategoryChoice(false, true)), REGISTERED), inputs.preferences());
        assertEquals(List.of("token-" + userId), inputs.devices().stream().map(PushTarget::token).toList());
    }

    @Test
    void aBatchLargerThanOneCallIsReadWhole() {
        List<String> userIds = IntStream.range(0, 40).mapToObj(i -> account()).toList();

        Map<String, ProfileInputs> found = store.findAll(userIds);

        assertEquals(Set.copyOf(userIds), found.keySet(), "three items a user: 120 keys, two calls");
    }

    /** An account's profile item, as registration lays it out. */
    private static String account() {
        String userId = UUID.randomUUID().toString();
        DynamoDbLocalTable.client().putItem(request -> request.tableName(DynamoDbLocalTable.TABLE).item(Item.key(Keys.user(userId), Keys.PROFILE)
                .put(Item.TYPE, "user")
                .put("id", userId)
                .put("email", userId + "@example.com")
                .put("name", "Ada")
                .put("timezone", "Europe/Berlin")
                .put("locale", "en")
                .put("role", "user")
                .put("status", "active")
                .put("email_verified", true)
                .put("attributes", "{}")
                .put("created_at", REGISTERED)
                .put("updated_at", REGISTERED)
                .put("password_hash", "$2a$11$notarealhashnotarealhashnotarealhashnotarealhashnotar")
                .values()));
        return userId;
    }
}
