package dev.userservice.store;

import dev.userservice.events.UserEvent;
import dev.userservice.json.Json;
import dev.userservice.preferences.Preferences.CategoryChoice;
import dev.userservice.preferences.Preferences;
import dev.userservice.preferences.PreferencesStore;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A user's preferences as one item in the user's partition ({@code USER#<id>}, {@link Keys#PREFERENCES}). This
 * class owns the item's layout: registration writes it through {@link #item}, and erasing the account deletes it
 * with the rest of the partition.
 */
public final class DynamoPreferencesStore implements PreferencesStore {
    static final String ITEM_TYPE = "preferences";
    private static final String EMAIL = "email";
    private static final String PUSH = "push";
    private static final String QUIET_HOURS_START = "quiet_hours_start";
    private static final String QUIET_HOURS_END = "quiet_hours_end";
    /** The categories as JSON text, {@code {"<name>": {"email": bool, "push": bool}}}, sorted by name. */
    private static final String CATEGORIES = "categories";
    /** The application's custom fields as JSON text, sorted by key; absent on items written before they existed. */
    private static final String CUSTOM = "custom";
    /** What concurrent writers compare: every write changes it. */
    private static final String UPDATED_AT = "updated_at";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPreferencesStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Preferences> find(String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(request -> request.tableName(table)
                .key(Item.keyOf(Keys.user(userId), Keys.PREFERENCES)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(preferences(Item.of(item)));
    }

    @Override
    public boolean replace(String userId, Preferences before, Preferences after, UserEvent updated) {
        // A whole-item put: the layout is written in one place, and a cleared quiet-hours time disappears with it.
        Put replacement = Put.builder().tableName(table)
                .item(item(userId, after).values())
                .conditionExpression(UPDATED_AT + " = :read")
                .expressionAttributeValues(Map.of(":read", AttributeValue.fromS(before.updatedAt().toString())))
                .build();
        try {
            dynamo.transactWriteItems(request -> request.transactItems(
                    TransactWriteItem.builder().put(replacement).build(),
                    Outbox.put(table, updated)));
            return true;
        } catch (TransactionCanceledException e) {
            Cancellation cancellation = Cancellation.of(e);
            // Changed meanwhile, or a lost race: the caller reads again and retries.
            if (cancellation.failedAt(0) || cancellation.lostRace()) {
                return false;
            }
            throw cancellation.unexpected();
        }
    }

    /** The stored form of a user's preferences. */
    static Item item(String userId, Preferences preferences) {
        return Item.key(Keys.user(userId), Keys.PREFERENCES)
                .put(Item.TYPE, ITEM_TYPE)
                .put(EMAIL, preferences.email())
                .put(PUSH, preferences.push())
                .put(QUIET_HOURS_START, preferences.quietHoursStart() == null ? null : preferences.quietHoursStart().toString())
                .put(QUIET_HOURS_END, preferences.quietHoursEnd() == null ? null : preferences.quietHoursEnd().toString())
                .put(CATEGORIES, Json.write(preferences.categories()))
                .put(CUSTOM, Json.write(preferences.custom()))
                .put(UPDATED_AT, preferences.updatedAt());
    }

    static Preferences preferences(Item item) {
        Map<String, CategoryChoice> categories = new TreeMap<>();
        Json.parseObject(item.optionalString(CATEGORIES).orElse("{}")).forEach((name, choice) -> {
            Map<?, ?> channels = (Map<?, ?>) choice;
            categories.put(name, new CategoryChoice(Boolean.TRUE.equals(channels.get(EMAIL)), Boolean.TRUE.equals(channels.get(PUSH))));
        });
        // Written by LocalTime.toString of a whole minute (HH:MM) and read back by the parser that checked it, not by
        // LocalTime.parse, whose formatter's parsing classes a first request would load for it.
        return new Preferences(
                item.bool(EMAIL),
                item.bool(PUSH),
                item.optionalString(QUIET_HOURS_START).map(Preferences::time).orElse(null),
                item.optionalString(QUIET_HOURS_END).map(Preferences::time).orElse(null),
                categories,
                Json.parseObject(item.optionalString(CUSTOM).orElse("{}")),
                item.instant(UPDATED_AT));
    }
}
