package dev.userservice.functions.pipeline;

import dev.userservice.Services;
import dev.userservice.health.CounterChange;
import dev.userservice.health.ServiceMetrics;
import dev.userservice.triggers.StreamFunction;
import dev.userservice.triggers.StreamRecord;
import dev.userservice.users.CachedViewSources;
import dev.userservice.users.UserService;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps two things outside the table true to it, from the table's stream:
 * <ul>
 *   <li>the service counters of {@code GET /api/v1/metrics}: each insert, change or removal of an account, session,
 *       device or notification status becomes counter deltas (old image against new), applied once per record;</li>
 *   <li>the user's cached views, forgotten after any change to an item they are read from. The write forgot them
 *       already; this is for the write that could not (its function died after the commit, or the cache was
 *       unreachable then), so the record fails until the cache confirms, and the views are never served stale for
 *       longer than the cache is unreachable.</li>
 * </ul>
 * Other records are skipped.
 * <pre>java -jar local/target/local-api.jar invoke TableChangesFunction events/table-changes.json</pre>
 */
public final class TableChangesHandler extends StreamFunction<TableChangesHandler.Change> {
    /** What one record changes: counters (none for a type not counted) and whose views (none for most types). */
    record Change(Optional<CounterChange> counters, Optional<String> staleViewsOf) {}

    private final ServiceMetrics metrics;
    private final UserService users;

    public TableChangesHandler() {
        this(System.getenv());
    }

    public TableChangesHandler(Map<String, String> environment) {
        this(Services.of(environment));
        primeWhenInitialisedOnDemand();
    }

    TableChangesHandler(Services services) {
        super(services, "table change");
        this.metrics = services.serviceMetrics();
        this.users = services.userService();
    }

    @Override
    protected Optional<Change> read(StreamRecord record) {
        Change change = new Change(CounterChange.of(record), CachedViewSources.userWhoseViewsChanged(record));
        return change.counters().isEmpty() && change.staleViewsOf().isEmpty() ? Optional.empty() : Optional.of(change);
    }

    /**
     * The batch's counters first, together (each change once, so a retry for the views counts nothing twice; a
     * failure there fails the whole batch), then each record's views in order.
     */
    @Override
    protected int consumeInOrder(List<Change> changes) {
        metrics.applyAll(changes.stream().flatMap(change -> change.counters().stream()).toList());
        return oneAtATime(changes, change -> change.staleViewsOf().ifPresent(userId -> {
            if (!users.forget(userId)) {
                throw new IllegalStateException("the cache did not confirm forgetting the user's views");
            }
        }));
    }

    /** A change of the nil user's account without status, type or plan: no counter moves, and priming forgets nothing. */
    @Override
    protected Map<String, Object> primingImage() {
        return Map.of("type", Map.of("S", "user"), "pk", Map.of("S", "USER#00000000-0000-0000-0000-000000000000"));
    }

    /** Then the counters' transaction, refused by the table. */
    @Override
    protected void primeWith(List<Change> changes) {
        consumeInOrder(changes);
        metrics.prime();
    }
}
