package dev.userservice.users;

import dev.userservice.triggers.MalformedRecordException;
import dev.userservice.triggers.StreamRecord;
import dev.userservice.validation.Text;
import java.util.List;
import java.util.Optional;

/**
 * The items the cached views of a user ({@link dev.userservice.cache.CacheKeys#ofUser}) are read from: the account,
 * the preferences, the devices and their push-targets summary, all in the user's partition. A stream record of one
 * of them names the user whose views it made stale, so the table's stream consumer can forget them even when the
 * write that changed the item could not (its function died after the commit, or the cache was unreachable then).
 */
public final class CachedViewSources {
    /** The item types read into a cached view (the store's tests hold them to its layout); the stream filter passes these. */
    public static final List<String> ITEM_TYPES = List.of("user", "preferences", "device", "push_targets");
    /** The partition key of a user's items, before the user's id. */
    static final String USER_PARTITION = "USER#";

    private CachedViewSources() {}

    /**
     * The user whose cached views the record's change made stale; empty for an item no view is read from. Throws
     * {@link MalformedRecordException} for such an item outside a user's partition.
     */
    public static Optional<String> userWhoseViewsChanged(StreamRecord record) {
        String type = record.string("type").or(() -> record.oldString("type")).orElse("");
        if (!ITEM_TYPES.contains(type)) {
            return Optional.empty();
        }
        String partition = record.string("pk").or(() -> record.oldString("pk")).orElse("");
        String userId = partition.startsWith(USER_PARTITION) ? partition.substring(USER_PARTITION.length()) : "";
        if (!Text.isId(userId)) {
            throw new MalformedRecordException("pk");
        }
        return Optional.of(userId);
    }
}
