package dev.userservice.store;

import dev.userservice.devices.DeactivationReason;
import dev.userservice.devices.Device;
import dev.userservice.devices.DeviceEvents;
import dev.userservice.devices.DeviceLimit;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.devices.DeviceStore;
import dev.userservice.devices.PushTarget;
import dev.userservice.events.UserEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Devices in their user's partition ({@code DEVICE#<id>}), the claim that keeps a push token with one user
 * ({@code PUSH_TOKEN#<sha256 hex of the token>}, {@code CLAIM}), and the user's {@link PushTargets} summary. Every
 * write is one transaction that also rewrites the summary of each user it touches, on the version it read, with the
 * events of the change; reads are GetItem, and a Query of the partition for the list. An active device also carries
 * the stale-device index keys ({@link Item#GSI3_PK}, {@link Item#GSI3_SK}, from its {@code last_seen_at}), written
 * with it and removed when it is deactivated, for the daily pruning ({@link DynamoStaleDeviceStore}).
 */
public final class DynamoDeviceStore implements DeviceStore, SessionEndWrites {
    static final String ITEM_TYPE = "device";
    private static final String CLAIM_SK = "CLAIM";
    private static final String CLAIM_TYPE = "push_token";
    /** Cancellation reasons that mean another writer got there first: read again and retry. */
    private static final Set<String> CONFLICTS = Set.of("ConditionalCheckFailed", "TransactionConflict");

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
    public Optional<Written> register(String userId, DeviceRegistration registration, Instant now) {
        Changes changes = new Changes(now);
        Device device = changes.register(userId, registration, true);
        return changes.commit() ? Optional.of(changes.written(device)) : Optional.empty();
    }

    /**
     * The writes of a registration's device ({@code push_token} in the registration body), for the registration's
     * own transaction: its session is created in that transaction, so it is not checked. Retry on
     * {@link #isConflict}.
     */
    Changes registrationAtSignup(String userId, DeviceRegistration registration, Instant now) {
        Changes changes = new Changes(now);
        changes.register(userId, registration, false);
        return changes;
    }

    @Override
    public Optional<Written> update(Device before, Device after, Instant now) {
        Changes changes = new Changes(now);
        changes.store(Optional.of(before), after, false);
        if (after.active() && !before.active()) {
            changes.requireHolder(after);
            if (after.sessionId() != null) {
                changes.requireLiveSession(after.userId(), after.sessionId());
            }
        }
        return changes.commit() ? Optional.of(changes.written(after)) : Optional.empty();
    }

    @Override
    public Optional<Written> delete(Device device, Instant now) {
        Changes changes = new Changes(now);
        changes.delete(device);
        return changes.commit() ? Optional.of(changes.written(device)) : Optional.empty();
    }

    @Override
    public Optional<Integer> deactivateAll(String userId, DeactivationReason reason, Instant now) {
        Changes changes = new Changes(now);
        List<PushTarget> active = List.copyOf(changes.targets(userId));
        active.forEach(target -> changes.deactivate(userId, target, reason));
        if (active.isEmpty()) {
            return Optional.of(0);
        }
        return changes.commit() ? Optional.of(active.size()) : Optional.empty();
    }

    /**
     * Deactivates the device, {@code stale}, if it is still active and was last seen before {@code cutoff} (the
     * stale-device index is read eventually consistent, so it is read again here): true when it was, false when
     * there was nothing to do, empty when a concurrent change got in the way. An inactive device still listed in the
     * index (written by older code) leaves the index.
     */
    Optional<Boolean> deactivateIfStale(String userId, String deviceId, Instant cutoff, Instant now) {
        Optional<Device> found = find(userId, deviceId);
        if (found.isEmpty() || !found.get().lastSeenAt().isBefore(cutoff)) {
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
        Changes changes = new Changes(now);
        changes.deactivate(userId, found.get().target(), DeactivationReason.STALE);
        return changes.commit() ? Optional.of(true) : Optional.empty();
    }

    /**
     * The session's active devices (found in the summary, which names each one's session) are deactivated,
     * {@code session_ended}, in the revocation's transaction; nothing when it had none.
     */
    @Override
    public List<TransactWriteItem> writesFor(String userId, String sessionId, Instant at) {
        Changes changes = new Changes(at);
        List<PushTarget> ofSession = changes.targets(userId).stream()
                .filter(target -> sessionId.equals(target.sessionId()))
                .toList();
        if (ofSession.isEmpty()) {
            return List.of();
        }
        ofSession.forEach(target -> changes.deactivate(userId, target, DeactivationReason.SESSION_ENDED));
        return changes.writes();
    }

    /** The writes that deactivate the device holding a token, and whose device it is. */
    public record TokenDeactivation(String userId, List<TransactWriteItem> writes) {}

    /**
     * The writes that deactivate the active device holding {@code token}, for {@code reason}, to commit in the
     * caller's own transaction: the device, its user's summary on the version read, and {@code device.deactivated}.
     * Empty when no device holds the token or it is inactive already. Retry on {@link #isConflict}, asking again.
     */
    public Optional<TokenDeactivation> deactivationOf(String token, DeactivationReason reason, Instant now) {
        Optional<Device> holding = holderOf(token).flatMap(holder -> find(holder.userId(), holder.deviceId()))
                .filter(Device::active);
        if (holding.isEmpty()) {
            return Optional.empty();
        }
        Changes changes = new Changes(now);
        changes.deactivate(holding.get().userId(), holding.get().target(), reason);
        return Optional.of(new TokenDeactivation(holding.get().userId(), changes.writes()));
    }

    /** Whether a transaction was cancelled by a concurrent change rather than by a failure. */
    static boolean isConflict(TransactionCanceledException e) {
        return e.cancellationReasons().stream().anyMatch(reason -> CONFLICTS.contains(reason.code()));
    }

    /**
     * One transaction being put together: the device writes, the summaries of the users they touch (read once,
     * changed in memory, written last on the version read), and the events, which go out with the change.
     */
    final class Changes {
        private final Instant now;
        private final List<TransactWriteItem> writes = new ArrayList<>();
        private final Map<String, PushTargets.Read> summariesRead = new LinkedHashMap<>();
        private final Map<String, List<PushTarget>> summaries = new LinkedHashMap<>();
        private final List<UserEvent> events = new ArrayList<>();
        private boolean created;

        private Changes(Instant now) {
            this.now = now;
        }

        /** The user's active devices as this transaction will leave them; a live list, changed by the writes. */
        List<PushTarget> targets(String userId) {
            return summaries.computeIfAbsent(userId, id -> {
                PushTargets.Read read = PushTargets.readVersioned(dynamo.getItem(request -> request.tableName(table)
                        .key(Item.keyOf(Keys.user(id), Keys.PUSH_TARGETS)).consistentRead(true)).item());
                summariesRead.put(id, read);
                return new ArrayList<>(read.targets());
            });
        }

        /** Every user whose devices this transaction changes. */
        Set<String> changedUsers() {
            return Set.copyOf(summaries.keySet());
        }

        Device register(String userId, DeviceRegistration registration, boolean checkSession) {
            String tokenHash = sha256Hex(registration.token());
            Optional<Holder> holder = get(Keys.pushToken(tokenHash), CLAIM_SK).map(DynamoDeviceStore::holder);
            Optional<Device> own = holder.filter(held -> held.userId().equals(userId))
                    .flatMap(held -> find(userId, held.deviceId()));
            Device device = registration.applyTo(own, userId, now);
            holder.filter(held -> !held.userId().equals(userId)).ifPresent(previous ->
                    find(previous.userId(), previous.deviceId()).filter(Device::active).ifPresent(moved ->
                            deactivate(previous.userId(), moved.target(), DeactivationReason.TOKEN_MOVED)));
            if (holder.isEmpty() || !holder.get().equals(new Holder(userId, device.id()))) {
                claim(tokenHash, device, holder);
            }
            if (checkSession && registration.session() != null) {
                requireLiveSession(userId, registration.session().id());
            }
            store(own, device, true);
            return device;
        }

        /**
         * Writes the device as {@code after}, keeps the summary in step (evicting for room when it becomes or stays
         * active), and adds the events of what changed for a sender: a registration or reactivation, a deactivation.
         */
        void store(Optional<Device> before, Device after, boolean registration) {
            created = before.isEmpty();
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(deviceItem(after).values())
                    .conditionExpression(created ? "attribute_not_exists(" + Item.PK + ")" : "attribute_exists(" + Item.PK + ")")
                    .build()).build());
            List<PushTarget> active = targets(after.userId());
            active.removeIf(target -> target.deviceId().equals(after.id()));
            boolean wasActive = before.map(Device::active).orElse(false);
            if (after.active()) {
                DeviceLimit.evictedBy(active).forEach(evicted ->
                        deactivate(after.userId(), evicted, DeactivationReason.EVICTED_LIMIT));
                active.add(after.target());
                if (registration || !wasActive) {
                    events.add(DeviceEvents.registered(after, now));
                }
            } else if (wasActive) {
                events.add(DeviceEvents.deactivated(after.userId(), before.get().target(), after.deactivatedReason(), now));
            }
        }

        void deactivate(String userId, PushTarget target, DeactivationReason reason) {
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                    .key(Item.keyOf(Keys.user(userId), Keys.device(target.deviceId())))
                    .updateExpression("SET active = :inactive, deactivated_reason = :reason, updated_at = :now"
                            + " REMOVE " + Item.GSI3_PK + ", " + Item.GSI3_SK)
                    .conditionExpression("attribute_exists(" + Item.PK + ")")
                    .expressionAttributeValues(Map.of(
                            ":inactive", AttributeValue.fromBool(false),
                            ":reason", AttributeValue.fromS(reason.wireName()),
                            ":now", AttributeValue.fromS(now.toString())))
                    .build()).build());
            targets(userId).removeIf(active -> active.deviceId().equals(target.deviceId()));
            events.add(DeviceEvents.deactivated(userId, target, reason, now));
        }

        /** Removes the device, and its token's claim while the claim still names it. */
        void delete(Device device) {
            writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                    .key(Item.keyOf(Keys.user(device.userId()), Keys.device(device.id())))
                    .conditionExpression("attribute_exists(" + Item.PK + ")").build()).build());
            targets(device.userId()).removeIf(target -> target.deviceId().equals(device.id()));
            if (device.active()) {
                events.add(DeviceEvents.deactivated(device.userId(), device.target(), DeactivationReason.USER_REQUEST, now));
            }
            Holder holder = new Holder(device.userId(), device.id());
            String tokenHash = sha256Hex(device.token());
            if (get(Keys.pushToken(tokenHash), CLAIM_SK).filter(claim -> holder(claim).equals(holder)).isPresent()) {
                writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                        .key(Item.keyOf(Keys.pushToken(tokenHash), CLAIM_SK))
                        .conditionExpression(HELD_BY)
                        .expressionAttributeValues(heldBy(holder)).build()).build());
            }
        }

        /** Fails the transaction unless the device still holds its token. */
        void requireHolder(Device device) {
            writes.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                    .key(Item.keyOf(Keys.pushToken(sha256Hex(device.token())), CLAIM_SK))
                    .conditionExpression(HELD_BY)
                    .expressionAttributeValues(heldBy(new Holder(device.userId(), device.id()))).build()).build());
        }

        /** Fails the transaction if the session has ended (revoked, or gone after expiring). */
        void requireLiveSession(String userId, String sessionId) {
            writes.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                    .key(Item.keyOf(Keys.user(userId), Keys.session(sessionId)))
                    .conditionExpression("attribute_exists(" + Item.PK + ") AND attribute_not_exists(revoked_at)")
                    .build()).build());
        }

        /** The claim names the device from now on; written only if it is still as read (absent, or {@code read}). */
        private void claim(String tokenHash, Device device, Optional<Holder> read) {
            Item claim = Item.key(Keys.pushToken(tokenHash), CLAIM_SK)
                    .put(Item.TYPE, CLAIM_TYPE)
                    .put("user_id", device.userId())
                    .put("device_id", device.id())
                    .ownedBy(device.userId());
            Put.Builder put = Put.builder().tableName(table).item(claim.values());
            if (read.isEmpty()) {
                put.conditionExpression("attribute_not_exists(" + Item.PK + ")");
            } else {
                put.conditionExpression(HELD_BY).expressionAttributeValues(heldBy(read.get()));
            }
            writes.add(TransactWriteItem.builder().put(put.build()).build());
        }

        /** Everything to write: the device writes, then each touched summary, then the events. */
        List<TransactWriteItem> writes() {
            List<TransactWriteItem> all = new ArrayList<>(writes);
            summaries.forEach((userId, targets) -> all.add(PushTargets.write(table, userId, summariesRead.get(userId), targets)));
            events.forEach(event -> all.add(Outbox.put(table, event)));
            return all;
        }

        /** Writes it all in one transaction; false, with nothing stored, when a concurrent change got in the way. */
        boolean commit() {
            try {
                dynamo.transactWriteItems(request -> request.transactItems(writes()));
                return true;
            } catch (TransactionCanceledException e) {
                if (isConflict(e)) {
                    return false;
                }
                throw e;
            }
        }

        Written written(Device device) {
            return new Written(device, created, changedUsers());
        }
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
                .put(Item.GSI3_PK, device.active() ? Keys.devicesSeenIn(device.lastSeenAt()) : null)
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
