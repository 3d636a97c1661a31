package dev.userservice.events;

import java.util.Map;

/**
 * Where the outbox's publisher sets aside a record it can never publish, for an operator to see
 * ({@code OutboxFailuresQueue}, which {@code OutboxFailuresAlarm} watches), so that the records behind it go on: an
 * outbox item it cannot read, or an event the queue refuses for what it holds. A record is described by its keys,
 * ids and the reason, never by the event, which may hold a token; the item itself stays in the table to be replayed.
 */
public interface ParkedRecords {
    /** Sets {@code record} aside; throws when it could not, and the record is then not done. */
    void park(Map<String, Object> record);
}
