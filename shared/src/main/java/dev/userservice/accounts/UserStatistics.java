package dev.userservice.accounts;

import dev.userservice.auth.Principal;
import dev.userservice.devices.Device;
import dev.userservice.devices.DeviceService;
import dev.userservice.json.JsonWritable;
import dev.userservice.notifications.NotificationStatus;
import dev.userservice.notifications.NotificationStore;
import dev.userservice.sessions.SessionService;
import dev.userservice.sessions.SessionState;
import dev.userservice.sessions.SessionView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's own statistics: sessions and devices (active and total), notification statuses by channel and status
 * over the last 30 and 90 days, and the last sign-in. Every figure comes from reads of the user's own partition:
 * the session and device listings (bounded by the session history's retention and the device limits) and one
 * backwards Query of the notification history, which stops after {@link #MAX_COUNTED_STATUSES} statuses.
 */
public final class UserStatistics {
    /** The most statuses one request counts; a history longer than this within 90 days is reported incomplete. */
    public static final int MAX_COUNTED_STATUSES = 10_000;
    private static final Duration RECENT = Duration.ofDays(30);
    private static final Duration KEPT = Duration.ofDays(90);

    private final SessionService sessions;
    private final DeviceService devices;
    private final NotificationStore notifications;
    private final Clock clock;

    public UserStatistics(SessionService sessions, DeviceService devices, NotificationStore notifications, Clock clock) {
        this.sessions = sessions;
        this.devices = devices;
        this.notifications = notifications;
        this.clock = clock;
    }

    /** The caller's statistics at this moment. */
    public Statistics of(Principal caller) {
        Instant now = clock.instant();
        List<SessionView> stored = sessions.list(caller, caller.subject(), SessionState.ALL);
        List<Device> owned = devices.list(caller.subject());
        List<NotificationStore.Counted> counted =
                notifications.countedSince(caller.subject(), now.minus(KEPT), MAX_COUNTED_STATUSES + 1);
        boolean complete = counted.size() <= MAX_COUNTED_STATUSES;
        List<NotificationStore.Counted> shown = complete ? counted : counted.subList(0, MAX_COUNTED_STATUSES);
        Instant recentSince = now.minus(RECENT);
        return new Statistics(
                new Counts(stored.stream().filter(view -> view.ending().isEmpty()).count(), stored.size()),
                new Counts(owned.stream().filter(Device::active).count(), owned.size()),
                tally(shown.stream().filter(status -> !status.timestamp().isBefore(recentSince)).toList()),
                tally(shown),
                complete,
                stored.stream().map(view -> view.session().createdAt()).max(Instant::compareTo).orElse(null));
    }

    /** Every channel and status, zero where none was counted, so the answer's shape never varies. */
    private static Map<String, Map<String, Long>> tally(List<NotificationStore.Counted> counted) {
        Map<String, Map<String, Long>> byChannel = NotificationStatus.zeroCounts();
        counted.forEach(one -> byChannel.get(one.channel().wireName()).merge(one.status().wireName(), 1L, Long::sum));
        return byChannel;
    }

    /** How many there are in all and how many of them are active. */
    public record Counts(long active, long total) {}

    /**
     * What {@code GET /api/v1/users/me/stats} answers.
     *
     * @param complete     false when the last 90 days hold more than {@link #MAX_COUNTED_STATUSES} statuses, of which
     *                     only the newest were counted
     * @param lastSignInAt the start of the newest session still stored (live, or ended within the history's
     *                     retention); null when there is none
     */
    public record Statistics(Counts sessions, Counts devices, Map<String, Map<String, Long>> last30Days,
                             Map<String, Map<String, Long>> last90Days, boolean complete, Instant lastSignInAt)
            implements JsonWritable {

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("sessions", Map.of("active", sessions.active(), "total", sessions.total()));
            json.put("devices", Map.of("active", devices.active(), "total", devices.total()));
            Map<String, Object> notificationCounts = new LinkedHashMap<>();
            notificationCounts.put("last_30_days", last30Days);
            notificationCounts.put("last_90_days", last90Days);
            notificationCounts.put("complete", complete);
            json.put("notifications", notificationCounts);
            json.put("last_sign_in_at", lastSignInAt);
            return json;
        }
    }
}
