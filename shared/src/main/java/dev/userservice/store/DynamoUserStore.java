package dev.userservice.store;

import dev.userservice.auth.Role;
import dev.userservice.events.UserEvent;
import dev.userservice.json.Json;
import dev.userservice.preferences.Preferences;
import dev.userservice.sessions.Session;
import dev.userservice.users.EmailTakenException;
import dev.userservice.users.User;
import dev.userservice.users.UserStore;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Users and their email claims in the single table. */
public final class DynamoUserStore implements UserStore {
    private static final String NEW_ITEM = "attribute_not_exists(" + Item.PK + ")";
    /** The email claim's position in the registration transaction, to tell a taken email from other failures. */
    private static final int EMAIL_CLAIM = 1;

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoSessionStore sessions;

    public DynamoUserStore(DynamoDbClient dynamo, String table, DynamoSessionStore sessions) {
        this.dynamo = dynamo;
        this.table = table;
        this.sessions = sessions;
    }

    @Override
    public void create(User user, Preferences preferences, Session session, String refreshTokenHash, UserEvent registered) {
        List<TransactWriteItem> writes = new java.util.ArrayList<>(List.of(
                put(userItem(user)),
                put(emailClaim(user.email(), user.id())),
                put(preferencesItem(user.id(), preferences))));
        writes.addAll(sessions.creation(session, refreshTokenHash));
        writes.add(Outbox.put(table, registered));
        try {
            dynamo.transactWriteItems(request -> request.transactItems(writes));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() > EMAIL_CLAIM && "ConditionalCheckFailed".equals(reasons.get(EMAIL_CLAIM).code())) {
                throw new EmailTakenException();
            }
            throw e;
        }
    }

    @Override
    public Optional<User> findById(String id) {
        return get(Keys.user(id), Keys.PROFILE).map(DynamoUserStore::user);
    }

    @Override
    public Optional<User> findByEmail(String email) {
        return get(Keys.email(email), "EMAIL").flatMap(claim -> findById(claim.string("user_id")));
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
        return Item.key(Keys.email(email), "EMAIL").put(Item.TYPE, "email").put("user_id", userId).ownedBy(userId);
    }

    static Item userItem(User user) {
        return Item.key(Keys.user(user.id()), Keys.PROFILE)
                .put(Item.TYPE, "user")
                .put(Item.GSI1_PK, Keys.USERS_BY_EMAIL)
                .put(Item.GSI1_SK, user.email())
                .put("id", user.id())
                .put("email", user.email())
                .put("name", user.name())
                .put("phone", user.phone())
                .put("timezone", user.timezone())
                .put("locale", user.locale())
                .put("role", user.role().claim())
                .put("status", user.status().name().toLowerCase(Locale.ROOT))
                .put("email_verified", user.emailVerified())
                .put("attributes", Json.write(user.attributes()))
                .put("created_at", user.createdAt())
                .put("updated_at", user.updatedAt())
                .put("password_hash", user.passwordHash());
    }

    static User user(Item item) {
        return new User(
                item.string("id"),
                item.string("email"),
                item.string("name"),
                item.optionalString("phone").orElse(null),
                item.string("timezone"),
                item.string("locale"),
                Role.fromClaim(item.string("role")).orElseThrow(),
                User.Status.valueOf(item.string("status").toUpperCase(Locale.ROOT)),
                item.bool("email_verified"),
                Map.copyOf(Json.parseObject(item.optionalString("attributes").orElse("{}"))),
                item.instant("created_at"),
                item.instant("updated_at"),
                item.string("password_hash"));
    }

    static Item preferencesItem(String userId, Preferences preferences) {
        return Item.key(Keys.user(userId), Keys.PREFERENCES)
                .put(Item.TYPE, "preferences")
                .put("email", preferences.email())
                .put("push", preferences.push())
                .put("quiet_hours_start", preferences.quietHoursStart() == null ? null : preferences.quietHoursStart().toString())
                .put("quiet_hours_end", preferences.quietHoursEnd() == null ? null : preferences.quietHoursEnd().toString())
                .put("categories", Json.write(preferences.categories()))
                .put("updated_at", preferences.updatedAt());
    }
}
