package dev.userservice.notifications;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The notification store's contract in memory: a status is recorded once per deduplication key, only for a user
 * who exists, with what it teaches (a dead token deactivates its device, a hard bounce marks the email); the history
 * is newest first and resumes after an opaque position. Records are immutable, so what it hands out is a copy.
 */
final class InMemoryNotificationStore implements NotificationStore {
    private static final Comparator<NotificationStatus> NEWEST_FIRST =
            Comparator.comparing(InMemoryNotificationStore::position).reversed();

    private final Set<String> users = new HashSet<>();
    /** The user holding each active device's token. */
    private final Map<String, String> activeTokens = new HashMap<>();
    private final Map<String, NotificationStatus> firstByKey = new HashMap<>();
    private final List<NotificationStatus> statuses = new ArrayList<>();
    final Set<String> bouncedEmails = new HashSet<>();
    final Set<String> deactivatedTokens = new HashSet<>();
    int historyReads;

    void addUser(String userId) {
        users.add(userId);
    }

    void addDevice(String userId, String token) {
        activeTokens.put(token, userId);
    }

    List<NotificationStatus> stored() {
        return List.copyOf(statuses);
    }

    @Override
    public Outcome record(NotificationStatus status) {
        NotificationStatus first = firstByKey.get(status.deduplicationKey());
        if (first != null) {
            return new Outcome.Duplicate(Optional.of(first));
        }
        if (!users.contains(status.userId())) {
            return new Outcome.UnknownUser();
        }
        Set<String> changedUsers = new LinkedHashSet<>();
        status.deactivatesDevice().ifPresent(reason -> {
            String holder = activeTokens.remove(status.deviceToken());
            if (holder != null) {
                deactivatedTokens.add(status.deviceToken());
                changedUsers.add(holder);
            }
        });
        if (status.marksEmailBounced()) {
            bouncedEmails.add(status.userId());
            changedUsers.add(status.userId());
        }
        firstByKey.put(status.deduplicationKey(), status);
        statuses.add(status);
        return new Outcome.Created(status, Set.copyOf(changedUsers));
    }

    @Override
    public Optional<String> userOf(String notificationId, NotificationStatus.Channel channel) {
        return firstByKey.values().stream()
                .filter(status -> status.notificationId().equals(notificationId) && status.channel() == channel)
                .map(NotificationStatus::userId)
                .findFirst();
    }

    @Override
    public List<Counted> countedSince(String userId, java.time.Instant since, int limit) {
        return statuses.stream()
                .filter(status -> status.userId().equals(userId) && !status.timestamp().isBefore(since))
                .sorted(java.util.Comparator.comparing(NotificationStatus::timestamp).reversed())
                .limit(limit)
                .map(status -> new Counted(status.channel(), status.status(), status.timestamp()))
                .toList();
    }

    @Override
    public HistoryPage history(String userId, HistoryFilter filter, Optional<String> after, int limit) {
        historyReads++;
        List<NotificationStatus> matching = statuses.stream()
                .filter(status -> status.userId().equals(userId))
                .filter(filter::matches)
                .filter(status -> after.isEmpty() || position(status).compareTo(after.get()) < 0)
                .sorted(NEWEST_FIRST)
                .toList();
        if (matching.size() <= limit) {
            return new HistoryPage(matching, Optional.empty());
        }
        List<NotificationStatus> shown = matching.subList(0, limit);
        return new HistoryPage(List.copyOf(shown), Optional.of(position(shown.getLast())));
    }

    /** Sorts as time does: epoch milliseconds at a fixed width, then the record's id. */
    private static String position(NotificationStatus status) {
        return String.format("%020d#%s", status.timestamp().toEpochMilli(), status.id());
    }
}
