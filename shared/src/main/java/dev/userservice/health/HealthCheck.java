package dev.userservice.health;

import dev.userservice.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks each dependency with one cheap round trip. The database decides whether the service is up; a dead cache
 * or queue only makes it degraded, because the service still answers without them.
 */
public final class HealthCheck {

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

    /** An empty cache or queue probe means that dependency is not configured, reported as {@code disabled}. */
    public HealthCheck(Probe database, Optional<Probe> cache, Optional<Probe> queue, String version) {
        this.database = database;
        this.cache = cache;
        this.queue = queue;
        this.version = version;
    }

    public Report run() {
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("dynamodb", measure(database));
        checks.put("cache", cache.map(HealthCheck::measure).orElse(new Check(Status.DISABLED, 0)));
        checks.put("queue", queue.map(HealthCheck::measure).orElse(new Check(Status.DISABLED, 0)));
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
