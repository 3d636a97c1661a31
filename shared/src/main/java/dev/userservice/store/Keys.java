package dev.userservice.store;

/**
 * The single table's key layout, in one place. Items of a user share the partition {@code USER#<id>}; the
 * lookups by something other than the user id (email, refresh token) have items of their own.
 */
public final class Keys {
    public static final String PROFILE = "PROFILE";
    public static final String PREFERENCES = "PREFERENCES";
    /** The user's extended profile (display fields and their visibility), beside the account's own item. */
    public static final String DISPLAY_PROFILE = "DISPLAY_PROFILE";
    public static final String SESSION_PREFIX = "SESSION#";
    /** Not a {@link #SESSION_PREFIX} key: a query of the sessions reads no marker. */
    public static final String LIVE_SESSION_PREFIX = "LIVE_SESSION#";
    public static final String DEVICE_PREFIX = "DEVICE#";
    /** The user's active devices in one item, so a notification profile is one batch read (see DynamoDeviceStore). */
    public static final String PUSH_TARGETS = "PUSH_TARGETS";
    /** The partition of the table stream's heartbeats: one item a beat, sorted by its instant. */
    public static final String HEARTBEAT = "HEARTBEAT";
    /**
     * The GSI partitions listing users by email, in email order: one per first character of the address (a-z,
     * 0-9, and {@code _} for any other), so the admin listing spreads over many partitions instead of one hot one.
     * Addresses starting with anything but a-z or 0-9 share the last shard, so they come last in a full listing.
     */
    public static final java.util.List<String> USERS_BY_EMAIL_SHARDS = usersByEmailShards();
    private static final String USERS_BY_EMAIL_PREFIX = "USERS#";
    private static final char OTHER_FIRST_CHARACTERS = '_';

    private static final String DEVICES_SEEN_PREFIX = "DEVICE_SEEN#";
    /** Instants in the stale-device index: always nine fraction digits, so text order is time order. */
    private static final java.time.format.DateTimeFormatter SORTABLE_INSTANT =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private Keys() {}

    /**
     * Partitions of the stale-device index per month. Every registration of a token moves its device's entry to the
     * time it was seen, and apps register at every start: one partition of an index takes about 1,000 writes a
     * second, and its sort key (the time) only grows, so DynamoDB cannot split it by key range; sixteen partitions
     * take some 8,000 registrations a second (a move is two writes), for seventeen queries a month in the daily
     * pruning where it made one.
     */
    static final int DEVICES_SEEN_SHARDS = 16;

    /**
     * The stale-device index partitions of the active devices last seen in {@code month} (UTC): the month's shards,
     * then the partition of the whole month that versions before the shards wrote, which holds only devices not seen
     * since then and is empty {@code StaleDevices.NOT_SEEN_FOR} after the shards were deployed.
     */
    public static java.util.List<String> devicesSeenIn(java.time.YearMonth month) {
        java.util.List<String> partitions = new java.util.ArrayList<>(DEVICES_SEEN_SHARDS + 1);
        for (int shard = 0; shard < DEVICES_SEEN_SHARDS; shard++) {
            partitions.add(devicesSeenIn(month, shard));
        }
        partitions.add(DEVICES_SEEN_PREFIX + month);
        return partitions;
    }

    /** The stale-device index partition of a device last seen at {@code lastSeenAt}: its month's shard for its id. */
    public static String devicesSeenIn(java.time.Instant lastSeenAt, String deviceId) {
        java.time.YearMonth month = java.time.YearMonth.from(lastSeenAt.atOffset(java.time.ZoneOffset.UTC));
        return devicesSeenIn(month, Math.floorMod(deviceId.hashCode(), DEVICES_SEEN_SHARDS));
    }

    private static String devicesSeenIn(java.time.YearMonth month, int shard) {
        return DEVICES_SEEN_PREFIX + month + "#" + Character.forDigit(shard, DEVICES_SEEN_SHARDS);
    }

    /** The device's sort key in its stale-device index partition: {@code <last seen>#<user id>#<device id>}. */
    public static String deviceSeen(java.time.Instant lastSeenAt, String userId, String deviceId) {
        return seenBound(lastSeenAt) + "#" + userId + "#" + deviceId;
    }

    /** A sort key bound: every device last seen before {@code instant} sorts below it. */
    public static String seenBound(java.time.Instant instant) {
        return SORTABLE_INSTANT.format(instant);
    }

    public static String user(String userId) {
        return "USER#" + userId;
    }

    /** The listing shard holding {@code email}, or every address starting with {@code email} when it is a prefix. */
    public static String usersByEmail(String email) {
        return USERS_BY_EMAIL_PREFIX + shard(email);
    }

    /** The search shard of names holding {@code nameKey}, or every name key starting with it (see Item.GSI4). */
    public static String usersByName(String nameKey) {
        return "NAMES#" + shard(nameKey);
    }

    /**
     * The shard of names their owners made private holding {@code nameKey}, or every such name key starting with it:
     * in the same index as {@link #usersByName}, which a user's search reads, but another partition, which only an
     * admin's or a service's does.
     */
    public static String usersByPrivateName(String nameKey) {
        return "PRIVATE_NAMES#" + shard(nameKey);
    }

    /** The search shard of usernames holding {@code usernameKey}, or every username key starting with it (Item.GSI5). */
    public static String usersByUsername(String usernameKey) {
        return "USERNAMES#" + shard(usernameKey);
    }

    /** One shard per first character a-z or 0-9, and one for every other first character. */
    private static char shard(String key) {
        char first = key.isEmpty() ? OTHER_FIRST_CHARACTERS : key.charAt(0);
        boolean ownShard = (first >= 'a' && first <= 'z') || (first >= '0' && first <= '9');
        return ownShard ? first : OTHER_FIRST_CHARACTERS;
    }

    private static java.util.List<String> usersByEmailShards() {
        java.util.List<String> shards = new java.util.ArrayList<>();
        "0123456789abcdefghijklmnopqrstuvwxyz".chars().forEach(first -> shards.add(USERS_BY_EMAIL_PREFIX + (char) first));
        shards.add(USERS_BY_EMAIL_PREFIX + OTHER_FIRST_CHARACTERS);
        return java.util.List.copyOf(shards);
    }

    /**
     * The partition of {@link Item#GSI3} listing the accounts of one kind (type, role, status and plan) in email order. A
     * filtered admin listing queries the kinds its filter matches one after another, so it never scans; the
     * partitions overload the index the stale devices use, whose partitions start with {@code DEVICE_SEEN#}.
     */
    public static String usersOfKind(String type, String role, String status, String plan) {
        return "ACCOUNTS#" + type + "#" + role + "#" + status + "#" + plan;
    }

    public static String email(String email) {
        return "EMAIL#" + email;
    }

    /** The claim of a username, by its case-insensitive key ({@code Text.usernameKey}). */
    public static String username(String usernameKey) {
        return "USERNAME#" + usernameKey;
    }

    /** A device of the user, under the user's partition. */
    public static String device(String deviceId) {
        return DEVICE_PREFIX + deviceId;
    }

    /** The claim that keeps a push token with one user at a time; keyed by the token's SHA-256 (tokens reach 4 KiB). */
    public static String pushToken(String tokenSha256) {
        return "PUSH_TOKEN#" + tokenSha256;
    }

    public static String session(String sessionId) {
        return SESSION_PREFIX + sessionId;
    }

    /** The marker a session keeps in its user's partition while it is not revoked (see DynamoSessionStore#listLive). */
    public static String liveSession(String sessionId) {
        return LIVE_SESSION_PREFIX + sessionId;
    }

    public static String refreshToken(String hash) {
        return "REFRESH#" + hash;
    }

    public static String rateCounter(String key) {
        return "RATE#" + key;
    }

    /** The partition of a user's outbox items: one, so the table's stream keeps their order (see {@link Outbox}). */
    public static String outbox(String userId) {
        return "OUTBOX#" + userId;
    }

    public static String idempotency(String id) {
        return "IDEMPOTENCY#" + id;
    }
}
