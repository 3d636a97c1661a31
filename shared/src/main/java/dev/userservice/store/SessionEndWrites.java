package dev.userservice.store;

import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * What else changes, in the same transaction, when a session ends: its devices stop receiving pushes. The device
 * store provides the writes, so a session never ends while its devices stay active, even if a function dies.
 */
@FunctionalInterface
public interface SessionEndWrites {
    /** The writes that go with ending this session; they may carry conditions, and a conflict is retried. */
    List<TransactWriteItem> writesFor(String userId, String sessionId, Instant at);

    static SessionEndWrites none() {
        return (userId, sessionId, at) -> List.of();
    }
}
