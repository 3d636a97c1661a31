package dev.userservice.functions.pipeline;

import dev.userservice.Services;
import dev.userservice.events.EventPublisher;
import dev.userservice.events.OutboxPublishing;
import dev.userservice.events.OutboxRecord;
import dev.userservice.triggers.StreamFunction;
import dev.userservice.triggers.StreamRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes the outbox: every event item the table's stream delivers goes to the {@code user-events} FIFO queue
 * (see {@link EventPublisher}), in stream order, and a published token mail's item loses its token (see
 * {@link OutboxPublishing}); at the first record not done the handler stops and names it, and Lambda retries from
 * there, so no later event overtakes an earlier one of the same user.
 */
public final class OutboxPublisherHandler extends StreamFunction<OutboxRecord> {
    private final OutboxPublishing publisher;

    public OutboxPublisherHandler() {
        this(System.getenv());
    }

    public OutboxPublisherHandler(Map<String, String> environment) {
        this(Services.of(environment));
        primeWhenInitialisedOnDemand();
    }

    OutboxPublisherHandler(Services services) {
        super(services, "outbox");
        this.publisher = services.outboxPublishing();
    }

    @Override
    protected Optional<OutboxRecord> read(StreamRecord record) {
        return OutboxRecord.read(record);
    }

    @Override
    protected int consumeInOrder(List<OutboxRecord> records) {
        return publisher.publish(records, this::timeIsShort);
    }

    /** An outbox item without its user, type or event can never be published: parked, as a refused event is. */
    @Override
    protected boolean parkUnreadable(StreamRecord record, String reason) {
        return publisher.parkUnreadable(record, reason);
    }

    /** One outbox record read and turned into the queue's batch as a real one is; then a round trip publishing nothing. */
    @Override
    protected Map<String, Object> primingImage() {
        return OutboxRecord.streamImage("snapstart-priming", "snapstart.priming", "snapstart-priming");
    }

    @Override
    protected void primeWith(List<OutboxRecord> records) {
        publisher.prime(records);
    }
}
