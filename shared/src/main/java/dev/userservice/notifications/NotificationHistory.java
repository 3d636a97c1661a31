package dev.userservice.notifications;

import dev.userservice.notifications.NotificationStatus.Channel;
import dev.userservice.paging.Cursors;
import dev.userservice.validation.Fields;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A user's notification statuses, newest first, cursor-paged: {@code ?channel=} ({@code email|push}),
 * {@code ?status=} (one of {@link NotificationStatus.Status}), {@code ?limit=} (default 20, at most 100),
 * {@code ?cursor=}. Unknown parameters are refused like unknown body fields. The cursor binds the user and the
 * filters, so it cannot be replayed on another history or filter.
 */
public final class NotificationHistory {
    private static final String LISTING = "notification-history";

    private final NotificationStore store;
    private final Consumer<String> requireUser;
    private final Cursors cursors;

    /** {@code requireUser} throws 404 {@code not_found} for a user who does not exist (as {@code UserService::view}). */
    public NotificationHistory(NotificationStore store, Consumer<String> requireUser, Cursors cursors) {
        this.store = store;
        this.requireUser = requireUser;
        this.cursors = cursors;
    }

    /** What a page of history asks for: {@code ?channel=}, {@code ?status=}, {@code ?limit=} and {@code ?cursor=}. */
    public record Query(NotificationStore.HistoryFilter filter, int limit, Optional<String> cursor) {

        /** Reads the query string; any other parameter, and any bad value, is one {@code validation_failed}. */
        public static Query read(Map<String, String> query) {
            Fields fields = Fields.of(new HashMap<>(query)).synonym("limit", Cursors.PAGE_SIZE);
            Optional<Channel> channel = fields.optional("channel", 16, Channel::parse);
            Optional<NotificationStatus.Status> status = fields.optional("status", 16, NotificationStatus.Status::parse);
            int limit = fields.optional("limit", 3, Cursors::limit).orElse(Cursors.DEFAULT_LIMIT);
            Optional<String> cursor = fields.optionalString("cursor", Cursors.MAX_LENGTH);
            fields.validate();
            return new Query(new NotificationStore.HistoryFilter(channel, status), limit, cursor);
        }
    }

    /**
     * One page of {@link NotificationStatus} records; 404 {@code not_found} for a user who does not exist, 400 for
     * a cursor that is not this history's.
     */
    public Cursors.Page list(String userId, Query query) {
        requireUser.accept(userId);

        String channelName = query.filter().channel().map(Channel::wireName).orElse("");
        String statusName = query.filter().status().map(NotificationStatus.Status::wireName).orElse("");
        Optional<String> after = query.cursor().map(text -> position(cursors.open(LISTING, text), userId, channelName, statusName));
        NotificationStore.HistoryPage page = store.history(userId, query.filter(), after, query.limit());
        Optional<String> next = page.next().map(position -> cursors.seal(LISTING, Map.of(
                "u", userId, "c", channelName, "s", statusName, "p", position)));
        return new Cursors.Page(page.records(), query.limit(), next);
    }

    /** A cursor signed before the status filter existed carries no {@code s}: it was of every status. */
    private static String position(Map<String, Object> opened, String userId, String channel, String status) {
        if (!userId.equals(opened.get("u")) || !channel.equals(opened.get("c")) || !status.equals(opened.getOrDefault("s", ""))
                || !(opened.get("p") instanceof String position)) {
            throw Cursors.invalid();
        }
        return position;
    }
}
