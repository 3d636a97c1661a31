package dev.userservice.store;

import dev.userservice.accounts.UserDirectory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Prefix searches of the accounts' search keys: names in {@link Item#GSI4}, usernames in {@link Item#GSI5}, emails in
 * the listing index {@link Item#GSI1}; each shard holds the keys of one first character, so a search is one query
 * of one shard, {@code begins_with} its sort key, reading at most the page it asks for.
 */
public final class DynamoUserDirectory implements UserDirectory {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoUserDirectory(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** An index's name and key attributes, and the shard of a key. */
    private record Index(String name, String pk, String sk, java.util.function.UnaryOperator<String> shard) {}

    private static Index index(Field field) {
        return switch (field) {
            case NAME -> new Index(Item.GSI4, Item.GSI4_PK, Item.GSI4_SK, Keys::usersByName);
            case PRIVATE_NAME -> new Index(Item.GSI4, Item.GSI4_PK, Item.GSI4_SK, Keys::usersByPrivateName);
            case USERNAME -> new Index(Item.GSI5, Item.GSI5_PK, Item.GSI5_SK, Keys::usersByUsername);
            case EMAIL -> new Index(Item.GSI1, Item.GSI1_PK, Item.GSI1_SK, Keys::usersByEmail);
        };
    }

    @Override
    public Page search(Field field, String prefix, Optional<Position> after, int limit) {
        Index index = index(field);
        String shard = index.shard().apply(prefix);
        Map<String, AttributeValue> start = after.map(position -> Item.key(Keys.user(position.id()), Keys.PROFILE)
                .put(index.pk(), shard).put(index.sk(), position.key()).values()).orElse(null);
        QueryResponse response = dynamo.query(request -> request.tableName(table).indexName(index.name())
                .keyConditionExpression("#pk = :shard AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", index.pk(), "#sk", index.sk()))
                .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(shard), ":prefix", AttributeValue.fromS(prefix)))
                .exclusiveStartKey(start)
                .limit(limit));
        List<Hit> hits = response.items().stream().map(Item::of).map(item -> new Hit(item.string("id"), item.string("name"),
                item.optionalString(UserItems.USERNAME).orElse(null), item.string(UserItems.EMAIL),
                UserItems.isActive(item), item.string(index.sk()))).toList();
        boolean more = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && !hits.isEmpty();
        return new Page(hits, more ? Optional.of(new Position(hits.getLast().key(), hits.getLast().id())) : Optional.empty());
    }
}
