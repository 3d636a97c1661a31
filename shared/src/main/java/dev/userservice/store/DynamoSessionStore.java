package dev.userservice.store;

import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.sessions.CheckedPassword;
import dev.userservice.sessions.LiveSessionsChangedException;
import dev.userservice.sessions.RefreshToken;
import dev.userservice.sessions.Session;
import dev.userservice.sessions.SessionCutoff;
import dev.userservice.sessions.SessionEnd;
import dev.userservice.sessions.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Sessions under their user's partition, and one item per issued refresh token (by hash) that says which session
 * it belongs to and whether it is still the current one. A retired token's item stays until the session's absolute
 * expiry, which is how reuse is recognised.
 */
public final class DynamoSessionStore implements SessionStore {
    private static final String CURRENT = "current";
    private static final String RETIRED = "retired";
    private static final String BUSY = "The session is being changed by other requests; try again";
    /** Why the session was revoked ({@link SessionEnd#code()}), written with {@code revoked_at}. */
    private static final String END_REASON = "end_reason";
    /** A session item's condition: not revoked (a live one, or one run out, which nothing writes). */
    private static final String NOT_REVOKED = "attribute_not_exists(revoked_at)";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration idleTimeout;
    private final SessionEndWrites endWrites;

    public DynamoSessionStore(DynamoDbClient dynamo, String table, Duration idleTimeout) {
        this(dynamo, table, idleTimeout, SessionEndWrites.none());
    }

    public DynamoSessionStore(DynamoDbClient dynamo, String table, Duration idleTimeout, SessionEndWrites endWrites) {
        this.dynamo = dynamo;
        this.table = table;
        this.idleTimeout = idleTimeout;
        this.endWrites = endWrites;
    }

    @Override
    public boolean createEnding(Session session, String refreshTokenHash, Optional<String> ended, Optional<CheckedPassword> signedInWith) {
        List<TransactWriteItem> creation = new ArrayList<>(creation(session, refreshTokenHash));
        signedInWith.ifPresent(password -> creation.add(passwordStill(session.userId(), password)));
        int passwordCheckAt = creation.size() - 1;
        Predicate<Cancellation> passwordReplaced = cancellation -> signedInWith.isPresent() && cancellation.failedAt(passwordCheckAt);
        if (ended.isEmpty()) {
            return Cancellation.retryingLostRaces(() -> {
                dynamo.transactWriteItems(request -> request.transactItems(creation));
                return true;
            }, cancellation -> passwordReplaced.test(cancellation) ? Optional.of(false) : Optional.empty(), BUSY);
        }
        Instant at = session.createdAt();
        String oldest = ended.get();
        return OptimisticRetry.run(() -> {
            List<TransactWriteItem> writes = new ArrayList<>(creation);
            int revocationAt = writes.size();
            writes.addAll(ending(session.userId(), oldest, at, SessionEnd.SESSION_LIMIT));
            writes.addAll(endWrites.writesFor(session.userId(), oldest, at));
            try {
                dynamo.transactWriteItems(request -> request.transactItems(writes));
                return Optional.of(true);
            } catch (TransactionCanceledException e) {
                Cancellation cancellation = Cancellation.of(e);
                if (passwordReplaced.test(cancellation)) {
                    return Optional.of(false);
                }
                // Gone or ended since the live sessions were read, by another sign-in ending it for its own start,
                // say: what to end is planned again, or both would add a session to a full set.
                if (cancellation.failedAt(revocationAt)) {
                    throw new LiveSessionsChangedException();
                }
                if (cancellation.changedMeanwhile()) {
                    return Optional.empty();
                }
                throw cancellation.unexpected();
            }
        }, BUSY);
    }

    /** The markers alone, counted: one small read where {@link #listLive} also reads every session they name. */
    @Override
    public int liveAtMost(String userId, Instant now, Duration idleTimeout) {
        return dynamo.queryPaginator(request -> liveMarkers(request, userId).select(Select.COUNT)).stream()
                .mapToInt(QueryResponse::count).sum();
    }

    /** The user's live-session markers, read consistently: a sign-in counts the one it just stored. */
    private QueryRequest.Builder liveMarkers(QueryRequest.Builder request, String userId) {
        return request.tableName(table).consistentRead(true)
                .keyConditionExpression(Item.PK + " = :pk AND begins_with(" + Item.SK + ", :prefix)")
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(Keys.user(userId)),
                        ":prefix", AttributeValue.fromS(Keys.LIVE_SESSION_PREFIX)));
    }

    /**
     * A condition on the account's item: its password hash and its role are still the ones checked, and it is still
     * active. With an upgrade,
     * the same condition on the update that stores it; nothing else of the account changes (not its
     * {@code updated_at}, which other writers condition on, nor when its password changed).
     */
    private TransactWriteItem passwordStill(String userId, CheckedPassword password) {
        Map<String, AttributeValue> key = Item.keyOf(Keys.user(userId), Keys.PROFILE);
        String condition = "#hash = :hash AND #role = :role AND #status = :active";
        Map<String, String> names = Map.of("#hash", UserItems.PASSWORD_HASH, "#role", UserItems.ROLE, "#status", UserItems.STATUS);
        Map<String, AttributeValue> checked = Map.of(":hash", AttributeValue.fromS(password.hash()),
                ":role", AttributeValue.fromS(password.role().claim()), ":active", AttributeValue.fromS(UserItems.ACTIVE));
        return password.upgrade()
                .map(upgrade -> {
                    Map<String, AttributeValue> values = new HashMap<>(checked);
                    values.put(":upgrade", AttributeValue.fromS(upgrade));
                    return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key)
                            .updateExpression("SET #hash = :upgrade").conditionExpression(condition)
                            .expressionAttributeNames(names).expressionAttributeValues(values)
                            .build()).build();
                })
                .orElseGet(() -> TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table).key(key)
                        .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(checked)
                        .build()).build());
    }

    /** The writes that create a session, for transactions that create it together with other items. */
    List<TransactWriteItem> creation(Session session, String refreshTokenHash) {
        return List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(table)
                        .item(sessionItem(session, refreshTokenHash).values())
                        .conditionExpression("attribute_not_exists(" + Item.PK + ")").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table)
                        .item(refreshItem(refreshTokenHash, session).values())
                        .conditionExpression("attribute_not_exists(" + Item.PK + ")").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table)
                        .item(liveMarker(session).values()).build()).build());
    }

    /**
     * A session's marker while it is not revoked: written with the session, deleted with its revocation, and gone by
     * TTL at the session's absolute expiry, so the markers stay as few as the live sessions (and those that went idle
     * within the lifetime), whatever the ended sessions kept for the history.
     */
    private static Item liveMarker(Session session) {
        return Item.key(Keys.user(session.userId()), Keys.liveSession(session.id()))
                .put(Item.TYPE, "live_session")
                .put("session_id", session.id())
                .expiresAt(session.absoluteExpiry());
    }


    /**
     * The sessions the user's live markers name: a query of the markers and a batch read of their sessions, with the
     * account, whose session cutoff (a password change's or reset's) has ended those begun before it even while their
     * revocations, which follow the cutoff's write, are still to come.
     */
    @Override
    public List<Session> listLive(String userId, Instant now, Duration idleTimeout) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>(dynamo.queryPaginator(request -> liveMarkers(request, userId)
                        .projectionExpression("session_id"))
                .items().stream()
                .map(marker -> Item.keyOf(Keys.user(userId), Keys.session(marker.get("session_id").s())))
                .toList());
        if (keys.isEmpty()) {
            return List.of();
        }
        keys.add(Item.keyOf(Keys.user(userId), Keys.PROFILE));
        List<Item> items = BatchReads.consistent(dynamo, table, keys).stream().map(Item::of).toList();
        Optional<SessionCutoff> cutoff = items.stream().filter(item -> item.string(Item.SK).equals(Keys.PROFILE)).findFirst()
                .flatMap(UserItems::sessionCutoff);
        return items.stream()
                .filter(item -> item.string(Item.SK).startsWith(Keys.SESSION_PREFIX))
                .map(DynamoSessionStore::session)
                .filter(session -> session.isActive(now, idleTimeout)
                        && cutoff.filter(ended -> ended.ended(session.id(), session.createdAt())).isEmpty())
                .sorted(java.util.Comparator.comparing(Session::createdAt).reversed())
                .toList();
    }

    @Override
    public Optional<Session> find(String userId, String sessionId, boolean consistent) {
        Map<String, AttributeValue> item = dynamo.getItem(request -> request.tableName(table)
                .key(Item.keyOf(Keys.user(userId), Keys.session(sessionId))).consistentRead(consistent)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(session(Item.of(item)));
    }

    @Override
    public Optional<Session> findAcceptedByOwner(String userId, String sessionId) {
        Map<String, AttributeValue> sessionKey = Item.keyOf(Keys.user(userId), Keys.session(sessionId));
        Map<String, AttributeValue> profileKey = Item.keyOf(Keys.user(userId), Keys.PROFILE);
        var response = dynamo.batchGetItem(request -> request.requestItems(Map.of(table,
                KeysAndAttributes.builder().keys(sessionKey, profileKey).consistentRead(true).build())));
        List<Map<String, AttributeValue>> items = response.responses().getOrDefault(table, List.of());
        if (response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty()) {
            // Throttled: read the two items one by one rather than answer without them.
            items = java.util.stream.Stream.of(sessionKey, profileKey)
                    .map(key -> dynamo.getItem(request -> request.tableName(table).key(key).consistentRead(true)).item())
                    .filter(item -> item != null && !item.isEmpty())
                    .toList();
        }
        Optional<Item> session = items.stream().map(Item::of).filter(item -> item.string(Item.SK).equals(Keys.session(sessionId))).findFirst();
        Optional<Item> profile = items.stream().map(Item::of).filter(item -> item.string(Item.SK).equals(Keys.PROFILE)).findFirst();
        if (session.isEmpty() || profile.isEmpty() || !UserItems.isActive(profile.get())) {
            return Optional.empty();
        }
        Session found = session(session.get());
        return UserItems.sessionCutoff(profile.get()).filter(cutoff -> cutoff.ended(found.id(), found.createdAt())).isPresent()
                ? Optional.empty() : Optional.of(found);
    }

    @Override
    public Optional<RefreshToken> findRefreshToken(String hash) {
        Map<String, AttributeValue> values = dynamo.getItem(request -> request.tableName(table)
                .key(Item.keyOf(Keys.refreshToken(hash), "REFRESH")).consistentRead(true)).item();
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        Item item = Item.of(values);
        return Optional.of(new RefreshToken(hash, item.string("user_id"), item.string("session_id"),
                CURRENT.equals(item.string("status"))));
    }

    @Override
    public boolean rotate(RefreshToken presented, String nextHash, Session used) {
        Update retire = Update.builder().tableName(table)
                .key(Item.keyOf(Keys.refreshToken(presented.hash()), "REFRESH"))
                .updateExpression("SET #status = :retired")
                .conditionExpression("#status = :current")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(
                        ":retired", AttributeValue.fromS(RETIRED),
                        ":current", AttributeValue.fromS(CURRENT)))
                .build();
        Update touch = Update.builder().tableName(table)
                .key(Item.keyOf(Keys.user(used.userId()), Keys.session(used.id())))
                .updateExpression("SET last_used_at = :used, current_refresh = :next, " + Item.EXPIRES_AT + " = :expiry")
                .conditionExpression("attribute_exists(" + Item.PK + ") AND " + NOT_REVOKED)
                .expressionAttributeValues(Map.of(
                        ":used", AttributeValue.fromS(used.lastUsedAt().toString()),
                        ":next", AttributeValue.fromS(nextHash),
                        ":expiry", AttributeValue.fromN(Long.toString(used.retainedUntil(idleTimeout).getEpochSecond()))))
                .build();
        // A failed condition: the token was retired meanwhile (reuse) or the session ended; a lost race runs again,
        // and the retry sees which.
        return Cancellation.retryingLostRaces(() -> {
            dynamo.transactWriteItems(request -> request.transactItems(
                    TransactWriteItem.builder().update(retire).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table)
                            .item(refreshItem(nextHash, used).values())
                            .conditionExpression("attribute_not_exists(" + Item.PK + ")").build()).build(),
                    TransactWriteItem.builder().update(touch).build()));
            return true;
        }, cancellation -> cancellation.anyFailed() ? Optional.of(false) : Optional.empty(), BUSY);
    }

    /**
     * Only while the account exists: a deleted account's sessions and devices go with it, and ending them would
     * queue a device.deactivated after its user.deleted.
     */
    @Override
    public void revoke(String userId, String sessionId, Instant at, SessionEnd reason) {
        List<TransactWriteItem> ending = ending(userId, sessionId, at, reason);
        AtomicBoolean sessionOpen = new AtomicBoolean(true);
        // Concurrent changes to the same items cancel the transaction, so any cancellation is written again.
        OptimisticRetry.run(() -> {
            List<TransactWriteItem> writes = new java.util.ArrayList<>(endWrites.writesFor(userId, sessionId, at));
            if (sessionOpen.get()) {
                writes.addAll(0, ending);
            }
            if (writes.isEmpty()) {
                return Optional.of(true);
            }
            int accountCheckAt = writes.size();
            writes.add(UserItems.accountExists(table, userId));
            try {
                dynamo.transactWriteItems(request -> request.transactItems(writes));
                return Optional.of(true);
            } catch (TransactionCanceledException e) {
                Cancellation cancellation = Cancellation.of(e);
                if (cancellation.failedAt(accountCheckAt)) {
                    return Optional.of(true);
                }
                // Already ended, or gone (expired and deleted by TTL): what goes with its end still applies.
                if (sessionOpen.get() && cancellation.failedAt(0)) {
                    sessionOpen.set(false);
                }
                // The devices' writes were planned on what was read: read again.
                if (cancellation.changedMeanwhile()) {
                    return Optional.empty();
                }
                throw cancellation.unexpected();
            }
        }, BUSY);
    }

    /** The session's revocation ({@link #revocation}), first, and its live marker's removal. */
    private List<TransactWriteItem> ending(String userId, String sessionId, Instant at, SessionEnd reason) {
        return List.of(TransactWriteItem.builder().update(revocation(userId, sessionId, at, reason)).build(),
                TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                        .key(Item.keyOf(Keys.user(userId), Keys.liveSession(sessionId))).build()).build());
    }

    /**
     * Ends the session at {@code at} for {@code reason}; only while it exists and has not ended (a failed condition
     * either way: the caller writes the rest without it). It is kept for its owner's history from then on, counted
     * from its first end: ending it again, as a replayed retired token does, keeps it no longer.
     */
    private Update revocation(String userId, String sessionId, Instant at, SessionEnd reason) {
        return Update.builder().tableName(table)
                .key(Item.keyOf(Keys.user(userId), Keys.session(sessionId)))
                .updateExpression("SET revoked_at = :at, " + END_REASON + " = :reason, " + Item.EXPIRES_AT + " = :retained")
                .conditionExpression("attribute_exists(" + Item.PK + ") AND " + NOT_REVOKED)
                .expressionAttributeValues(Map.of(
                        ":at", AttributeValue.fromS(at.toString()),
                        ":reason", AttributeValue.fromS(reason.code()),
                        ":retained", AttributeValue.fromN(Long.toString(Session.retainedAfterEndingAt(at).getEpochSecond()))))
                .build();
    }

    @Override
    public List<Session> listAll(String userId) {
        return sessions(userId, null);
    }

    /**
     * Every session not revoked, for ending them all (logout-all, a password's change or reset, a disable, a
     * deletion), as the active listing reads them too: the revoked ones kept for the history stay in the table, so a
     * client that signs in again and again (each sign-in beyond the limit revokes the oldest) costs these paths the
     * few sessions still open, not a month of ended ones. DynamoDB still reads them, at a consistent read's cost, a
     * page of 1 MB at a time.
     */
    @Override
    public List<Session> listActive(String userId, Instant now, Duration idleTimeout) {
        return sessions(userId, NOT_REVOKED).stream()
                .filter(session -> session.isActive(now, idleTimeout))
                .toList();
    }

    /** The user's sessions that pass {@code filter} (none: all), newest first. */
    private List<Session> sessions(String userId, String filter) {
        return dynamo.queryPaginator(request -> request.tableName(table).consistentRead(true)
                        .keyConditionExpression(Item.PK + " = :pk AND begins_with(" + Item.SK + ", :prefix)")
                        .filterExpression(filter)
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(Keys.user(userId)),
                                ":prefix", AttributeValue.fromS(Keys.SESSION_PREFIX))))
                .items().stream()
                .map(item -> session(Item.of(item)))
                .sorted(java.util.Comparator.comparing(Session::createdAt).reversed())
                .toList();
    }

    @Override
    public List<Session> listHistory(String userId, boolean unrevokedOnly) {
        Map<String, AttributeValue> profile = dynamo.getItem(request -> request.tableName(table).consistentRead(true)
                .key(Item.keyOf(Keys.user(userId), Keys.PROFILE))).item();
        List<Session> stored = sessions(userId, unrevokedOnly ? NOT_REVOKED : null);
        if (profile == null || profile.isEmpty()) {
            return stored;
        }
        Item account = Item.of(profile);
        return UserItems.sessionCutoff(account)
                .map(cutoff -> stored.stream()
                        .map(session -> cutoff.ending(session, UserItems.sessionsEndedBy(account))
                                .map(ending -> session.revoked(ending.at(), ending.reason()))
                                .orElse(session))
                        .toList())
                .orElse(stored);
    }

    private Item sessionItem(Session session, String refreshTokenHash) {
        return Item.key(Keys.user(session.userId()), Keys.session(session.id()))
                .put(Item.TYPE, "session")
                .put("session_id", session.id())
                .put("user_id", session.userId())
                .put("device_name", session.deviceName())
                .put("user_agent", session.userAgent())
                .put("ip", session.ip())
                .put("created_at", session.createdAt())
                .put("last_used_at", session.lastUsedAt())
                .put("absolute_expiry", session.absoluteExpiry())
                .put("current_refresh", refreshTokenHash)
                .put("revoked_at", session.revokedAt())
                .expiresAt(session.retainedUntil(idleTimeout));
    }

    private static Item refreshItem(String hash, Session session) {
        return Item.key(Keys.refreshToken(hash), "REFRESH")
                .put(Item.TYPE, "refresh_token")
                .put("user_id", session.userId())
                .put("session_id", session.id())
                .put("status", CURRENT)
                .ownedBy(session.userId())
                .expiresAt(session.absoluteExpiry());
    }

    private static Session session(Item item) {
        return new Session(
                item.string("session_id"),
                item.string("user_id"),
                item.optionalString("device_name").orElse(null),
                item.optionalString("user_agent").orElse(null),
                item.optionalString("ip").orElse(null),
                item.instant("created_at"),
                item.instant("last_used_at"),
                item.instant("absolute_expiry"),
                item.optionalInstant("revoked_at").orElse(null),
                item.optionalInstant("revoked_at").map(revoked -> SessionEnd.ofCode(item.optionalString(END_REASON).orElse(null))).orElse(null));
    }
}
