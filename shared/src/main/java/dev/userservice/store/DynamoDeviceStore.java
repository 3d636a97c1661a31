package dev.userservice.store;

import dev.userservice.devices.ActiveDevices;
import dev.userservice.devices.DeactivationReason;
import dev.userservice.devices.Device;
import dev.userservice.devices.DevicePlan;
import dev.userservice.devices.DevicePlanner;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.devices.DeviceRules;
import dev.userservice.devices.DeviceStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Devices in their user's partition ({@code DEVICE#<id>}), the claim that keeps a push token with one user
 * ({@code PUSH_TOKEN#<sha256 hex of the token>}, {@code CLAIM}), and the user's {@link PushTargets} summary (the
 * user's active devices). It decides nothing: it reads what {@link DeviceRules} needs and commits a
 * {@link DevicePlan} as one transaction, each write conditioned on what was read, the summaries on the version read,
 * with the plan's events in the outbox. Reads are GetItem, and a Query of the partition for the list. An active
 * device also carries the stale-device index keys ({@link Item#GSI3_PK}, {@link Item#GSI3_SK}, from its
 * {@code last_seen_at}), written with it and removed when it is deactivated, for the daily pruning
 * ({@link DynamoStaleDeviceStore}).
 */
public final class DynamoDeviceStore implements DeviceStore, SessionEndWrites {
    static final String ITEM_TYPE = "device";
    private static final String CLAIM_SK = "CLAIM";
    private static final String CLAIM_TYPE = "push_token";
    private static final String EXISTING_ITEM = "attribute_exists(" + Item.PK + ")";
    private static final String NEW_ITEM = "attribute_not_exists(" + Item.PK + ")";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDeviceStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<Device> list(String userId) {
        return dynamo.queryPaginator(request -> request.tableName(table).consistentRead(true)
                        .keyConditionExpression(Item.PK + " = :pk AND begins_with(" + Item.SK + ", :prefix)")
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(Keys.user(userId)),
                                ":prefix", AttributeValue.fromS(Keys.DEVICE_PREFIX))))
                .items().stream()
                .map(item -> device(userId, Item.of(item)))
                .sorted(Comparator.comparing(Device::createdAt).thenComparing(Device::id).reversed())
                .toList();
    }

    @Override
    public Optional<Device> find(String userId, String deviceId) {
        return get(Keys.user(userId), Keys.device(deviceId)).map(item -> device(userId, item));
    }

    @Override
    public Optional<Holder> holderOf(String token) {
        return get(Keys.pushToken(sha256Hex(token)), CLAIM_SK).map(DynamoDeviceStore::holder);
    }

    @Override
    public ActiveDevices activeDevices(String userId) {
        return PushTargets.readVersioned(dynamo.getItem(request -> request.tableName(table)
                .key(Item.keyOf(Keys.user(userId), Keys.PUSH_TARGETS)).consistentRead(true)).item());
    }

    @Override
    public boolean commit(DevicePlan plan) {
        // Every write of a device plan is conditioned on what was read.
        return Cancellation.commitsUnlessChanged(() -> dynamo.transactWriteItems(request -> request.transactItems(writes(plan))));
    }

    /** A device change's writes for another store's transaction, and every user whose devices it changes. */
    record Changes(List<TransactWriteItem> writes, Set<String> changedUsers) {}

    /**
     * The writes of a registration's device ({@code push_token} in the registration body), for the registration's
     * own transaction: its session is created in that transaction, so it is not checked. Retry on
     * {@link Cancellation#changedMeanwhile}.
     */
    Changes registrationAtSignup(String userId, DeviceRegistration registration, Instant now) {
        DevicePlan plan = DevicePlanner.registration(this, userId, registration, false, now).plan();
        return new Changes(writes(plan), plan.changedUsers());
    }

    /**
     * Deactivates the device, {@code stale}, if it is still active and was last seen before {@code cutoff} (the
     * stale-device index is read eventually consistent, so it is read again here): true when it was, false when
     * there was nothing to do, empty when a concurrent change got in the way. An inactive device still listed in the
     * index (written by older code) leaves the index.
     */
    Optional<Boolean> deactivateIfStale(String userId, String deviceId, Instant cutoff, Instant now) {
        ActiveDevices active = activeDevices(userId); // before the device, as DevicePlanner explains
        Optional<Device> found = find(userId, deviceId);
        if (found.isEmpty() || !DeviceRules.isStale(found.get(), cutoff)) {
            return Optional.of(false);
        }
        if (!found.get().active()) {
            try {
                dynamo.updateItem(request -> request.tableName(table).key(Item.keyOf(Keys.user(userId), Keys.device(deviceId)))
                        .updateExpression("REMOVE " + Item.GSI3_PK + ", " + Item.GSI3_SK)
                        .conditionExpression("active = :inactive")
                        .expressionAttributeValues(Map.of(":inactive", AttributeValue.fromBool(false))));
            } catch (ConditionalCheckFailedException e) {
                // Reactivated or deleted meanwhile: its index entry is as it should be.
            }
            return Optional.of(false);
        }
        if (!accountExists(userId)) {
            return Optional.of(false); // the eraser's, with no event after user.deleted (and the plan requires it too)
        }
        DevicePlan plan = DeviceRules.deactivateStale(found.get(), active, now);
        return commit(plan) ? Optional.of(true) : Optional.empty();
    }

    /**
     * The session's active devices (found in the summary, which names each one's session) are deactivated,
     * {@code session_ended}, in the revocation's transaction. When it has none, the summary must still be as read: a
     * device registered in the session while it ends (its registration checked the session before the revocation
     * committed) would otherwise stay active in an ended session.
     */
    @Override
    public List<TransactWriteItem> writesFor(String userId, String sessionId, Instant at) {
        ActiveDevices active = activeDevices(userId);
        DevicePlan plan = DeviceRules.sessionEnded(userId, sessionId, active, at);
        return plan.deactivations().isEmpty() ? List.of(PushTargets.unchanged(table, userId, active.version())) : writes(plan);
    }

    /** The writes that deactivate the device holding a token, and whose device it is. */
    public record TokenDeactivation(String userId, List<TransactWriteItem> writes) {}

    /**
     * The writes that deactivate the active device holding {@code token}, for {@code reason}, to commit in the
     * caller's own transaction: the device, its user's summary on the version read, and {@code device.deactivated}.
     * Empty as {@link DevicePlanner#deactivationOfToken} is (no device holds the token, it is inactive already, it was
     * registered after {@code refusedAt}, its account was deleted, or the token was never {@code reportedUser}'s).
     * The caller's transaction checks {@code reportedUser}'s account; another holder's is checked in these writes.
     * Retry on {@link Cancellation#changedMeanwhile}, asking again.
     */
    public Optional<TokenDeactivation> deactivationOf(String token, DeactivationReason reason, Instant refusedAt, Instant now,
                                                      String reportedUser) {
        return DevicePlanner.deactivationOfToken(this, token, reason, refusedAt, now, reportedUser)
                .map(plan -> new TokenDeactivation(plan.deactivations().getFirst().userId(), writes(plan)));
    }

    @Override
    public boolean accountExists(String userId) {
        return get(Keys.user(userId), Keys.PROFILE).isPresent();
    }

    /**
     * The plan as DynamoDB writes, each conditioned on what was read: the devices, the devices that must still be
     * inactive, the token claims and the checks, then each touched summary on the version read, then the events.
     */
    private List<TransactWriteItem> writes(DevicePlan plan) {
        List<TransactWriteItem> writes = new ArrayList<>();
        plan.stored().forEach(stored -> writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(deviceItem(stored.device()).values())
                .conditionExpression(stored.created() ? NEW_ITEM : EXISTING_ITEM).build()).build()));
        plan.deactivations().forEach(deactivation -> writes.add(deactivation(deactivation)));
        plan.deleted().forEach(device -> writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                .key(Item.keyOf(Keys.user(device.userId()), Keys.device(device.id())))
                .conditionExpression(EXISTING_ITEM).build()).build()));
        plan.stillInactive().forEach(device -> writes.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                .tableName(table)
                .key(Item.keyOf(Keys.user(device.userId()), Keys.device(device.id())))
                .conditionExpression("active = :inactive")
                .expressionAttributeValues(Map.of(":inactive", AttributeValue.fromBool(false)))
                .build()).build()));
        plan.claims().forEach(claim -> writes.add(claimWrite(claim)));
        plan.liveSessions().forEach(session -> writes.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                .tableName(table)
                .key(Item.keyOf(Keys.user(session.userId()), Keys.session(session.sessionId())))
                .conditionExpression(EXISTING_ITEM + " AND attribute_not_exists(revoked_at)")
                .build()).build()));
        plan.accounts().forEach(userId -> writes.add(UserItems.accountExists(table, userId)));
        plan.activeDevices().forEach(active ->
                writes.add(PushTargets.write(table, active.userId(), active.read().version(), active.targets())));
        plan.events().forEach(event -> writes.add(Outbox.put(table, event)));
        return writes;
    }

    /** The device stops receiving pushes and leaves the stale-device index; the rest of it stays as it is. */
    private TransactWriteItem deactivation(DevicePlan.Deactivation deactivation) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(Item.keyOf(Keys.user(deactivation.userId()), Keys.device(deactivation.device().deviceId())))
                .updateExpression("SET active = :inactive, deactivated_reason = :reason, updated_at = :now"
                        + " REMOVE " + Item.GSI3_PK + ", " + Item.GSI3_SK)
                .conditionExpression(EXISTING_ITEM)
                .expressionAttributeValues(Map.of(
                        ":inactive", AttributeValue.fromBool(false),
                        ":reason", AttributeValue.fromS(deactivation.reason().wireName()),
                        ":now", AttributeValue.fromS(deactivation.at().toString())))
                .build()).build();
    }

    private TransactWriteItem claimWrite(DevicePlan.ClaimChange change) {
        String tokenHash = sha256Hex(change.token());
        Map<String, AttributeValue> key = Item.keyOf(Keys.pushToken(tokenHash), CLAIM_SK);
        return switch (change) {
            case DevicePlan.Claim claim -> {
                Item item = Item.key(Keys.pushToken(tokenHash), CLAIM_SK)
                        .put(Item.TYPE, CLAIM_TYPE)
                        .put("user_id", claim.holder().userId())
                        .put("device_id", claim.holder().deviceId())
                        .ownedBy(claim.holder().userId());
                Put.Builder put = Put.builder().tableName(table).item(item.values());
                if (claim.replacing().isEmpty()) {
                    put.conditionExpression(NEW_ITEM);
                } else {
                    put.conditionExpression(HELD_BY).expressionAttributeValues(heldBy(claim.replacing().get()));
                }
                yield TransactWriteItem.builder().put(put.build()).build();
            }
            case DevicePlan.Release release -> TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                    .key(key).conditionExpression(HELD_BY).expressionAttributeValues(heldBy(release.holder())).build()).build();
            case DevicePlan.HeldBy held -> TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                    .key(key).conditionExpression(HELD_BY).expressionAttributeValues(heldBy(held.holder())).build()).build();
        };
    }

    private static final String HELD_BY = "user_id = :user_id AND device_id = :device_id";

    private static Map<String, AttributeValue> heldBy(Holder holder) {
        return Map.of(":user_id", AttributeValue.fromS(holder.userId()), ":device_id", AttributeValue.fromS(holder.deviceId()));
    }

    private static Holder holder(Item claim) {
        return new Holder(claim.string("user_id"), claim.string("device_id"));
    }

    private Optional<Item> get(String pk, String sk) {
        Map<String, AttributeValue> item = dynamo.getItem(request -> request.tableName(table)
                .key(Item.keyOf(pk, sk)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Item.of(item));
    }

    /** Claims are keyed by the token's hash: tokens reach 4 KiB, more than a key may hold. */
    static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Item deviceItem(Device device) {
        return Item.key(Keys.user(device.userId()), Keys.device(device.id()))
                .put(Item.TYPE, ITEM_TYPE)
                .put("device_id", device.id())
                .put("token", device.token())
                .put("platform", device.platform())
                .put("device_name", device.deviceName())
                .put("active", device.active())
                .put("session_id", device.sessionId())
                .put("session_created_at", device.sessionCreatedAt())
                .put("created_at", device.createdAt())
                .put("updated_at", device.updatedAt())
                .put("last_seen_at", device.lastSeenAt())
                .put("deactivated_reason", device.deactivatedReason() == null ? null : device.deactivatedReason().wireName())
                .put(Item.GSI3_PK, device.active() ? Keys.devicesSeenIn(device.lastSeenAt(), device.id()) : null)
                .put(Item.GSI3_SK, device.active() ? Keys.deviceSeen(device.lastSeenAt(), device.userId(), device.id()) : null);
    }

    private static Device device(String userId, Item item) {
        return new Device(
                item.string("device_id"),
                userId,
                item.string("token"),
                item.string("platform"),
                item.optionalString("device_name").orElse(null),
                item.bool("active"),
                item.optionalString("session_id").orElse(null),
                item.optionalInstant("session_created_at").orElse(null),
                item.instant("created_at"),
                item.instant("updated_at"),
                item.instant("last_seen_at"),
                item.optionalString("deactivated_reason").map(DeactivationReason::fromWireName).orElse(null));
    }
}
