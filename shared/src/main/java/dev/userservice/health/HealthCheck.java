package dev.userservice.health;

import dev.userservice.json.JsonWritable;
import dev.userservice.snapstart.Priming;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks each dependency with one cheap round trip, all at once and within {@link #DEADLINE}. The database decides
 * whether the service is up; a dead cache or queue only makes it degraded, because the service still answers without
 * them.
 */
public final class HealthCheck {
    /**
     * How long the check waits for its probes: a probe that has not answered by then is {@code down}. Each SDK call
     * may take 8 s (AwsClients), and one after another two hung dependencies would outlast the function's 10 s, which
     * Lambda ends without a report, when operators need one most.
     */
    static final Duration DEADLINE = Duration.ofSeconds(4);

    /** One round trip to a dependency; throws, or returns false, when it does not answer. */
    @FunctionalInterface
    public interface Probe {
        boolean call() throws Exception;
    }

    public enum Status { OK, DEGRADED, DOWN, DISABLED }

    public record Check(Status status, double latencyMs) implements JsonWritable {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("status", status);
            json.put("latency_ms", latencyMs);
            return json;
        }
    }

    public record Report(Status status, Map<String, Check> checks, String version) implements JsonWritable {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("status", status);
            json.put("checks", checks);
            json.put("version", version);
            return json;
        }
    }

    private final Probe database;
    private final Optional<Probe> cache;
    private final Optional<Probe> queue;
    private final String version;
    private final Duration deadline;

    /** An empty cache or queue probe means that dependency is not configured, reported as {@code disabled}. */
    public HealthCheck(Probe database, Optional<Probe> cache, Optional<Probe> queue, String version) {
        this(database, cache, queue, version, DEADLINE);
    }

    HealthCheck(Probe database, Optional<Probe> cache, Optional<Probe> queue, String version, Duration deadline) {
        this.database = database;
        this.cache = cache;
        this.queue = queue;
        this.version = version;
        this.deadline = deadline;
    }

    public Report run() {
        long until = System.nanoTime() + deadline.toNanos();
        FutureTask<Check> databaseCheck = started("dynamodb", database);
        Optional<FutureTask<Check>> cacheCheck = cache.map(probe -> started("cache", probe));
        Optional<FutureTask<Check>> queueCheck = queue.map(probe -> started("queue", probe));
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("dynamodb", awaited(databaseCheck, until));
        checks.put("cache", cacheCheck.map(check -> awaited(check, until)).orElse(new Check(Status.DISABLED, 0)));
        checks.put("queue", queueCheck.map(check -> awaited(check, until)).orElse(new Check(Status.DISABLED, 0)));
        Status overall;
        if (checks.get("dynamodb").status() == Status.DOWN) {
            overall = Status.DOWN;
        } else if (checks.values().stream().anyMatch(check -> check.status() == Status.DOWN)) {
            overall = Status.DEGRADED;
        } else {
            overall = Status.OK;
        }
        return new Report(overall, checks, version);
    }

    /** The probe running on a thread of its own, which a probe that hangs leaves behind rather than the request. */
    private static FutureTask<Check> started(String name, Probe probe) {
        // A priming check's probes prime too: the cache's would otherwise write its key into the snapshot's cache.
        FutureTask<Check> check = new FutureTask<>(Priming.carried(() -> measure(probe)));
        Thread thread = new Thread(check, "health check of " + name);
        thread.setDaemon(true);
        thread.start();
        return check;
    }

    /** The probe's check, or {@code down} when it has not answered by {@code until} (its latency then the deadline's). */
    private Check awaited(FutureTask<Check> check, long until) {
        try {
            return check.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException e) {
            // not answered in time (or died): down
        }
        check.cancel(true);
        return new Check(Status.DOWN, deadline.toMillis());
    }

    private static Check measure(Probe probe) {
        long started = System.nanoTime();
        boolean answered;
        try {
            answered = probe.call();
        } catch (Exception e) {
            answered = false;
        }
        double latencyMs = Math.round((System.nanoTime() - started) / 10_000.0) / 100.0;
        return new Check(answered ? Status.OK : Status.DOWN, latencyMs);
    }
}
