package dev.userservice.health;

import dev.userservice.json.JsonWritable;
import dev.userservice.notifications.NotificationStatus;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.Plans;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service-level counters ({@code GET /api/v1/metrics}), kept from the table's stream so a read is one Query of
 * the counters' partition, never a scan: users by status, type and plan, active sessions and devices, and
 * notification statuses of the last 24 hours (hourly counters summed at read).
 */
public final class ServiceMetrics {
    private static final Duration DAY = Duration.ofHours(24);

    private final CounterStore counters;
    private final AccountTypes types;
    private final Plans plans;
    private final Clock clock;

    /** {@code types} and {@code plans}: the deployment's, which the report names beside the counts. */
    public ServiceMetrics(CounterStore counters, AccountTypes types, Plans plans, Clock clock) {
        this.counters = counters;
        this.types = types;
        this.plans = plans;
        this.clock = clock;
    }

    /** For priming: an {@link #apply}'s round trip, which the store refuses. */
    public void prime() {
        counters.prime();
    }

    /** Applies one stream record's change once; false when it was applied before. */
    public boolean apply(CounterChange change) {
        return change.deltas().isEmpty() || counters.apply(change.changeId(), change.deltas());
    }

    /** Applies a batch of stream records' changes, each once. */
    public void applyAll(List<CounterChange> changes) {
        List<CounterChange> moving = changes.stream().filter(change -> !change.deltas().isEmpty()).toList();
        if (!moving.isEmpty()) {
            counters.applyAll(moving);
        }
    }

    /** The counters now. */
    public Report report() {
        Map<String, Long> stored = counters.read();
        Map<String, Map<String, Long>> notifications = NotificationStatus.zeroCounts();
        Instant firstHour = clock.instant().minus(DAY).truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        Map<String, HourOfStatuses> hours = new LinkedHashMap<>();
        for (Instant hour = firstHour; hours.size() < DAY.toHours(); hour = hour.plus(Duration.ofHours(1))) {
            hours.put(CounterChange.HOUR.format(hour), new HourOfStatuses(hour, NotificationStatus.zeroCountsByStatus()));
        }
        stored.forEach((name, count) -> {
            String[] parts = name.split("#", -1);
            if (name.startsWith(CounterChange.NOTIFICATIONS_PREFIX) && parts.length == 4 && hours.containsKey(parts[1])
                    && notifications.containsKey(parts[2]) && notifications.get(parts[2]).containsKey(parts[3])) {
                notifications.get(parts[2]).merge(parts[3], count, Long::sum);
                hours.get(parts[1]).byStatus().merge(parts[3], count, Long::sum);
            }
        });
        return new Report(withPrefix(stored, CounterChange.USERS_BY_STATUS), withPrefix(stored, CounterChange.USERS_BY_TYPE),
                withPrefix(stored, CounterChange.USERS_BY_PLAN), types.names(), plans.names(),
                stored.getOrDefault(CounterChange.ACTIVE_SESSIONS, 0L),
                stored.getOrDefault(CounterChange.ACTIVE_DEVICES, 0L), notifications, new ArrayList<>(hours.values()));
    }

    private static Map<String, Long> withPrefix(Map<String, Long> stored, String prefix) {
        Map<String, Long> values = new TreeMap<>();
        stored.forEach((name, count) -> {
            if (name.startsWith(prefix)) {
                values.put(name.substring(prefix.length()), count);
            }
        });
        return values;
    }

    /** The notification statuses of one hour (every channel), by status. */
    public record HourOfStatuses(Instant hour, Map<String, Long> byStatus) implements JsonWritable {
        @Override
        public Map<String, Object> toJson() {
            return Map.of("hour", hour.toString(), "by_status", byStatus);
        }
    }

    /**
     * What {@code GET /api/v1/metrics} answers: the users by status, type and plan (a type or plan no longer
     * configured stays counted while accounts hold it), the types and plans the deployment offers now, in their
     * configured order, and the day's statuses as totals by channel, and hour by hour.
     */
    public record Report(Map<String, Long> usersByStatus, Map<String, Long> usersByType, Map<String, Long> usersByPlan,
                         List<String> types, List<String> plans, long activeSessions, long activeDevices,
                         Map<String, Map<String, Long>> notificationsLast24Hours, List<HourOfStatuses> notificationsByHour)
            implements JsonWritable {

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            Map<String, Object> users = new LinkedHashMap<>();
            users.put("by_status", usersByStatus);
            users.put("by_type", usersByType);
            users.put("by_plan", usersByPlan);
            users.put("types", types);
            users.put("plans", plans);
            json.put("users", users);
            json.put("sessions", Map.of("active", activeSessions));
            json.put("devices", Map.of("active", activeDevices));
            json.put("notifications_last_24_hours", notificationsLast24Hours);
            json.put("notifications_by_hour", notificationsByHour);
            return json;
        }
    }
}
