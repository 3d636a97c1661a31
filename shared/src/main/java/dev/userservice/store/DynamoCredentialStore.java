package dev.userservice.store;

import dev.userservice.accounts.CredentialStore;
import dev.userservice.accounts.OneTimeToken;
import dev.userservice.events.UserEvent;
import dev.userservice.sessions.SessionEnd;
import dev.userservice.store.OneTimeTokens.Purpose;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Password hashes, reset and verification tokens in the single table. Only the profile attributes a flow changes
 * are updated (never a whole-item put), so a concurrent profile edit is not overwritten.
 */
public final class DynamoCredentialStore implements CredentialStore {
    /** Names of the attributes these writes touch; #bounced because a re-verified address receives mail again. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("#email", UserItems.EMAIL), Map.entry("#hash", UserItems.PASSWORD_HASH),
            Map.entry("#verified", UserItems.EMAIL_VERIFIED), Map.entry("#updated", UserItems.UPDATED_AT),
            Map.entry("#owner", UserItems.CLAIM_OWNER), Map.entry("#bounced", UserItems.EMAIL_BOUNCED),
            Map.entry("#changed", UserItems.PASSWORD_CHANGED_AT), Map.entry("#bouncesFrom", UserItems.EMAIL_BOUNCES_FROM),
            Map.entry("#kept", UserItems.SESSION_KEPT), Map.entry("#status", UserItems.STATUS),
            Map.entry("#emailChanged", UserItems.EMAIL_CHANGED_AT));
    private static final String PROFILE_EXISTS = "attribute_exists(" + Item.PK + ")";
    /**
     * A mailed token's condition on the profile: the account has the address the token was mailed to, and has had it
     * since then (not again after a change away and back). Needs {@code :email} and {@code :issued}.
     */
    private static final String MAILED_TO_THIS_ADDRESS = "#email = :email"
            + " AND (attribute_not_exists(#emailChanged) OR #emailChanged <= :issued)";
    /**
     * What a token that reached the mailbox does to the profile (a verification or a password reset): the email is
     * verified, and an address that bounced before receives mail again (bounces timestamped before this do not mark
     * it again). SET and REMOVE parts of one update; needs {@code :true} and {@code :changed}, the instant in epoch
     * milliseconds.
     */
    private static final String MAILBOX_PROVEN_SET = "#verified = :true, #bouncesFrom = :changed";
    private static final String MAILBOX_PROVEN_REMOVE = " REMOVE #bounced";

    private final DynamoDbClient dynamo;
    private final String table;
    private final OneTimeTokens tokens;

    public DynamoCredentialStore(DynamoDbClient dynamo, String table, OneTimeTokens tokens) {
        this.dynamo = dynamo;
        this.table = table;
        this.tokens = tokens;
    }

    @Override
    public Optional<String> emailOwner(String email) {
        Map<String, AttributeValue> item = dynamo.getItem(request -> request.tableName(table)
                .key(Item.keyOf(Keys.email(email), UserItems.EMAIL_CLAIM_SK)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Item.of(item).optionalString(UserItems.CLAIM_OWNER);
    }

    @Override
    public Optional<OneTimeToken> findPasswordReset(String tokenHash, Instant now) {
        return tokens.find(Purpose.PASSWORD_RESET, tokenHash, now);
    }

    @Override
    public Optional<OneTimeToken> findEmailVerification(String tokenHash, Instant now) {
        return tokens.find(Purpose.EMAIL_VERIFICATION, tokenHash, now);
    }

    @Override
    public boolean replacePasswordHash(String userId, String expectedHash, String newHash, Instant at, String keptSessionId) {
        try {
            dynamo.updateItem(request -> request.tableName(table)
                    .key(Item.keyOf(Keys.user(userId), Keys.PROFILE))
                    .updateExpression("SET #hash = :hash, #updated = :at, #changed = :changed, "
                            + UserItems.SESSIONS_CHANGED_AT + " = :at, #kept = :kept")
                    .conditionExpression(PROFILE_EXISTS + " AND #hash = :expected")
                    .expressionAttributeNames(names("#hash", "#updated", "#changed", "#kept"))
                    .expressionAttributeValues(Map.of(
                            ":hash", AttributeValue.fromS(newHash),
                            ":at", AttributeValue.fromS(at.toString()),
                            ":changed", Item.epochMillis(at),
                            ":kept", AttributeValue.fromS(keptSessionId),
                            ":expected", AttributeValue.fromS(expectedHash)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException e) {
            // The new hash is this call's own (its salt): the SDK sent the write again after an attempt that
            // committed lost its answer, and the retry met that attempt's write.
            return e.hasItem() && Item.of(e.item()).optionalString(UserItems.PASSWORD_HASH).filter(newHash::equals).isPresent();
        }
    }

    @Override
    public boolean issuePasswordReset(String email, String userId, String tokenHash, Instant issuedAt, Instant expiresAt,
                                      UserEvent requested) {
        ConditionCheck claimedByUser = ConditionCheck.builder().tableName(table)
                .key(Item.keyOf(Keys.email(email), UserItems.EMAIL_CLAIM_SK))
                .conditionExpression("#owner = :user")
                .expressionAttributeNames(names("#owner"))
                .expressionAttributeValues(Map.of(":user", AttributeValue.fromS(userId)))
                .build();
        // And still active: an admin's disable between the read and this write leaves no working token in a mailbox.
        ConditionCheck active = ConditionCheck.builder().tableName(table)
                .key(Item.keyOf(Keys.user(userId), Keys.PROFILE))
                .conditionExpression("#status = :active")
                .expressionAttributeNames(names("#status"))
                .expressionAttributeValues(Map.of(":active", AttributeValue.fromS(UserItems.ACTIVE)))
                .build();
        return commit(List.of(
                TransactWriteItem.builder().conditionCheck(claimedByUser).build(),
                TransactWriteItem.builder().conditionCheck(active).build(),
                tokens.issue(Purpose.PASSWORD_RESET, tokenHash, userId, email, issuedAt, expiresAt),
                Outbox.put(table, requested)));
    }

    @Override
    public boolean resetPassword(String tokenHash, OneTimeToken token, String newHash, Instant at) {
        Update newPassword = Update.builder().tableName(table)
                .key(Item.keyOf(Keys.user(token.userId()), Keys.PROFILE))
                // Sessions begun before the reset end with it, in this same transaction (see SessionGuard); a token
                // issued before the password last changed is refused, so an old mail cannot undo a newer password.
                // The token reached the address, so the email is verified too, as by a verification token.
                .updateExpression("SET #hash = :hash, #updated = :at, #changed = :changed, "
                        + UserItems.SESSIONS_VALID_AFTER + " = :at, " + UserItems.SESSIONS_ENDED_BY + " = :endedBy, "
                        + MAILBOX_PROVEN_SET + MAILBOX_PROVEN_REMOVE)
                // A disabled account's outstanding reset or invitation no longer sets its password.
                .conditionExpression(PROFILE_EXISTS + " AND " + MAILED_TO_THIS_ADDRESS + " AND #status = :active"
                        + " AND (attribute_not_exists(#changed) OR #changed <= :issued)")
                .expressionAttributeNames(names("#hash", "#updated", "#email", "#changed", "#verified", "#bounced", "#bouncesFrom",
                        "#status", "#emailChanged"))
                .expressionAttributeValues(Map.of(
                        ":active", AttributeValue.fromS(UserItems.ACTIVE),
                        ":true", AttributeValue.fromBool(true),
                        ":hash", AttributeValue.fromS(newHash),
                        ":at", AttributeValue.fromS(at.toString()),
                        ":endedBy", AttributeValue.fromS(SessionEnd.PASSWORD_RESET.code()),
                        ":changed", Item.epochMillis(at),
                        ":issued", Item.epochMillis(token.issuedAt()),
                        ":email", AttributeValue.fromS(token.email())))
                .build();
        return commit(List.of(
                tokens.consume(Purpose.PASSWORD_RESET, tokenHash, at),
                TransactWriteItem.builder().update(newPassword).build()));
    }

    @Override
    public boolean issueEmailVerification(String userId, String email, String tokenHash, Instant issuedAt,
                                          Instant expiresAt, UserEvent requested) {
        ConditionCheck unverified = ConditionCheck.builder().tableName(table)
                .key(Item.keyOf(Keys.user(userId), Keys.PROFILE))
                .conditionExpression(PROFILE_EXISTS + " AND #email = :email AND #verified = :false")
                .expressionAttributeNames(names("#email", "#verified"))
                .expressionAttributeValues(Map.of(
                        ":email", AttributeValue.fromS(email),
                        ":false", AttributeValue.fromBool(false)))
                .build();
        return commit(List.of(
                TransactWriteItem.builder().conditionCheck(unverified).build(),
                tokens.issue(Purpose.EMAIL_VERIFICATION, tokenHash, userId, email, issuedAt, expiresAt),
                Outbox.put(table, requested)));
    }

    @Override
    public boolean verifyEmail(String tokenHash, OneTimeToken token, Instant at) {
        Update verified = Update.builder().tableName(table)
                .key(Item.keyOf(Keys.user(token.userId()), Keys.PROFILE))
                .updateExpression("SET #updated = :at, " + MAILBOX_PROVEN_SET + MAILBOX_PROVEN_REMOVE)
                .conditionExpression(PROFILE_EXISTS + " AND " + MAILED_TO_THIS_ADDRESS)
                .expressionAttributeNames(names("#verified", "#updated", "#email", "#bounced", "#bouncesFrom", "#emailChanged"))
                .expressionAttributeValues(Map.of(
                        ":true", AttributeValue.fromBool(true),
                        ":at", AttributeValue.fromS(at.toString()),
                        ":changed", Item.epochMillis(at),
                        ":issued", Item.epochMillis(token.issuedAt()),
                        ":email", AttributeValue.fromS(token.email())))
                .build();
        return commit(List.of(
                tokens.consume(Purpose.EMAIL_VERIFICATION, tokenHash, at),
                TransactWriteItem.builder().update(verified).build()));
    }

    /**
     * Runs the transaction: true when it was stored, false when one of its conditions failed. A lost race runs it
     * again ({@link Cancellation}): the retry sees what the other one did, so of two uses of one token exactly one
     * succeeds and the other fails its condition.
     */
    private boolean commit(List<TransactWriteItem> writes) {
        return Cancellation.retryingLostRaces(() -> {
            dynamo.transactWriteItems(request -> request.transactItems(writes));
            return true;
        }, cancellation -> cancellation.anyFailed() ? Optional.of(false) : Optional.empty(),
                "The account's credentials are being changed by other requests; try again");
    }

    /** Only the names an expression uses: DynamoDB refuses unused ones. */
    private static Map<String, String> names(String... placeholders) {
        Map<String, String> used = new java.util.HashMap<>();
        for (String placeholder : placeholders) {
            used.put(placeholder, NAMES.get(placeholder));
        }
        return used;
    }
}
