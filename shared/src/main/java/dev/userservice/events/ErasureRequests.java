package dev.userservice.events;

/**
 * Where the outbox hands a published account deletion over to be erased (the port; {@code sqs.SqsErasureRequests} is
 * the adapter): the eraser reads a queue of its own rather than the table's stream, which two readers per shard at
 * most may read without being throttled, and the publisher and the table's changes (counters, cache forgets) are
 * those two.
 */
public interface ErasureRequests {
    /** Asks for the erasure of what is left of the account {@code deletion} (a {@code user.deleted} record) names. */
    void request(OutboxRecord deletion);
}
