package dev.userservice.store;

import dev.userservice.preferences.Preferences;
import dev.userservice.profiles.ProfileInputs;
import dev.userservice.profiles.ProfileInputsStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The inputs of notification profiles, read with {@code BatchGetItem}: each user's profile, preferences and push
 * targets items ({@link Keys#PROFILE}, {@link Keys#PREFERENCES}, {@link Keys#PUSH_TARGETS}), so one user is one call
 * and a batch of 100 users is three. Reads are strongly consistent: what is read here is cached for an hour, so it
 * must not be older than the write that just emptied the cache.
 */
public final class DynamoProfileInputsStore implements ProfileInputsStore {
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
        for (Map<String, AttributeValue> found : BatchReads.consistent(dynamo, table, keys)) {
            Item item = Item.of(found);
            itemsByUser.computeIfAbsent(item.string(Item.PK), pk -> new HashMap<>()).put(item.string(Item.SK), item);
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

    private static ProfileInputs inputs(Item profile, Item preferences, Item pushTargets) {
        return ProfileInputs.of(
                DynamoUserStore.user(profile),
                profile.bool(UserItems.EMAIL_BOUNCED),
                UserItems.sessionCutoff(profile).orElse(null),
                // An account stored before preferences existed has the defaults registration would have given it.
                preferences == null ? Preferences.defaults(Instant.EPOCH) : DynamoPreferencesStore.preferences(preferences),
                PushTargets.read(pushTargets));
    }
}
