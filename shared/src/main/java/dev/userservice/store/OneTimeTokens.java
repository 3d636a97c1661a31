package dev.userservice.store;

import dev.userservice.accounts.OneTimeToken;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Single-use tokens sent by email (password reset, email verification): stored only as the hash of the token,
 * for the user and the email address they were issued to, until they expire. Issuing one is a write to add to the
 * transaction of the change that sends it; using one is a delete conditioned on its still being there and unexpired,
 * added to the transaction of the change it allows, so a token works once, and only before it expires.
 */
public final class OneTimeTokens {
    /** What a token may be used for; a token of one purpose never works for another. */
    public enum Purpose { PASSWORD_RESET, EMAIL_VERIFICATION }

    /** Epoch milliseconds, a number, so a condition can compare it with {@link UserItems#PASSWORD_CHANGED_AT}. */
    static final String ISSUED_AT = "issued_at";

    private final DynamoDbClient dynamo;
    private final String table;

    public OneTimeTokens(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public TransactWriteItem issue(Purpose purpose, String tokenHash, String userId, String email, Instant issuedAt,
                                   Instant expiresAt) {
        Item item = Item.key(key(purpose, tokenHash), "TOKEN")
                .put(Item.TYPE, "one_time_token")
                .put("purpose", purpose.name())
                .put("user_id", userId)
                .put("email", email)
                .putNumber(ISSUED_AT, issuedAt.toEpochMilli())
                .put("valid_until", expiresAt)
                .ownedBy(userId)
                .expiresAt(expiresAt);
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item.values())
                .conditionExpression("attribute_not_exists(" + Item.PK + ")").build()).build();
    }

    /** The token if it exists and has not expired at {@code now} (TTL removes expired items only eventually). */
    public Optional<OneTimeToken> find(Purpose purpose, String tokenHash, Instant now) {
        Map<String, AttributeValue> values = dynamo.getItem(request -> request.tableName(table)
                .key(Item.keyOf(key(purpose, tokenHash), "TOKEN")).consistentRead(true)).item();
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        Item item = Item.of(values);
        // A token stored before issue times were kept counts as issued at the epoch: only a password change refuses it.
        Instant issuedAt = item.number(ISSUED_AT).map(Instant::ofEpochMilli).orElse(Instant.EPOCH);
        OneTimeToken stored = new OneTimeToken(item.string("user_id"), item.string("email"), issuedAt,
                item.instant("valid_until"));
        return stored.expiresAt().isAfter(now) ? Optional.of(stored) : Optional.empty();
    }

    /**
     * The write that uses the token up: it fails the whole transaction when the token is already used (gone) or
     * expired, which is how two concurrent uses end with one success.
     */
    public TransactWriteItem consume(Purpose purpose, String tokenHash, Instant now) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                .key(Item.keyOf(key(purpose, tokenHash), "TOKEN"))
                .conditionExpression("attribute_exists(" + Item.PK + ") AND " + Item.EXPIRES_AT + " > :now")
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                .build()).build();
    }

    private static String key(Purpose purpose, String tokenHash) {
        return "TOKEN#" + purpose.name() + "#" + tokenHash;
    }
}
