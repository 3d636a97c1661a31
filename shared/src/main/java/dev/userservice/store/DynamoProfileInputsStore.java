package dev.userservice.store;

import dev.userservice.concurrency.Jitter;
import dev.userservice.errors.ServiceException;
import dev.userservice.errors.ErrorCode;
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
    /** Retries of keys DynamoDB left unprocessed (throttling, or 16 MB per answer), with growing jittered waits. */
    private static final int MAX_ATTEMPTS = 6;
    private static final long FIRST_BACKOFF_MILLIS = 10;

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

    /** Every item of these keys that exists, after retrying the keys DynamoDB left for later. */
    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        for (int attempt = 1; ; attempt++) {
            Map<String, KeysAndAttributes> asked = pending;
            BatchGetItemResponse response = dynamo.batchGetItem(request -> request.requestItems(asked));
            found.addAll(response.responses().getOrDefault(table, List.of()));
            pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            if (pending.isEmpty()) {
                return found;
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new ServiceException(ErrorCode.SERVICE_UNAVAILABLE, "The database is busy; try again shortly");
            }
            backOff(attempt);
        }
    }

    /** Full jitter: a random wait up to 10, 20, 40, ... ms, so retrying callers do not move in step. */
    private static void backOff(int attempt) {
        long ceiling = FIRST_BACKOFF_MILLIS << (attempt - 1);
        try {
            Thread.sleep(Jitter.millis(0, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(ErrorCode.SERVICE_UNAVAILABLE);
        }
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
