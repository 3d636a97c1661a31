package dev.userservice.notifications;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where notification statuses live: each user's history, newest first, and what a status teaches about the user's
 * addresses, stored in the same transaction as the status itself.
 */
public interface NotificationStore {

    /** What recording a status did. */
    sealed interface Outcome {
        /** Stored, with what it taught; {@code changedUsers} are the users whose notification inputs changed. */
        record Created(NotificationStatus record, Set<String> changedUsers) implements Outcome {}

        /** Recorded before (same notification, channel and status): nothing stored; the first record if still kept. */
        record Duplicate(Optional<NotificationStatus> existing) implements Outcome {}

        /** No such user (never was, or deleted since): nothing stored. */
        record UnknownUser() implements Outcome {}

        /**
         * The same status of the notification was another user's, an account deleted since whose marker remains:
         * nothing stored. A notification id is one notification to one user.
         */
        record AnotherUsers() implements Outcome {}
    }

    /** One page of a history and, when more follow, the opaque position to resume after. */
    record HistoryPage(List<NotificationStatus> records, Optional<String> next) {}

    /**
     * Records the status once per {@link NotificationStatus#deduplicationKey()} (and, for a push that reached several
     * devices, once per device), in one transaction with what it teaches: a dead push token deactivates the device
     * holding it, a hard bounce marks the user's email.
     */
    Outcome record(NotificationStatus status);

    /**
     * The user an earlier status of the notification on that channel named, while it is kept, for a report that
     * names none (as the earlier services' clients send them).
     */
    Optional<String> userOf(String notificationId, NotificationStatus.Channel channel);

    /** What counting a status needs of it. */
    record Counted(NotificationStatus.Channel channel, NotificationStatus.Status status, Instant timestamp) {}

    /**
     * The user's statuses timestamped at or after {@code since}, newest first, at most {@code limit} of them: one
     * bounded Query of the user's own partition, reading only what a count needs.
     */
    List<Counted> countedSince(String userId, Instant since, int limit);

    /** Which statuses of a history are listed: of one channel, of one status, both or neither. */
    record HistoryFilter(Optional<NotificationStatus.Channel> channel, Optional<NotificationStatus.Status> status) {
        public static final HistoryFilter NONE = new HistoryFilter(Optional.empty(), Optional.empty());

        public boolean matches(NotificationStatus record) {
            return channel.map(only -> only == record.channel()).orElse(true) && status.map(only -> only == record.status()).orElse(true);
        }
    }

    /** The user's statuses newest first, those {@code filter} matches, resuming after {@code after}. */
    HistoryPage history(String userId, HistoryFilter filter, Optional<String> after, int limit);
}
