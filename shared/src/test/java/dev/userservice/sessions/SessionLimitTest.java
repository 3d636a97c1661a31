package dev.userservice.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionLimitTest {
    private static final Instant START = Instant.parse("2025-02-01T09:00:00Z");
    private final SessionLimit limit = new SessionLimit(3);

    @Test
    void aStartUnderTheLimitEndsNothing() {
        assertEquals(List.of(), limit.endedByStart(sessions(2)));
    }

    @Test
    void aStartAtTheLimitEndsTheOldestWhereverItIsListed() {
        List<Session> live = new ArrayList<>(sessions(3));
        Session oldest = live.getFirst();
        live.add(live.removeFirst());

        assertEquals(List.of(oldest), limit.endedByStart(live));
    }

    @Test
    void aStartFarOverALoweredLimitEndsAllTheOldestBeyondIt() {
        List<Session> live = sessions(6);

        assertEquals(ids(live.subList(0, 4)), ids(limit.endedByStart(live)));
    }

    @Test
    void sessionsStartedAtOneInstantGiveWayByIdSoEverySignInPicksTheSame() {
        List<Session> sameInstant = List.of(session("s-c", START), session("s-a", START), session("s-b", START));

        assertEquals(List.of("s-a"), ids(limit.endedByStart(sameInstant)));
    }

    /** After sign-ins at once went past the limit: the oldest beyond it, never the session just started, even if oldest. */
    @Test
    void beyondTheLimitAreTheOldestButNeverTheSessionKept() {
        List<Session> live = sessions(5);

        assertEquals(ids(live.subList(0, 2)), ids(limit.beyondLimit(live, "s-4")));
        assertEquals(List.of("s-1", "s-2"), ids(limit.beyondLimit(live, "s-0")), "a clock behind made the new one oldest");
        assertEquals(List.of(), limit.beyondLimit(sessions(3), "s-2"));
    }

    @Test
    void atLeastOneSessionMustBeAllowed() {
        assertThrows(IllegalArgumentException.class, () -> new SessionLimit(0));
    }

    private static List<Session> sessions(int count) {
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sessions.add(session("s-" + i, START.plusSeconds(60L * i)));
        }
        return sessions;
    }

    private static Session session(String id, Instant createdAt) {
        return new Session(id, "alice", null, null, null, createdAt, createdAt, createdAt.plusSeconds(86_400 * 30L), null);
    }

    private static List<String> ids(List<Session> sessions) {
        return sessions.stream().map(Session::id).toList();
    }
}
