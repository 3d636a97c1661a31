package dev.userservice.metrics;

import dev.userservice.logging.Log;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts made while one invocation runs, written when it ends as CloudWatch embedded metric format (EMF) log lines,
 * which CloudWatch turns into metrics with no API call and no agent: namespace {@value #NAMESPACE}, dimensions
 * {@code FunctionName} and {@code Cache}, metrics {@code CacheHit} and {@code CacheMiss} (Count). Counts are summed
 * per invocation, so a batch of 100 reads is one line, not 100; an invocation that read no cache writes nothing.
 * EMF gives a line one value per dimension, so an invocation that read two caches writes one line for each.
 *
 * <p>Counts belong to the thread that serves the invocation (Lambda serves one at a time per instance; the local
 * runner may serve several on different threads), so no request sees another's.
 */
public final class Metrics {
    static final String NAMESPACE = "UserService";
    private static final ThreadLocal<Map<String, CacheCounts>> CACHE_COUNTS = ThreadLocal.withInitial(LinkedHashMap::new);

    private Metrics() {}

    private static final class CacheCounts {
        long hits;
        long misses;
    }

    /** Counts a read of {@code cache}: a hit or a miss. */
    public static void cacheRead(String cache, boolean hit) {
        CacheCounts counts = CACHE_COUNTS.get().computeIfAbsent(cache, name -> new CacheCounts());
        if (hit) {
            counts.hits++;
        } else {
            counts.misses++;
        }
    }

    /** Writes this invocation's counts, if any, and starts the next invocation from zero. */
    public static void flush(String functionName) {
        Map<String, CacheCounts> counts = CACHE_COUNTS.get();
        if (counts.isEmpty()) {
            return;
        }
        long timestamp = Instant.now().toEpochMilli();
        counts.forEach((cache, count) -> Log.info("metrics", emf(functionName, cache, count.hits, count.misses, timestamp)));
        counts.clear();
    }

    /** Forgets counts that no invocation will write, such as those of a request that failed before its end. */
    public static void discard() {
        CACHE_COUNTS.get().clear();
    }

    /**
     * Counts, at once, work after a committed write that failed while the request answered as done
     * ({@code FollowUp}): metric {@code FollowUpFailures}, dimension {@code TableName} (the stack's table, which
     * every function is given, so one alarm per stack watches all of them).
     */
    public static void followUpFailed() {
        Log.info("metrics", emf(Map.of("TableName", System.getenv().getOrDefault("TABLE_NAME", "unknown")),
                Map.of("FollowUpFailures", 1L), Instant.now().toEpochMilli()));
    }

    static Map<String, Object> emf(String functionName, String cache, long hits, long misses, long timestamp) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("FunctionName", functionName);
        dimensions.put("Cache", cache);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("CacheHit", hits);
        counts.put("CacheMiss", misses);
        return emf(dimensions, counts, timestamp);
    }

    /** One EMF line: the directive naming the dimensions and the counts, then their values. */
    private static Map<String, Object> emf(Map<String, String> dimensions, Map<String, Long> counts, long timestamp) {
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", NAMESPACE);
        directive.put("Dimensions", List.of(List.copyOf(dimensions.keySet())));
        directive.put("Metrics", counts.keySet().stream().map(name -> Map.of("Name", name, "Unit", "Count")).toList());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("Timestamp", timestamp);
        metadata.put("CloudWatchMetrics", List.of(directive));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", metadata);
        line.putAll(dimensions);
        line.putAll(counts);
        return line;
    }
}
