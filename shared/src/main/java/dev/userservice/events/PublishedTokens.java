package dev.userservice.events;

/**
 * Where the outbox keeps events after they are published (the port; {@code store.OutboxTokens} is the adapter):
 * the plain token a token mail carries is taken out of its outbox item once the mail's event is on the queue, so no
 * readable token stays in the table for the item's two days.
 */
public interface PublishedTokens {
    /** Replaces the item's event by {@link OutboxRecord#withoutToken}; an item already gone (expired) is left gone. */
    void forget(OutboxRecord published);
}
