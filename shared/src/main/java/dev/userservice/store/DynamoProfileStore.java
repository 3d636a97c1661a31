package dev.userservice.store;

import dev.userservice.accounts.Profile;
import dev.userservice.accounts.ProfileStore;
import dev.userservice.accounts.Visibility;
import dev.userservice.json.Json;
import dev.userservice.users.User;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Extended profiles as one item in the user's partition ({@code USER#<id>}, {@link Keys#DISPLAY_PROFILE}), so erasing
 * the account (which deletes the partition) erases it too. A write is conditioned on the version read and, in the
 * same transaction, on the account still existing, so no profile outlives its account.
 */
public final class DynamoProfileStore implements ProfileStore {
    private static final String UPDATED_AT = "updated_at";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoProfileStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Profile> find(String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(request -> request.tableName(table)
                .key(Item.keyOf(Keys.user(userId), Keys.DISPLAY_PROFILE)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(profile(Item.of(item)));
    }

    @Override
    public Map<String, Profile> findAll(Collection<String> userIds) {
        Map<String, Profile> found = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchReads.consistent(dynamo, table,
                userIds.stream().distinct().map(userId -> Item.keyOf(Keys.user(userId), Keys.DISPLAY_PROFILE)).toList())) {
            Item profile = Item.of(item);
            found.put(profile.string(Item.PK).substring(Keys.user("").length()), profile(profile));
        }
        return found;
    }

    @Override
    public boolean save(User owner, Optional<Instant> readVersion, Profile profile) {
        String userId = owner.id();
        Map<String, Visibility> visibility = profile.visibility();
        Map<String, String> visibilityText = new LinkedHashMap<>();
        visibility.forEach((field, value) -> visibilityText.put(field, value.claim()));
        Item item = Item.key(Keys.user(userId), Keys.DISPLAY_PROFILE)
                .put(Item.TYPE, "display_profile")
                .put("avatar_url", profile.avatarUrl())
                .put("bio", profile.bio())
                .put("title", profile.title())
                .put("location", profile.location())
                .put("links", Json.write(profile.links()))
                .put("visibility", Json.write(visibilityText))
                .put(UPDATED_AT, profile.updatedAt());
        Put.Builder put = Put.builder().tableName(table).item(item.values());
        readVersion.ifPresentOrElse(
                version -> put.conditionExpression("updated_at = :read")
                        .expressionAttributeValues(Map.of(":read", AttributeValue.fromS(version.toString()))),
                () -> put.conditionExpression("attribute_not_exists(" + Item.PK + ")"));
        boolean namePrivate = profile.visibility().get("name") == Visibility.PRIVATE;
        return Cancellation.commitsUnlessChanged(() -> dynamo.transactWriteItems(request -> request.transactItems(
                namePrivate == owner.namePrivate() ? namePrivacyUnchanged(owner) : namePrivacyChanged(owner, namePrivate),
                TransactWriteItem.builder().put(put.build()).build())));
    }

    /**
     * The account exists, its name's privacy still as read: the account and the profile are read apart, and a
     * privacy changed between the two reads would otherwise be kept under a profile that says the opposite.
     */
    private TransactWriteItem namePrivacyUnchanged(User owner) {
        return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                .key(Item.keyOf(Keys.user(owner.id()), Keys.PROFILE))
                .conditionExpression("attribute_exists(" + Item.PK + ") AND " + UserItems.namePrivacyAsRead(owner.namePrivate()))
                .expressionAttributeNames(Map.of("#namePrivate", UserItems.NAME_PRIVATE))
                .expressionAttributeValues(owner.namePrivate() ? Map.of(":true", AttributeValue.fromBool(true)) : null)
                .build()).build();
    }

    /**
     * Moves the account's name into the name index's partition for its new privacy (see
     * {@link DynamoUserStore#nameShard}), while its name and privacy are the ones read: a rename meanwhile moved the
     * keys, and the retry reads the new name.
     */
    private TransactWriteItem namePrivacyChanged(User owner, boolean namePrivate) {
        Map<String, String> names = Map.of("#name", "name", "#namePrivate", UserItems.NAME_PRIVATE, "#shard", Item.GSI4_PK);
        Map<String, AttributeValue> values = Map.of(
                ":name", AttributeValue.fromS(owner.name()),
                ":shard", AttributeValue.fromS(DynamoUserStore.nameShard(owner.name(), namePrivate)),
                ":true", AttributeValue.fromBool(true));
        return TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(Item.keyOf(Keys.user(owner.id()), Keys.PROFILE))
                .updateExpression(namePrivate ? "SET #namePrivate = :true, #shard = :shard" : "SET #shard = :shard REMOVE #namePrivate")
                .conditionExpression("attribute_exists(" + Item.PK + ") AND #name = :name AND "
                        + UserItems.namePrivacyAsRead(owner.namePrivate()))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build()).build();
    }

    @SuppressWarnings("unchecked")
    private static Profile profile(Item item) {
        Map<String, Visibility> visibility = new LinkedHashMap<>();
        Json.parseObject(item.optionalString("visibility").orElse("{}")).forEach((field, value) ->
                visibility.put(field, Visibility.valueOf(String.valueOf(value).toUpperCase(Locale.ROOT))));
        return new Profile(
                item.optionalString("avatar_url").orElse(null),
                item.optionalString("bio").orElse(null),
                item.optionalString("title").orElse(null),
                item.optionalString("location").orElse(null),
                (List<String>) Json.parse(item.optionalString("links").orElse("[]")),
                visibility,
                item.instant(UPDATED_AT));
    }
}
