package dev.userservice.store;

import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.notifications.NotificationStatus.Channel;
import dev.userservice.notifications.NotificationStatus;
import dev.userservice.notifications.NotificationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Notification statuses in the single table, kept 90 days (TTL):
 * <ul>
 *   <li>the history, in the user's partition: {@code USER#<id>}, {@code NOTIFICATION#<timestamp>#<id>} with the
 *       timestamp at a fixed millisecond width, so the sort key orders by time and a backwards Query is newest first;
 *   <li>a marker per (notification, channel, status): {@code STATUS#<sha256 hex>}, {@code STATUS}, naming the history
 *       item it stands for, written only if absent, so a status is recorded once however often it is reported; a
 *       push's status from a second device takes a marker of its own ({@link NotificationStatus#deviceDeduplicationKey}).
 *       Erasing the account leaves its markers as tombstones ({@link #eraseMarker}) until their 90 days are over.
 * </ul>
 * A status is one transaction: the marker, the history item, the user's profile (which must exist; a hard bounce
 * sets {@code email_bounced} on it) and, for a dead push token, the deactivation of the device holding it. A bounce
 * timestamped before the profile's address was set or proven is of mail to an earlier address: it is recorded, and
 * marks nothing.
 */
public final class DynamoNotificationStore implements NotificationStore {
    static final String ITEM_TYPE = "notification_status";
    private static final String MARKER_TYPE = "notification_status_marker";
    private static final String HISTORY_PREFIX = "NOTIFICATION#";
    private static final String MARKER_SK = "STATUS";
    private static final String MARKER_PREFIX = "STATUS#";
    /** Set on the marker of an erased account's status, which keeps nothing but the user's id. */
    private static final String ERASED = "erased";
    private static final Duration KEPT = Duration.ofDays(90);
    /** The bound on a history page's reads of the partition, whatever it holds and whatever a filter leaves out. */
    public static final int HISTORY_READS = 4;
    /** The items a filtered history read examines: a filter is applied after DynamoDB reads them. */
    public static final int FILTERED_READ = 100;
    /** Instant.toString drops zero fractions, which would sort "…:00Z" after "…:00.500Z"; a fixed width does not. */
    private static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String NEW_ITEM = "attribute_not_exists(" + Item.PK + ")";
    private static final String EXISTING_ITEM = "attribute_exists(" + Item.PK + ")";
    /** Positions of the writes whose failure has a meaning of its own, in {@link #writes}. */
    private static final int MARKER = 0;
    private static final int PROFILE = 2;

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoDeviceStore devices;
    private final Clock clock;

    public DynamoNotificationStore(DynamoDbClient dynamo, String table, DynamoDeviceStore devices, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.devices = devices;
        this.clock = clock;
    }

    /**
     * Retries while the device deactivation loses to a concurrent device change (its summary is written on the
     * version read), as the device store's own writes do; a repeat that raced this one is found on the retry.
     */
    @Override
    public Outcome record(NotificationStatus status) {
        AtomicBoolean bounceMayMark = new AtomicBoolean(status.marksEmailBounced());
        AtomicReference<String> deduplicationKey = new AtomicReference<>(status.deduplicationKey());
        return OptimisticRetry.run(() -> {
            Set<String> changedUsers = new LinkedHashSet<>();
            boolean marksBounce = bounceMayMark.get();
            String key = deduplicationKey.get();
            List<TransactWriteItem> writes = writes(status, key, marksBounce, changedUsers);
            try {
                dynamo.transactWriteItems(request -> request.transactItems(writes));
                return Optional.of(new Outcome.Created(status, Set.copyOf(changedUsers)));
            } catch (TransactionCanceledException e) {
                Cancellation cancellation = Cancellation.of(e);
                if (cancellation.failedAt(MARKER)) {
                    Optional<Item> marker = get(markerPk(key), MARKER_SK);
                    if (marker.filter(item -> item.bool(ERASED)).isPresent()) {
                        return Optional.of(marker.get().string("user_id").equals(status.userId())
                                ? new Outcome.UnknownUser() : new Outcome.AnotherUsers());
                    }
                    Optional<NotificationStatus> first = marker.flatMap(this::recorded);
                    boolean anotherDevice = status.deviceToken() != null && key.equals(status.deduplicationKey())
                            && first.isPresent() && first.get().userId().equals(status.userId())
                            && !status.deviceToken().equals(first.get().deviceToken());
                    if (anotherDevice) {
                        // The same status of the same push, from another of the user's devices: a status of its own.
                        // Another user's is a duplicate, which the recorder refuses as another user's notification.
                        deduplicationKey.set(status.deviceDeduplicationKey());
                        return Optional.empty();
                    }
                    return Optional.of(new Outcome.Duplicate(first));
                }
                if (cancellation.failedAt(PROFILE) && marksBounce) {
                    // The address was set after the bounce, or there is no profile: the retry only checks for one.
                    bounceMayMark.set(false);
                    return Optional.empty();
                }
                if (cancellation.failedAt(PROFILE)) {
                    return Optional.of(new Outcome.UnknownUser());
                }
                if (!cancellation.changedMeanwhile()) {
                    throw cancellation.unexpected();
                }
                return Optional.empty();
            }
        }, "The user's devices are being changed by other requests; try again");
    }

    private List<TransactWriteItem> writes(NotificationStatus status, String deduplicationKey, boolean marksBounce,
                                           Set<String> changedUsers) {
        String historySk = historySk(status);
        Instant expiresAt = status.recordedAt().plus(KEPT);
        Item marker = Item.key(markerPk(deduplicationKey), MARKER_SK)
                .put(Item.TYPE, MARKER_TYPE)
                .put("user_id", status.userId())
                .put("history_sk", historySk)
                .ownedBy(status.userId())
                .expiresAt(expiresAt);
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(put(marker, status.recordedAt()));
        writes.add(put(historyItem(status, historySk).expiresAt(expiresAt), status.recordedAt()));
        writes.add(marksBounce ? markEmailBounced(status) : UserItems.accountExists(table, status.userId()));
        status.deactivatesDevice().flatMap(reason -> devices.deactivationOf(status.deviceToken(), reason, status.timestamp(),
                        status.recordedAt(), status.userId()))
                .ifPresent(deactivation -> {
                    writes.addAll(deactivation.writes());
                    changedUsers.add(deactivation.userId());
                });
        if (marksBounce) {
            changedUsers.add(status.userId());
        }
        return writes;
    }

    /** At most one read per status the notification may have had, through the markers, which name the user. */
    @Override
    public Optional<String> userOf(String notificationId, Channel channel) {
        for (NotificationStatus.Status status : NotificationStatus.Status.values()) {
            Optional<String> user = get(markerPk(NotificationStatus.deduplicationKey(notificationId, channel, status)), MARKER_SK)
                    .map(marker -> marker.string("user_id"));
            if (user.isPresent()) {
                return user;
            }
        }
        return Optional.empty();
    }

    /** The first record of a repeated status, while its history item is kept. */
    private Optional<NotificationStatus> recorded(Item marker) {
        return get(Keys.user(marker.string("user_id")), marker.string("history_sk")).map(DynamoNotificationStore::status);
    }

    /**
     * Whether an item the owner index lists for an erasure is a status's marker, which {@link #eraseMarker} keeps.
     */
    static boolean isMarker(Map<String, AttributeValue> key) {
        return key.get(Item.PK).s().startsWith(MARKER_PREFIX);
    }

    /**
     * Turns an erased account's marker into a tombstone: the user's id and the marker's expiry, no owner (so the
     * erasure does not find it again) and no history item. A status reported later without {@code user_id}, which an
     * earlier service's client sends, then names a user who no longer exists and is dropped, where without the
     * marker it would name nobody and be retried as a status that arrived before the one naming its user. A marker
     * taken by another user since (it never is: a notification id is one user's) is left alone.
     */
    static void eraseMarker(DynamoDbClient dynamo, String table, Map<String, AttributeValue> key, String userId) {
        try {
            dynamo.updateItem(request -> request.tableName(table)
                    .key(Map.of(Item.PK, key.get(Item.PK), Item.SK, key.get(Item.SK)))
                    .conditionExpression("#owner = :owner")
                    .updateExpression("SET #erased = :erased REMOVE #owner, history_sk")
                    .expressionAttributeNames(Map.of("#owner", Item.OWNER, "#erased", ERASED))
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(Keys.user(userId)),
                            ":erased", AttributeValue.fromBool(true))));
        } catch (ConditionalCheckFailedException e) {
            // Gone by TTL, or no longer this user's: nothing of the account is left in it.
        }
    }

    /**
     * Pages backwards through the partition. A channel or status filter is applied after DynamoDB reads, so a call may
     * bring fewer matches than asked: calls continue until the page has one record more than it shows (so whether a
     * next page exists is known without an empty last page), the partition ends, or {@link #HISTORY_READS} calls were
     * made; then the page holds what they found, possibly nothing, and its cursor resumes where they stopped. Statuses
     * past their 90 days are left out: TTL deletes them only within days of their expiry.
     */
    @Override
    public HistoryPage history(String userId, HistoryFilter filter, Optional<String> after, int limit) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", AttributeValue.fromS(Keys.user(userId)));
        values.put(":prefix", AttributeValue.fromS(HISTORY_PREFIX));
        values.put(":now", AttributeValue.fromN(Long.toString(clock.instant().getEpochSecond())));
        List<String> conditions = new ArrayList<>(List.of(Item.EXPIRES_AT + " > :now"));
        filter.channel().ifPresent(only -> {
            values.put(":channel", AttributeValue.fromS(only.wireName()));
            conditions.add("channel = :channel");
        });
        filter.status().ifPresent(only -> {
            values.put(":status", AttributeValue.fromS(only.wireName()));
            conditions.add("#status = :status"); // STATUS is a reserved word of DynamoDB's expressions
        });
        String filterExpression = String.join(" AND ", conditions);
        Map<String, String> names = filter.status().isPresent() ? Map.of("#status", "status") : null;
        List<NotificationStatus> found = new ArrayList<>();
        Map<String, AttributeValue> start = after.map(sk -> Item.keyOf(Keys.user(userId), sk)).orElse(null);
        boolean filtered = filter.channel().isPresent() || filter.status().isPresent();
        int reads = 0;
        do {
            Map<String, AttributeValue> from = start;
            // DynamoDB's limit counts the items read before the filter: a filter reads a full page whatever it keeps.
            int wanted = filtered ? FILTERED_READ : limit + 1 - found.size();
            QueryResponse page = dynamo.query(request -> request.tableName(table)
                    .keyConditionExpression(Item.PK + " = :pk AND begins_with(" + Item.SK + ", :prefix)")
                    .filterExpression(filterExpression)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .exclusiveStartKey(from)
                    .limit(wanted));
            reads++;
            for (Map<String, AttributeValue> item : page.items()) {
                if (found.size() <= limit) {
                    found.add(status(Item.of(item)));
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && found.size() <= limit && reads < HISTORY_READS);
        if (found.size() <= limit) {
            // The reads ran out before the page filled: the next page starts where they stopped.
            return new HistoryPage(List.copyOf(found), Optional.ofNullable(start).map(key -> key.get(Item.SK).s()));
        }
        List<NotificationStatus> shown = List.copyOf(found.subList(0, limit));
        return new HistoryPage(shown, Optional.of(historySk(shown.getLast())));
    }

    /**
     * Pages backwards through the partition from the newest status down to {@code since} (the sort key orders by
     * timestamp), projecting only channel, status and timestamp, and stops at {@code limit} records.
     */
    @Override
    public List<Counted> countedSince(String userId, Instant since, int limit) {
        Map<String, AttributeValue> values = Map.of(
                ":pk", AttributeValue.fromS(Keys.user(userId)),
                ":from", AttributeValue.fromS(HISTORY_PREFIX + SORTABLE.format(since)),
                ":to", AttributeValue.fromS(HISTORY_PREFIX + "~"));
        List<Counted> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(request -> request.tableName(table)
                    .keyConditionExpression(Item.PK + " = :pk AND " + Item.SK + " BETWEEN :from AND :to")
                    .projectionExpression("channel, #status, #timestamp")
                    .expressionAttributeNames(Map.of("#status", "status", "#timestamp", "timestamp"))
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .exclusiveStartKey(from)
                    .limit(limit - found.size()));
            page.items().stream().map(Item::of).forEach(item -> found.add(new Counted(
                    Channel.fromWireName(item.string("channel")).orElseThrow(),
                    NotificationStatus.Status.fromWireName(item.string("status")).orElseThrow(),
                    item.instant("timestamp"))));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && found.size() < limit);
        return List.copyOf(found);
    }

    private TransactWriteItem markEmailBounced(NotificationStatus bounce) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(Item.keyOf(Keys.user(bounce.userId()), Keys.PROFILE))
                .updateExpression("SET #bounced = :true")
                .conditionExpression(EXISTING_ITEM + " AND (attribute_not_exists(#from) OR #from <= :bouncedAt)")
                .expressionAttributeNames(Map.of("#bounced", UserItems.EMAIL_BOUNCED, "#from", UserItems.EMAIL_BOUNCES_FROM))
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true),
                        ":bouncedAt", Item.epochMillis(bounce.timestamp())))
                .build()).build();
    }

    /** Written unless the item is there and kept: one past its 90 days is gone, whenever TTL gets to deleting it. */
    private TransactWriteItem put(Item item, Instant now) {
        return TransactWriteItem.builder()
                .put(Put.builder().tableName(table).item(item.values())
                        .conditionExpression(NEW_ITEM + " OR " + Item.EXPIRES_AT + " <= :now")
                        .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                        .build())
                .build();
    }

    private static Item historyItem(NotificationStatus status, String sk) {
        return Item.key(Keys.user(status.userId()), sk)
                .put(Item.TYPE, ITEM_TYPE)
                .put("id", status.id())
                .put("notification_id", status.notificationId())
                .put("user_id", status.userId())
                .put("channel", status.channel().wireName())
                .put("status", status.status().wireName())
                .put("error", status.error())
                .put("device_token", status.deviceToken())
                .put("timestamp", status.timestamp())
                .put("recorded_at", status.recordedAt());
    }

    private static NotificationStatus status(Item item) {
        return new NotificationStatus(
                item.string("id"),
                item.string("notification_id"),
                item.string("user_id"),
                Channel.fromWireName(item.string("channel")).orElseThrow(),
                NotificationStatus.Status.fromWireName(item.string("status")).orElseThrow(),
                item.optionalString("error").orElse(null),
                item.optionalString("device_token").orElse(null),
                item.instant("timestamp"),
                item.instant("recorded_at"));
    }

    private static String historySk(NotificationStatus status) {
        return HISTORY_PREFIX + SORTABLE.format(status.timestamp()) + "#" + status.id();
    }

    /** Keyed by a hash, as push-token claims are: notification ids reach 128 characters of any kind. */
    private static String markerPk(String deduplicationKey) {
        return MARKER_PREFIX + DynamoDeviceStore.sha256Hex(deduplicationKey);
    }

    /** The item while it is kept: TTL deletes an item only within days of its expiry. */
    private Optional<Item> get(String pk, String sk) {
        Map<String, AttributeValue> item = dynamo.getItem(request -> request.tableName(table)
                .key(Item.keyOf(pk, sk)).consistentRead(true)).item();
        long now = clock.instant().getEpochSecond();
        return item == null || item.isEmpty() ? Optional.empty()
                : Optional.of(Item.of(item)).filter(found -> found.number(Item.EXPIRES_AT).map(at -> at > now).orElse(true));
    }
}
