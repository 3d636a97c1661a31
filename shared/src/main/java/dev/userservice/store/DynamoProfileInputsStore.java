package dev.userservice.store;

import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.preferences.Preferences;
import dev.userservice.profiles.ProfileInputs;
import dev.userservice.profiles.ProfileInputsStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The inputs of notification profiles, read with {@code BatchGetItem}: each user's profile, preferences and push
 * targets items ({@link Keys#PROFILE}, {@link Keys#PREFERENCES}, {@link Keys#PUSH_TARGETS}), so one user is one call
 * and a batch of 100 users is three. Reads are strongly consistent: what is read here is cached for an hour, so it
 * must not be older than the write that just emptied the cache.
 */
public final class DynamoProfileInputsStore implements ProfileInputsStore {
    /** DynamoDB's limit of keys per BatchGetItem call. */
    static final int KEYS_PER_CALL = 100;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoProfileInputsStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Map<String, ProfileInputs> findAll(Collection<String> userIds) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String userId : userIds) {
            for (String sk : new String[] {Keys.PROFILE, Keys.PREFERENCES, Keys.PUSH_TARGETS}) {
                keys.add(Item.keyOf(Keys.user(userId), sk));
            }
        }
        Map<String, Map<String, Item>> itemsByUser = new HashMap<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_CALL) {
            for (Map<String, AttributeValue> found : batchGet(keys.subList(from, Math.min(keys.size(), from + KEYS_PER_CALL)))) {
                Item item = Item.of(found);
                itemsByUser.computeIfAbsent(item.string(Item.PK), pk -> new HashMap<>()).put(item.string(Item.SK), item);
            }
        }
        Map<String, ProfileInputs> inputs = new HashMap<>();
        for (String userId : userIds) {
            Map<String, Item> items = itemsByUser.getOrDefault(Keys.user(userId), Map.of());
            Item profile = items.get(Keys.PROFILE);
            if (profile != null) {
                inputs.put(userId, inputs(profile, items.get(Keys.PREFERENCES), items.get(Keys.PUSH_TARGETS)));
            }
        }
        return inputs;
    }

    /** Every item of these keys that exists, after retrying the keys DynamoDB left for later (throttling, 16 MB). */
    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        AtomicReference<Map<String, KeysAndAttributes>> pending = new AtomicReference<>(
                Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build()));
        return OptimisticRetry.run(() -> {
            BatchGetItemResponse response = dynamo.batchGetItem(request -> request.requestItems(pending.get()));
            found.addAll(response.responses().getOrDefault(table, List.of()));
            pending.set(response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of());
            return pending.get().isEmpty() ? Optional.of(found) : Optional.empty();
        }, "The database is busy; try again shortly");
    }

    private static ProfileInputs inputs(Item profile, Item preferences, Item pushTargets) {
        return ProfileInputs.of(
                DynamoUserStore.user(profile),
                profile.bool(UserItems.EMAIL_BOUNCED),
                profile.optionalInstant(UserItems.SESSIONS_VALID_AFTER).orElse(null),
                // An account stored before preferences existed has the defaults registration would have given it.
                preferences == null ? Preferences.defaults(Instant.EPOCH) : DynamoPreferencesStore.preferences(preferences),
                PushTargets.read(pushTargets));
    }
}
