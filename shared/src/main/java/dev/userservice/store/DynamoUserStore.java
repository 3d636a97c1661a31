package dev.userservice.store;

import dev.userservice.accounts.RegistrationStore;
import dev.userservice.accounts.UserDirectory;
import dev.userservice.auth.Role;
import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.events.UserEvent;
import dev.userservice.json.Json;
import dev.userservice.preferences.Preferences;
import dev.userservice.sessions.Session;
import dev.userservice.sessions.SessionEnd;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.ActingAdminLostAccessException;
import dev.userservice.users.EmailTakenException;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import dev.userservice.users.UserStore;
import dev.userservice.users.UsernameTakenException;
import dev.userservice.validation.Text;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Users and their email and username claims in the single table, and registrations, which write a new account together with its
 * preferences, first session and device. Profiles are also listed by email through {@link Item#GSI1}, spread over
 * the shards of {@link Keys#USERS_BY_EMAIL_SHARDS}.
 */
public final class DynamoUserStore implements UserStore, RegistrationStore {
    private static final String NEW_ITEM = "attribute_not_exists(" + Item.PK + ")";
    /** The email claim's position in the registration transaction, to tell a taken email from other failures. */
    private static final int EMAIL_CLAIM = 1;
    /** A new account's username claim's position, after the profile, the email claim and the preferences. */
    private static final int NEW_USERNAME_CLAIM = 3;
    /**
     * The listing and search keys, always written, which also indexes an account stored before an index existed at
     * its next change.
     */
    private static final Set<String> INDEX_KEYS = Set.of(Item.GSI1_PK, Item.GSI1_SK, Item.GSI3_PK, Item.GSI3_SK,
            Item.GSI4_PK, Item.GSI4_SK, Item.GSI5_PK, Item.GSI5_SK);
    /** Profile attributes no update rewrites: the keys, and what never changes after registration. */
    private static final Set<String> FIXED_ATTRIBUTES = Set.of(Item.PK, Item.SK, Item.TYPE, "id", "created_at");
    /** The account's kind of item, its {@link Item#TYPE}. */
    static final String ITEM_TYPE = "user";
    /** The profile's account type; not {@link Item#TYPE}, which names the kind of item. */
    static final String ACCOUNT_TYPE = "account_type";
    /** An email claim may be released by its owner; a missing one (never expected) does not block the change. */
    private static final String OWN_CLAIM = "attribute_not_exists(" + Item.PK + ") OR user_id = :user_id";

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoSessionStore sessions;
    private final OneTimeTokens oneTimeTokens;
    private final DynamoDeviceStore devices;
    /** The type of an account stored before types existed, until its next write stores one. */
    private final String defaultType;
    /** The plan of an account stored without one (before plans existed). */
    private final String defaultPlan;

    /** A store whose accounts without a stored plan are on {@link Plans#DEFAULT}'s default one. */
    public DynamoUserStore(DynamoDbClient dynamo, String table, DynamoSessionStore sessions, OneTimeTokens oneTimeTokens,
                           DynamoDeviceStore devices) {
        this(dynamo, table, sessions, oneTimeTokens, devices, AccountTypes.DEFAULTS.defaultType(), Plans.DEFAULT.defaultPlan());
    }

    public DynamoUserStore(DynamoDbClient dynamo, String table, DynamoSessionStore sessions, OneTimeTokens oneTimeTokens,
                           DynamoDeviceStore devices, String defaultType, String defaultPlan) {
        this.defaultPlan = defaultPlan;
        this.dynamo = dynamo;
        this.table = table;
        this.sessions = sessions;
        this.oneTimeTokens = oneTimeTokens;
        this.devices = devices;
        this.defaultType = defaultType;
    }

    /**
     * A registration that moves a push token competes with that token's other registrations: when the device's
     * writes lose to a concurrent change they are planned again and retried through {@link OptimisticRetry}. A
     * registration without a device has no race to lose; its failures are thrown at once.
     */
    @Override
    public Set<String> create(User user, Preferences preferences, Session session, String refreshTokenHash, UserEvent registered,
                              Optional<DeviceRegistration> device) {
        return OptimisticRetry.run(() -> {
            List<TransactWriteItem> writes = newAccount(user, preferences);
            writes.addAll(sessions.creation(session, refreshTokenHash));
            writes.add(Outbox.put(table, registered));
            Optional<DynamoDeviceStore.Changes> deviceWrites = device.map(registration ->
                    devices.registrationAtSignup(user.id(), registration, user.createdAt()));
            deviceWrites.ifPresent(changes -> writes.addAll(changes.writes()));
            try {
                dynamo.transactWriteItems(request -> request.transactItems(writes));
                Set<String> others = new java.util.HashSet<>(deviceWrites.map(DynamoDeviceStore.Changes::changedUsers).orElse(Set.of()));
                others.remove(user.id());
                return Optional.of(others);
            } catch (TransactionCanceledException e) {
                Cancellation cancellation = Cancellation.of(e);
                refuseTakenClaims(cancellation, user);
                // The device's token may have moved, or its holder's devices changed, since they were read.
                if (cancellation.lostRace() || (deviceWrites.isPresent() && cancellation.anyFailed())) {
                    return Optional.empty();
                }
                throw cancellation.unexpected();
            }
        }, "The push token is being registered by other requests; try again");
    }

    @Override
    public void createAccount(User user, Preferences preferences, Optional<Invitation> invitation, List<UserEvent> events) {
        List<TransactWriteItem> writes = newAccount(user, preferences);
        invitation.ifPresent(token -> writes.add(oneTimeTokens.issue(OneTimeTokens.Purpose.PASSWORD_RESET,
                token.tokenHash(), user.id(), user.email(), token.issuedAt(), token.expiresAt())));
        events.forEach(event -> writes.add(Outbox.put(table, event)));
        try {
            dynamo.transactWriteItems(request -> request.transactItems(writes));
        } catch (TransactionCanceledException e) {
            Cancellation cancellation = Cancellation.of(e);
            refuseTakenClaims(cancellation, user);
            throw cancellation.unexpected();
        }
    }

    /**
     * What every new account starts with: the profile, its email claim, its preferences and its username claim. Its
     * address counts bounces from the account's creation on: one dated earlier was another account's mail.
     */
    private List<TransactWriteItem> newAccount(User user, Preferences preferences) {
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                put(userItem(user).putNumber(UserItems.EMAIL_BOUNCES_FROM, user.createdAt().toEpochMilli())),
                put(emailClaim(user.email(), user.id())),
                put(DynamoPreferencesStore.item(user.id(), preferences))));
        Optional.ofNullable(user.username()).ifPresent(username -> writes.add(put(usernameClaim(username, user.id()))));
        return writes;
    }

    /** The taken email or username that cancelled a new account's transaction ({@link #newAccount}), if one did. */
    private static void refuseTakenClaims(Cancellation cancellation, User user) {
        if (cancellation.failedAt(EMAIL_CLAIM)) {
            throw new EmailTakenException();
        }
        if (user.username() != null && cancellation.failedAt(NEW_USERNAME_CLAIM)) {
            throw new UsernameTakenException();
        }
    }

    @Override
    public Optional<User> findById(String id) {
        return get(Keys.user(id), Keys.PROFILE).map(this::account);
    }

    @Override
    public Optional<User> findByEmail(String email) {
        return get(Keys.email(email), UserItems.EMAIL_CLAIM_SK).flatMap(claim -> findById(claim.string(UserItems.CLAIM_OWNER)));
    }

    @Override
    public Optional<User> findByUsername(String usernameKey) {
        return get(Keys.username(usernameKey), UserItems.USERNAME_CLAIM_SK).flatMap(claim -> findById(claim.string(UserItems.CLAIM_OWNER)));
    }

    @Override
    public boolean update(User before, User after, Optional<EmailVerification> verification, List<UserEvent> events,
                          Optional<String> actingAdmin) {
        boolean emailChanged = !before.email().equals(after.email());
        List<TransactWriteItem> writes = new ArrayList<>();
        if (emailChanged) {
            writes.add(releaseEmailClaim(before));
            writes.add(put(emailClaim(after.email(), after.id())));
        }
        int usernameClaim = -1;
        if (!Objects.equals(usernameKey(before), usernameKey(after))) {
            releaseUsernameClaim(before).ifPresent(writes::add);
            if (after.username() != null) {
                usernameClaim = writes.size();
                writes.add(put(usernameClaim(after.username(), after.id())));
            }
        }
        int profile = writes.size();
        writes.add(TransactWriteItem.builder().update(profileUpdate(before, after)).build());
        verification.ifPresent(token -> writes.add(oneTimeTokens.issue(OneTimeTokens.Purpose.EMAIL_VERIFICATION,
                token.tokenHash(), after.id(), after.email(), after.updatedAt(), token.expiresAt())));
        events.forEach(event -> writes.add(Outbox.put(table, event)));
        int adminCheck = addActingAdminCheck(writes, actingAdmin);
        try {
            dynamo.transactWriteItems(request -> request.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            Cancellation cancellation = Cancellation.of(e);
            refuseIfActingAdminLost(cancellation, adminCheck);
            if (emailChanged && cancellation.failedAt(EMAIL_CLAIM)) {
                throw new EmailTakenException();
            }
            if (usernameClaim >= 0 && cancellation.failedAt(usernameClaim)) {
                throw new UsernameTakenException();
            }
            // Changed meanwhile, or a lost race: the caller reads again and retries.
            if (cancellation.failedAt(profile) || (emailChanged && cancellation.failedAt(0)) || cancellation.lostRace()) {
                return false;
            }
            throw cancellation.unexpected();
        }
    }

    @Override
    public boolean delete(User user, UserEvent deleted, Optional<String> actingAdmin) {
        Delete profile = Delete.builder().tableName(table)
                .key(Item.keyOf(Keys.user(user.id()), Keys.PROFILE))
                .conditionExpression("updated_at = :read")
                .expressionAttributeValues(Map.of(":read", AttributeValue.fromS(user.updatedAt().toString())))
                .build();
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                TransactWriteItem.builder().delete(profile).build(),
                releaseEmailClaim(user),
                Outbox.put(table, deleted)));
        releaseUsernameClaim(user).ifPresent(writes::add);
        int adminCheck = addActingAdminCheck(writes, actingAdmin);
        try {
            dynamo.transactWriteItems(request -> request.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            Cancellation cancellation = Cancellation.of(e);
            refuseIfActingAdminLost(cancellation, adminCheck);
            if (cancellation.changedMeanwhile()) {
                return false;
            }
            throw cancellation.unexpected();
        }
    }

    /**
     * Adds the condition that the acting admin's own account is still an active admin, if there is an acting admin;
     * answers its position among the writes, or -1.
     */
    private int addActingAdminCheck(List<TransactWriteItem> writes, Optional<String> actingAdmin) {
        actingAdmin.ifPresent(adminId -> writes.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                .tableName(table).key(Item.keyOf(Keys.user(adminId), Keys.PROFILE))
                .conditionExpression("#role = :admin AND #status = :active")
                .expressionAttributeNames(Map.of("#role", UserItems.ROLE, "#status", UserItems.STATUS))
                .expressionAttributeValues(Map.of(":admin", AttributeValue.fromS(Role.ADMIN.claim()),
                        ":active", AttributeValue.fromS(UserItems.ACTIVE)))
                .build()).build()));
        return actingAdmin.isPresent() ? writes.size() - 1 : -1;
    }

    private static void refuseIfActingAdminLost(Cancellation cancellation, int adminCheck) {
        if (adminCheck >= 0 && cancellation.failedAt(adminCheck)) {
            throw new ActingAdminLostAccessException();
        }
    }

    /**
     * Walks the listing shards in order (only the prefix's own shard for a prefix), asking each for one item more
     * than the page needs, so that whether a next page exists is known without an empty last page.
     */
    @Override
    public UserPage listByEmail(Optional<String> emailPrefix, Optional<ListPosition> after, int limit) {
        List<String> shards = emailPrefix.map(prefix -> List.of(Keys.usersByEmail(prefix))).orElse(Keys.USERS_BY_EMAIL_SHARDS);
        int first = after.map(position -> shards.indexOf(Keys.usersByEmail(position.email()))).orElse(0);
        if (first < 0) {
            return new UserPage(List.of(), Optional.empty());
        }
        List<User> found = new ArrayList<>();
        for (int shard = first; shard < shards.size() && found.size() <= limit; shard++) {
            Map<String, AttributeValue> start = shard == first ? after.map(position -> EmailIndex.BY_EMAIL.startAfter(
                    Keys.usersByEmail(position.email()), position.email(), position.id())).orElse(null) : null;
            do {
                QueryResponse page = queryByEmail(EmailIndex.BY_EMAIL, shards.get(shard), emailPrefix, start, limit + 1 - found.size());
                page.items().forEach(item -> found.add(account(Item.of(item))));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && found.size() <= limit);
        }
        if (found.size() <= limit) {
            return new UserPage(List.copyOf(found), Optional.empty());
        }
        List<User> users = List.copyOf(found.subList(0, limit));
        User last = users.getLast();
        return new UserPage(users, Optional.of(new ListPosition(last.email(), last.id())));
    }

    /**
     * Walks the kinds' partitions of {@link Item#GSI3} in the order given, like {@link #listByEmail} walks its shards.
     * The index projects keys only, so each page's profiles are then read by key in one batch.
     */
    @Override
    public KindPage listByKind(List<Kind> kinds, Optional<String> emailPrefix, Optional<KindPosition> after, int limit) {
        int first = after.map(position -> kinds.indexOf(position.kind())).orElse(0);
        if (first < 0) {
            return new KindPage(List.of(), Optional.empty());
        }
        List<KindPosition> found = new ArrayList<>();
        for (int kind = first; kind < kinds.size() && found.size() <= limit; kind++) {
            String partition = partitionOf(kinds.get(kind));
            Map<String, AttributeValue> start = kind == first
                    ? after.map(position -> EmailIndex.BY_KIND.startAfter(partition, position.email(), position.id())).orElse(null) : null;
            do {
                QueryResponse page = queryByEmail(EmailIndex.BY_KIND, partition, emailPrefix, start, limit + 1 - found.size());
                for (Map<String, AttributeValue> item : page.items()) {
                    Item entry = Item.of(item);
                    found.add(new KindPosition(kinds.get(kind), entry.string(Item.GSI3_SK),
                            entry.string(Item.PK).substring(Keys.user("").length())));
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && found.size() <= limit);
        }
        List<KindPosition> onPage = found.subList(0, Math.min(limit, found.size()));
        // The index lags the profile: an account read under a kind it has left since, or an address it has changed
        // since, is listed where it is now, not here (the page may then hold fewer than the limit).
        Map<String, Set<String>> partitionsRead = new HashMap<>();
        onPage.forEach(entry -> partitionsRead.computeIfAbsent(entry.id(), id -> new HashSet<>()).add(partitionOf(entry.kind())));
        List<User> users = profiles(onPage.stream().map(entry -> Item.keyOf(Keys.user(entry.id()), Keys.PROFILE)).toList()).stream()
                .filter(user -> kindPartition(user).filter(partitionsRead.get(user.id())::contains).isPresent())
                .filter(user -> emailPrefix.map(user.email()::startsWith).orElse(true))
                .toList();
        return new KindPage(users, found.size() > limit ? Optional.of(onPage.getLast()) : Optional.empty());
    }

    /**
     * The profiles of {@code keys}, in their order, each once (an index read may name an account twice while it
     * catches up with a change of its kind); one deleted since the index was read is left out.
     */
    private List<User> profiles(List<Map<String, AttributeValue>> indexed) {
        List<Map<String, AttributeValue>> keys = indexed.stream().distinct().toList();
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<String, User> byPk = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchReads.consistent(dynamo, table, keys)) {
            User user = account(Item.of(item));
            byPk.put(Keys.user(user.id()), user);
        }
        return keys.stream().map(key -> byPk.get(key.get(Item.PK).s())).filter(Objects::nonNull).toList();
    }

    /** The partition of the listing by kind the account is in as stored; none for one stored before types and plans. */
    private static Optional<String> kindPartition(User user) {
        return listedByKind(user) ? Optional.of(partitionOf(new Kind(user.type(), user.role(), user.status(), user.plan())))
                : Optional.empty();
    }

    private static String partitionOf(Kind kind) {
        return Keys.usersOfKind(kind.type(), kind.role().claim(), kind.status().name().toLowerCase(Locale.ROOT), kind.plan());
    }

    /**
     * One page of an email-ordered index partition (a shard of {@link Item#GSI1}, a kind of {@link Item#GSI3}), only
     * the addresses starting with {@code emailPrefix} when one is given.
     */
    private QueryResponse queryByEmail(EmailIndex index, String partition, Optional<String> emailPrefix,
                                       Map<String, AttributeValue> start, int limit) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":partition", AttributeValue.fromS(partition));
        emailPrefix.ifPresent(prefix -> values.put(":prefix", AttributeValue.fromS(prefix)));
        return dynamo.query(request -> request.tableName(table).indexName(index.name())
                .keyConditionExpression(index.partitionKey() + " = :partition"
                        + (emailPrefix.isPresent() ? " AND begins_with(" + index.sortKey() + ", :prefix)" : ""))
                .expressionAttributeValues(values)
                .exclusiveStartKey(start)
                .limit(limit));
    }

    /** An index whose partitions list profiles in email order, and the names of its keys. */
    private record EmailIndex(String name, String partitionKey, String sortKey) {
        static final EmailIndex BY_EMAIL = new EmailIndex(Item.GSI1, Item.GSI1_PK, Item.GSI1_SK);
        static final EmailIndex BY_KIND = new EmailIndex(Item.GSI3, Item.GSI3_PK, Item.GSI3_SK);

        /** The index key of the profile a listing stopped at, as DynamoDB's ExclusiveStartKey wants it. */
        Map<String, AttributeValue> startAfter(String partition, String email, String id) {
            return Item.key(Keys.user(id), Keys.PROFILE).put(partitionKey, partition).put(sortKey, email).values();
        }
    }

    /**
     * Writes what differs between the two versions of the profile, on condition that the stored one is still
     * {@code before}. The listing keys are always written, which also moves a profile stored before the listing
     * was sharded into its shard.
     */
    private Update profileUpdate(User before, User after) {
        Map<String, AttributeValue> previous = userItem(before).values();
        Map<String, AttributeValue> next = userItem(after).values();
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        List<String> removals = new ArrayList<>();
        next.forEach((name, value) -> {
            boolean listingKey = INDEX_KEYS.contains(name);
            if (!FIXED_ATTRIBUTES.contains(name) && (listingKey || !value.equals(previous.get(name)))) {
                int index = names.size();
                names.put("#a" + index, name);
                values.put(":a" + index, value);
                sets.add("#a" + index + " = :a" + index);
            }
        });
        previous.keySet().stream().filter(name -> !next.containsKey(name)).forEach(name -> {
            int index = names.size();
            names.put("#a" + index, name);
            removals.add("#a" + index);
        });
        if (!before.email().equals(after.email())) {
            // A bounce was of the old address: the new one may be mailed, and a bounce reported late of mail to the
            // old one does not mark it (see DynamoNotificationStore).
            names.put("#bounced", UserItems.EMAIL_BOUNCED);
            removals.add("#bounced");
            names.put("#bouncesFrom", UserItems.EMAIL_BOUNCES_FROM);
            values.put(":emailSetAt", Item.epochMillis(after.updatedAt()));
            sets.add("#bouncesFrom = :emailSetAt");
            names.put("#emailChanged", UserItems.EMAIL_CHANGED_AT);
            sets.add("#emailChanged = :emailSetAt");
        }
        if (after.lostAccessSince(before)) {
            // Its sessions end in this write: their access tokens claim what the account no longer grants, and the
            // revocations that follow could fail, after which a retry of the change finds nothing to revoke.
            names.put("#validAfter", UserItems.SESSIONS_VALID_AFTER);
            values.put(":validAfter", AttributeValue.fromS(after.updatedAt().toString()));
            sets.add("#validAfter = :validAfter");
            names.put("#endedBy", UserItems.SESSIONS_ENDED_BY);
            values.put(":endedBy", AttributeValue.fromS(SessionEnd.ADMIN.code()));
            sets.add("#endedBy = :endedBy");
        }
        values.put(":read", AttributeValue.fromS(before.updatedAt().toString()));
        // And on the name's privacy read: the name's index partition follows it, and a profile write may change it.
        names.put("#namePrivate", UserItems.NAME_PRIVATE);
        if (before.namePrivate()) {
            values.put(":true", AttributeValue.fromBool(true));
        }
        return Update.builder().tableName(table)
                .key(Item.keyOf(Keys.user(before.id()), Keys.PROFILE))
                .updateExpression("SET " + String.join(", ", sets) + (removals.isEmpty() ? "" : " REMOVE " + String.join(", ", removals)))
                .conditionExpression("updated_at = :read AND " + UserItems.namePrivacyAsRead(before.namePrivate()))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    private TransactWriteItem releaseEmailClaim(User owner) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                .key(Item.keyOf(Keys.email(owner.email()), UserItems.EMAIL_CLAIM_SK))
                .conditionExpression(OWN_CLAIM)
                .expressionAttributeValues(Map.of(":user_id", AttributeValue.fromS(owner.id())))
                .build()).build();
    }

    /** The release of {@code owner}'s username claim, on the same terms as the email claim's; none without one. */
    private Optional<TransactWriteItem> releaseUsernameClaim(User owner) {
        return Optional.ofNullable(usernameKey(owner)).map(key -> TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                .key(Item.keyOf(Keys.username(key), UserItems.USERNAME_CLAIM_SK))
                .conditionExpression(OWN_CLAIM)
                .expressionAttributeValues(Map.of(":user_id", AttributeValue.fromS(owner.id())))
                .build()).build());
    }

    private static String usernameKey(User user) {
        return user.username() == null ? null : Text.usernameKey(user.username());
    }

    private Optional<Item> get(String pk, String sk) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(table).key(Item.keyOf(pk, sk)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Item.of(item));
    }

    private TransactWriteItem put(Item item) {
        return TransactWriteItem.builder()
                .put(Put.builder().tableName(table).item(item.values()).conditionExpression(NEW_ITEM).build())
                .build();
    }

    /** The item that keeps an email unique: whoever writes it first owns the address. */
    static Item emailClaim(String email, String userId) {
        return Item.key(Keys.email(email), UserItems.EMAIL_CLAIM_SK).put(Item.TYPE, "email").put(UserItems.CLAIM_OWNER, userId).ownedBy(userId);
    }

    /** The item that keeps a username unique case-insensitively: whoever writes it first owns the handle. */
    static Item usernameClaim(String username, String userId) {
        return Item.key(Keys.username(Text.usernameKey(username)), UserItems.USERNAME_CLAIM_SK)
                .put(Item.TYPE, "username").put(UserItems.CLAIM_OWNER, userId).ownedBy(userId);
    }

    private static boolean listedByKind(User user) {
        return user.type() != null && user.plan() != null;
    }

    static Item userItem(User user) {
        Item item = Item.key(Keys.user(user.id()), Keys.PROFILE)
                .put(Item.TYPE, ITEM_TYPE)
                .put(Item.GSI1_PK, Keys.usersByEmail(user.email()))
                .put(Item.GSI1_SK, user.email())
                .put(Item.GSI4_PK, nameShard(user.name(), user.namePrivate()))
                .put(Item.GSI4_SK, UserDirectory.key(user.name()))
                .put(Item.GSI5_PK, user.username() == null ? null : Keys.usersByUsername(UserDirectory.usernameKey(user.username())))
                .put(Item.GSI5_SK, user.username() == null ? null : UserDirectory.usernameKey(user.username()))
                .put("id", user.id())
                .put(UserItems.EMAIL, user.email())
                .put("name", user.name())
                .put("phone", user.phone())
                .put("timezone", user.timezone())
                .put("locale", user.locale())
                .put(UserItems.ROLE, user.role().claim())
                .put(UserItems.STATUS, user.status().name().toLowerCase(Locale.ROOT))
                .put(UserItems.EMAIL_VERIFIED, user.emailVerified())
                // Sorted, so equal attributes are stored as equal text and an update can tell what changed.
                .put("attributes", Json.write(new TreeMap<>(user.attributes())))
                .put("created_at", user.createdAt())
                .put(UserItems.UPDATED_AT, user.updatedAt())
                .put(UserItems.PASSWORD_HASH, user.passwordHash())
                .put(UserItems.USERNAME, user.username())
                .put(ACCOUNT_TYPE, user.type())
                // The listing by kind (type, role, status, plan): see listByKind. Accounts stored before types and
                // plans existed name neither, and join it with their next write, which reads them defaulted.
                .put(Item.GSI3_PK, kindPartition(user).orElse(null))
                .put(Item.GSI3_SK, !listedByKind(user) ? null : user.email())
                .put(UserItems.PLAN, user.plan());
        return user.namePrivate() ? item.put(UserItems.NAME_PRIVATE, true) : item;
    }

    /** The name index's partition of a name: a private one is out of what a user's search reads. */
    static String nameShard(String name, boolean namePrivate) {
        String key = UserDirectory.key(name);
        return namePrivate ? Keys.usersByPrivateName(key) : Keys.usersByName(key);
    }

    /**
     * The account as clients see it: of the default type and on the default plan when the item, stored before types
     * or plans existed, names none.
     */
    private User account(Item item) {
        User stored = user(item);
        if (stored.type() != null && stored.plan() != null) {
            return stored;
        }
        return new User(stored.id(), stored.email(), stored.name(), stored.phone(), stored.timezone(), stored.locale(),
                stored.role(), stored.status(), stored.emailVerified(), stored.attributes(), stored.createdAt(),
                stored.updatedAt(), stored.passwordHash(), stored.username(),
                stored.type() != null ? stored.type() : defaultType, stored.plan() != null ? stored.plan() : defaultPlan,
                stored.namePrivate());
    }

    static User user(Item item) {
        return new User(
                item.string("id"),
                item.string(UserItems.EMAIL),
                item.string("name"),
                item.optionalString("phone").orElse(null),
                item.string("timezone"),
                item.string("locale"),
                Role.fromClaim(item.string(UserItems.ROLE)).orElseThrow(),
                User.Status.valueOf(item.string(UserItems.STATUS).toUpperCase(Locale.ROOT)),
                item.bool(UserItems.EMAIL_VERIFIED),
                java.util.Collections.unmodifiableMap(new TreeMap<>(Json.parseObject(item.optionalString("attributes").orElse("{}")))),
                item.instant("created_at"),
                item.instant(UserItems.UPDATED_AT),
                item.string(UserItems.PASSWORD_HASH),
                item.optionalString(UserItems.USERNAME).orElse(null),
                item.optionalString(ACCOUNT_TYPE).orElse(null),
                // Absent on accounts stored before plans, and on those created without one: the default plan.
                item.optionalString(UserItems.PLAN).orElse(null),
                item.bool(UserItems.NAME_PRIVATE));
    }
}
