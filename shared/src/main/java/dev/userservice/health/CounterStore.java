package dev.userservice.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where the service-level counters live: one item per counter, read together in one Query. */
public interface CounterStore {

    /** A change of one counter; {@code expiresAt} is when an hourly counter may go, null for a lasting one. */
    record Delta(String counter, long by, Instant expiresAt) {}

    /**
     * Applies every delta of one change at once, and only the first time {@code changeId} is applied: false, with
     * nothing changed, for a change applied before (a stream record Lambda delivers again).
     */
    boolean apply(String changeId, List<Delta> deltas);

    /**
     * Applies each of {@code changes} once, as {@link #apply} does, in as few writes as the store can: a batch of
     * a stream's records, whose changes a busy stack makes to the same few counters many times a second.
     */
    default void applyAll(List<CounterChange> changes) {
        changes.forEach(change -> apply(change.changeId(), change.deltas()));
    }

    /** Every counter stored, by name (expired hourly counters included until they are removed). */
    Map<String, Long> read();

    /** For priming: an {@link #apply}'s whole round trip, refused by the store, so nothing is written. */
    void prime();
}
