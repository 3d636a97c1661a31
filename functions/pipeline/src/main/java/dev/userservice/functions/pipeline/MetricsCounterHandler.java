package dev.userservice.functions.pipeline;

import dev.userservice.Services;
import dev.userservice.health.CounterChange;
import dev.userservice.health.ServiceMetrics;
import dev.userservice.triggers.StreamFunction;
import dev.userservice.triggers.StreamRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the service counters of {@code GET /api/v1/metrics} from the table's stream: each insert, change or removal
 * of a profile, session, device or notification status becomes counter deltas (old image against new), applied once
 * per stream record; other records are skipped.
 * <pre>java -jar local/target/local-api.jar invoke MetricsCounterFunction events/metrics-counter.json</pre>
 */
public final class MetricsCounterHandler extends StreamFunction<CounterChange> {
    private final ServiceMetrics metrics;

    public MetricsCounterHandler() {
        this(System.getenv());
    }

    public MetricsCounterHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    MetricsCounterHandler(Services services) {
        super(services, "metrics");
        this.metrics = services.serviceMetrics();
    }

    @Override
    protected Optional<CounterChange> read(StreamRecord record) {
        return CounterChange.of(record);
    }

    @Override
    protected int consumeInOrder(List<CounterChange> changes) {
        return oneAtATime(changes, metrics::apply);
    }

    /** An account image without status, type or plan: no counter moves. */
    @Override
    protected Map<String, Object> primingImage() {
        return Map.of("type", Map.of("S", "user"));
    }

    @Override
    protected void primeWith(List<CounterChange> changes) {
        changes.forEach(metrics::apply);
    }
}
