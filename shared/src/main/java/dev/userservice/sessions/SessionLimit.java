package dev.userservice.sessions;

import dev.userservice.paging.ListCap;
import java.util.Comparator;
import java.util.List;

/**
 * At most so many live sessions per user, so listing them and ending them all stays bounded: a sign-in beyond the
 * limit ends the user's oldest live sessions, in the same transaction that starts the new one.
 */
public final class SessionLimit {
    /** Oldest first; the session id settles ties, so every sign-in picks the same session. */
    private static final Comparator<Session> OLDEST_FIRST = Comparator.comparing(Session::createdAt).thenComparing(Session::id);

    private final int maxLive;

    public SessionLimit(int maxLive) {
        if (maxLive < 1) {
            throw new IllegalArgumentException("at least one live session must be allowed");
        }
        this.maxLive = maxLive;
    }

    /** Which of the user's {@code live} sessions a new one ends, so that it fits under the limit. */
    public List<Session> endedByStart(List<Session> live) {
        return ListCap.givingWayForOneMore(live, maxLive, OLDEST_FIRST);
    }

    /** Whether {@code live} sessions are more than the limit allows. */
    public boolean exceededBy(int live) {
        return live > maxLive;
    }

    /** Which of the user's {@code live} sessions are beyond the limit, oldest first, never the one {@code kept}. */
    public List<Session> beyondLimit(List<Session> live, String kept) {
        return live.stream().filter(session -> !session.id().equals(kept)).sorted(OLDEST_FIRST)
                .limit(Math.max(0, live.size() - maxLive)).toList();
    }
}
