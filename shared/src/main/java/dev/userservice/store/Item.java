package dev.userservice.store;

import dev.userservice.json.Instants;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The table's attribute names, kept in one place, and a small builder and reader for items, so data-access code
 * reads as names and values rather than AttributeValue plumbing.
 */
public final class Item {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";
    public static final String GSI1 = "gsi1";
    /**
     * The owner index: items of a user that live outside the user's partition (email claim, tokens) carry
     * {@code owner = USER#<id>}, so erasing an account finds every one of them with a query, never a scan.
     */
    public static final String OWNER = "owner";
    public static final String OWNER_INDEX = "gsi2";
    /**
     * The stale-device index (KEYS_ONLY): every active device carries {@code gsi3pk = DEVICE_SEEN#<yyyy-MM>#<shard>} and
     * {@code gsi3sk = <last seen>#<user id>#<device id>} (see {@link Keys#devicesSeenIn} and {@link Keys#deviceSeen}),
     * removed when it is deactivated, so the daily pruning reads only the devices it deactivates.
     */
    public static final String GSI3 = "gsi3";
    public static final String GSI3_PK = "gsi3pk";
    public static final String GSI3_SK = "gsi3sk";
    /**
     * The search indexes of names and usernames: every account carries {@code gsi4pk = NAMES#<first character>} and
     * {@code gsi4sk = <name's search key>} (see {@link Keys#usersByName}; {@code PRIVATE_NAMES#<first character>}
     * while its owner keeps the name private, {@link Keys#usersByPrivateName}), and, with a username, the same in
     * {@code gsi5pk}/{@code gsi5sk} ({@link Keys#usersByUsername}), written with the account in its own
     * transactions, so a prefix search is one query of the prefix's shard.
     */
    public static final String GSI4 = "gsi4";
    public static final String GSI4_PK = "gsi4pk";
    public static final String GSI4_SK = "gsi4sk";
    public static final String GSI5 = "gsi5";
    public static final String GSI5_PK = "gsi5pk";
    public static final String GSI5_SK = "gsi5sk";
    /** The table's TTL attribute: epoch seconds after which DynamoDB deletes the item (within a day or two). */
    public static final String EXPIRES_AT = "expires_at";
    public static final String TYPE = "type";

    private final Map<String, AttributeValue> values;

    private Item(Map<String, AttributeValue> values) {
        this.values = values;
    }

    public static Item key(String pk, String sk) {
        Item item = new Item(new HashMap<>());
        return item.put(PK, pk).put(SK, sk);
    }

    public static Item of(Map<String, AttributeValue> values) {
        return new Item(values);
    }

    public static Map<String, AttributeValue> keyOf(String pk, String sk) {
        return key(pk, sk).values();
    }

    /** An instant as a number of epoch milliseconds, for attributes that conditions compare. */
    static AttributeValue epochMillis(Instant at) {
        return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
    }

    public Item put(String name, String value) {
        if (value != null) {
            values.put(name, AttributeValue.fromS(value));
        }
        return this;
    }

    public Item put(String name, Instant value) {
        return value == null ? this : put(name, value.toString());
    }

    public Item put(String name, boolean value) {
        values.put(name, AttributeValue.fromBool(value));
        return this;
    }

    public Item putNumber(String name, long value) {
        values.put(name, AttributeValue.fromN(Long.toString(value)));
        return this;
    }

    public Item putBytes(String name, byte[] value) {
        values.put(name, AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(value)));
        return this;
    }

    /** Marks an item outside the user's partition as the user's, for the owner index. */
    public Item ownedBy(String userId) {
        return put(OWNER, Keys.user(userId));
    }

    public Item expiresAt(Instant when) {
        return putNumber(EXPIRES_AT, when.getEpochSecond());
    }

    public Map<String, AttributeValue> values() {
        return values;
    }

    public String string(String name) {
        return optionalString(name).orElseThrow(() -> new IllegalStateException("Item lacks attribute " + name));
    }

    public Optional<String> optionalString(String name) {
        AttributeValue value = values.get(name);
        return value == null || value.s() == null ? Optional.empty() : Optional.of(value.s());
    }

    public Instant instant(String name) {
        return Instants.parse(string(name));
    }

    public Optional<Instant> optionalInstant(String name) {
        return optionalString(name).map(Instants::parse);
    }

    public boolean bool(String name) {
        AttributeValue value = values.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
    }

    public Optional<Long> number(String name) {
        AttributeValue value = values.get(name);
        return value == null || value.n() == null ? Optional.empty() : Optional.of(Long.parseLong(value.n()));
    }

    public Optional<byte[]> bytes(String name) {
        AttributeValue value = values.get(name);
        return value == null || value.b() == null ? Optional.empty() : Optional.of(value.b().asByteArray());
    }
}
