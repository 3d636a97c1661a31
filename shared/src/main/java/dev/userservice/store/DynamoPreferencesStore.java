package dev.userservice.store;

import dev.userservice.events.UserEvent;
import dev.userservice.json.Json;
import dev.userservice.preferences.Preferences.CategoryChoice;
import dev.userservice.preferences.Preferences;
import dev.userservice.preferences.PreferencesStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
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

    /**
     * Read with the account's own item: a deleted account's preferences, left for the eraser a while, are no one's.
     * An account stored before preferences existed has the defaults registration would have given it, as its
     * notification profile reads them, stamped {@link Instant#EPOCH} until its first change stores them.
     */
    @Override
    public Optional<Preferences> find(String userId) {
        Map<String, Item> items = new HashMap<>();
        for (Map<String, AttributeValue> found : BatchReads.consistent(dynamo, table,
                List.of(Item.keyOf(Keys.user(userId), Keys.PROFILE), Item.keyOf(Keys.user(userId), Keys.PREFERENCES)))) {
            Item item = Item.of(found);
            items.put(item.string(Item.SK), item);
        }
        if (!items.containsKey(Keys.PROFILE)) {
            return Optional.empty();
        }
        return Optional.of(items.containsKey(Keys.PREFERENCES) ? preferences(items.get(Keys.PREFERENCES)) : Preferences.defaults(Instant.EPOCH));
    }

    @Override
    public boolean replace(String userId, Preferences before, Preferences after, UserEvent updated) {
        // A whole-item put: the layout is written in one place, and a cleared quiet-hours time disappears with it.
        Put.Builder replacement = Put.builder().tableName(table).item(item(userId, after).values());
        if (before.updatedAt().equals(Instant.EPOCH)) {
            replacement.conditionExpression("attribute_not_exists(" + Item.PK + ")");
        } else {
            replacement.conditionExpression(UPDATED_AT + " = :read")
                    .expressionAttributeValues(Map.of(":read", AttributeValue.fromS(before.updatedAt().toString())));
        }
        try {
            dynamo.transactWriteItems(request -> request.transactItems(
                    TransactWriteItem.builder().put(replacement.build()).build(),
                    UserItems.accountExists(table, userId),
                    Outbox.put(table, updated)));
            return true;
        } catch (TransactionCanceledException e) {
            Cancellation cancellation = Cancellation.of(e);
            // Changed meanwhile, the account deleted, or a lost race: the caller reads again, and finds which.
            if (cancellation.failedAt(0) || cancellation.failedAt(1) || cancellation.lostRace()) {
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
