package dev.userservice.store;

import dev.userservice.devices.ActiveDevices;
import dev.userservice.devices.PushTarget;
import dev.userservice.json.Instants;
import dev.userservice.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The user's push-targets summary, {@code pk USER#<id>, sk PUSH_TARGETS}: every ACTIVE device in one item, so a
 * notification profile is one batch read of {@code PROFILE}, {@code PREFERENCES} and {@code PUSH_TARGETS}.
 * Attributes: {@code type "push_targets"}, {@code version} (N, raised by every device write, which is conditioned
 * on the version it read), and {@code devices} (S): a JSON array of
 * {@code {"device_id", "token", "platform", "session_id", "session_created_at", "last_seen_at"}}, the session
 * members null for a device a service registered. This class is the only one that knows that layout.
 */
public final class PushTargets {
    public static final String ITEM_TYPE = "push_targets";
    static final String VERSION = "version";
    static final String DEVICES = "devices";
    private static final String NEVER_WRITTEN = "attribute_not_exists(" + Item.PK + ")";
    private static final String VERSION_READ = "#version = :read";
    private static final Map<String, String> VERSION_NAME = Map.of("#version", VERSION);

    private PushTargets() {}

    /** The active devices in a summary item; none for a missing item (a user who never registered a device). */
    public static List<PushTarget> read(Item summary) {
        if (summary == null) {
            return List.of();
        }
        List<PushTarget> targets = new ArrayList<>();
        for (Object entry : (List<?>) Json.parse(summary.optionalString(DEVICES).orElse("[]"))) {
            Map<?, ?> json = (Map<?, ?>) entry;
            targets.add(new PushTarget(
                    (String) json.get("device_id"),
                    (String) json.get("token"),
                    (String) json.get("platform"),
                    (String) json.get("session_id"),
                    Instants.parseOrNull(json.get("session_created_at")),
                    Instants.parseOrNull(json.get("last_seen_at"))));
        }
        return List.copyOf(targets);
    }

    /** The summary item as the user's active devices, with its version (0 when the user never had one). */
    static ActiveDevices readVersioned(Map<String, AttributeValue> values) {
        if (values == null || values.isEmpty()) {
            return ActiveDevices.NONE;
        }
        Item item = Item.of(values);
        return new ActiveDevices(read(item), item.number(VERSION).orElse(0L));
    }

    /** Writes {@code targets} as the version after {@code versionRead}, failing if anyone wrote it since. */
    static TransactWriteItem write(String table, String userId, long versionRead, List<PushTarget> targets) {
        List<Map<String, Object>> devices = targets.stream().map(PushTargets::json).toList();
        Item item = Item.key(Keys.user(userId), Keys.PUSH_TARGETS)
                .put(Item.TYPE, ITEM_TYPE)
                .putNumber(VERSION, versionRead + 1)
                .put(DEVICES, Json.write(devices));
        Put.Builder put = Put.builder().tableName(table).item(item.values());
        if (versionRead == 0) {
            put.conditionExpression(NEVER_WRITTEN);
        } else {
            put.conditionExpression(VERSION_READ).expressionAttributeNames(VERSION_NAME).expressionAttributeValues(versionValue(versionRead));
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    /** Fails if anyone wrote the user's active devices since {@code versionRead}: a plan that changes none of them still rests on them. */
    static TransactWriteItem unchanged(String table, String userId, long versionRead) {
        ConditionCheck.Builder check = ConditionCheck.builder().tableName(table).key(Item.keyOf(Keys.user(userId), Keys.PUSH_TARGETS));
        if (versionRead == 0) {
            check.conditionExpression(NEVER_WRITTEN);
        } else {
            check.conditionExpression(VERSION_READ).expressionAttributeNames(VERSION_NAME).expressionAttributeValues(versionValue(versionRead));
        }
        return TransactWriteItem.builder().conditionCheck(check.build()).build();
    }

    private static Map<String, AttributeValue> versionValue(long versionRead) {
        return Map.of(":read", AttributeValue.fromN(Long.toString(versionRead)));
    }

    private static Map<String, Object> json(PushTarget target) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("device_id", target.deviceId());
        json.put("token", target.token());
        json.put("platform", target.platform());
        json.put("session_id", target.sessionId());
        json.put("session_created_at", target.sessionCreatedAt());
        json.put("last_seen_at", target.lastSeenAt());
        return json;
    }
}
