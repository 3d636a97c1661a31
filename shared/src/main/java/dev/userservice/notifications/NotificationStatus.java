package dev.userservice.notifications;

import dev.userservice.devices.DeactivationReason;
import dev.userservice.json.JsonWritable;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One delivery status of one notification, as the contract's "Notification status" represents it, and what the
 * service learns from it about the user's addresses: a push token the provider no longer knows, a hard email bounce.
 */
public record NotificationStatus(
        String id,
        String notificationId,
        String userId,
        Channel channel,
        Status status,
        String error,
        String deviceToken,
        Instant timestamp,
        Instant recordedAt) implements JsonWritable {

    /**
     * The provider errors that mean a push token is dead, and the reason its device is deactivated with: each a
     * {@linkplain DeactivationReason#isProviderRefusal provider's refusal}.
     */
    private static final Map<String, DeactivationReason> DEAD_TOKEN_ERRORS = Map.of(
            "unregistered", DeactivationReason.UNREGISTERED,
            "invalid_token", DeactivationReason.INVALID_TOKEN);

    public enum Channel {
        EMAIL, PUSH;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Channel> fromWireName(String name) {
            return Arrays.stream(values()).filter(channel -> channel.wireName().equals(name)).findFirst();
        }

        /** The channel a request names; otherwise the message of a field error. */
        public static Channel parse(String name) {
            return fromWireName(name).orElseThrow(() -> new IllegalArgumentException("must be email or push"));
        }
    }

    public enum Status {
        QUEUED, SENT, DELIVERED, OPENED, FAILED, BOUNCED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Status> fromWireName(String name) {
            return Arrays.stream(values()).filter(status -> status.wireName().equals(name)).findFirst();
        }

        /** The status a request names; otherwise the message of a field error. */
        public static Status parse(String name) {
            return fromWireName(name).orElseThrow(() -> new IllegalArgumentException(
                    "must be one of " + Arrays.stream(values()).map(Status::wireName).collect(Collectors.joining(", "))));
        }
    }

    /**
     * What makes two reports the same status, so it is recorded once: the pipeline may report a status over HTTP and
     * over the queue, and the queue delivers at least once. Neither channel nor status contains {@code |}, so the
     * key is unambiguous whatever the notification id holds.
     */
    public String deduplicationKey() {
        return deduplicationKey(notificationId, channel, status);
    }

    /**
     * The key of this status on its device, for a push that went to several of the user's devices under one
     * notification id: the first report of a status takes {@link #deduplicationKey()}, and a report of the same
     * status from another device takes this one, so the second dead token is deactivated too. The token follows a
     * line break, which no printable notification id holds, so it is never another status's key.
     */
    public String deviceDeduplicationKey() {
        return deduplicationKey() + "\n" + deviceToken;
    }

    /**
     * A count of statuses per channel and status, every one present at zero, in wire names and declaration order:
     * the shape the statistics answer, so it never varies with what was counted.
     */
    public static Map<String, Map<String, Long>> zeroCounts() {
        Map<String, Map<String, Long>> byChannel = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            byChannel.put(channel.wireName(), zeroCountsByStatus());
        }
        return byChannel;
    }

    /** One channel's part of {@link #zeroCounts()}: every status at zero. */
    public static Map<String, Long> zeroCountsByStatus() {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (Status status : Status.values()) {
            byStatus.put(status.wireName(), 0L);
        }
        return byStatus;
    }

    /** The deduplication key of a status of that notification on that channel. */
    public static String deduplicationKey(String notificationId, Channel channel, Status status) {
        return notificationId + "|" + channel.wireName() + "|" + status.wireName();
    }

    /** A push that failed because the provider no longer knows the token: its device must stop receiving pushes. */
    public Optional<DeactivationReason> deactivatesDevice() {
        if (channel != Channel.PUSH || status != Status.FAILED || deviceToken == null || error == null) {
            return Optional.empty();
        }
        // In any case: a pipeline passing on the provider's own spelling (APNs' Unregistered, FCM's UNREGISTERED) means it too.
        return Optional.ofNullable(DEAD_TOKEN_ERRORS.get(error.toLowerCase(Locale.ROOT)));
    }

    /** A bounce is the hard kind ({@code failed} covers the passing ones): the address is not mailed again. */
    public boolean marksEmailBounced() {
        return channel == Channel.EMAIL && status == Status.BOUNCED;
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("notification_id", notificationId);
        json.put("user_id", userId);
        json.put("channel", channel.wireName());
        json.put("status", status.wireName());
        json.put("error", error);
        json.put("device_token", deviceToken);
        json.put("timestamp", timestamp.toString());
        json.put("recorded_at", recordedAt.toString());
        return json;
    }
}
