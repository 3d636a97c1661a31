package dev.userservice.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.cache.Cache;
import dev.userservice.testing.InMemoryCache;
import dev.userservice.testing.InMemorySessionStore;
import dev.userservice.testing.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SessionGuardTest {
    private static final Duration IDLE = Duration.ofDays(7);
    private static final Duration MAX = Duration.ofDays(30);
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final InMemorySessionStore store = new InMemorySessionStore();
    private final InMemoryCache cache = new InMemoryCache(clock);
    private final SessionGuard guard = new SessionGuard(store, cache, IDLE, TOKEN_LIFETIME, clock);

    @Test
    void aLiveSessionCostsOneTableReadThenCacheReadsOnly() {
        Session session = signIn("user-1");

        for (int request = 0; request < 5; request++) {
            assertTrue(guard.isAlive("user-1", session.id()));
        }

        assertEquals(1, store.reads());
    }

    @Test
    void aRevokedSessionIsRefusedAtOnceEvenWithAnActiveMarkerCached() {
        Session session = signIn("user-1");
        assertTrue(guard.isAlive("user-1", session.id()));

        guard.revoke("user-1", session.id(), SessionEnd.LOGOUT);

        assertFalse(guard.isAlive("user-1", session.id()));
    }

    /**
     * A token pairing a session's id with another user (only a leaked signing key could sign one) meets the table,
     * which refuses it, whatever the cache holds of the session; and its refusal does not end the session.
     */
    @Test
    void theCachesMarkersOfASessionAnswerForItsOwnUserOnly() {
        Session session = signIn("user-1");
        assertTrue(guard.isAlive("user-1", session.id()));

        assertFalse(guard.isAlive("user-2", session.id()), "the active marker of user-1's session");
        assertTrue(guard.isAlive("user-1", session.id()), "no revoked marker planted on user-1's session");
    }

    @Test
    void withTheCacheDownEveryCheckReadsTheTable() {
        Session session = signIn("user-1");
        cache.setDown(true);

        assertTrue(guard.isAlive("user-1", session.id()));
        guard.revoke("user-1", session.id(), SessionEnd.LOGOUT);
        assertFalse(guard.isAlive("user-1", session.id()));

        assertEquals(2, store.reads());
    }

    @Test
    void aRevocationMissedByADeadCacheIsSeenOnceTheActiveMarkerRunsOut() {
        Session session = signIn("user-1");
        assertTrue(guard.isAlive("user-1", session.id()));
        cache.setDown(true);
        guard.revoke("user-1", session.id(), SessionEnd.LOGOUT);
        cache.setDown(false);

        clock.advance(SessionGuard.ACTIVE_FOR.plusSeconds(1));

        assertFalse(guard.isAlive("user-1", session.id()));
    }

    @Test
    void sessionsEndAfterAWeekIdleAndAMonthAtTheLatest() {
        Session idle = signIn("user-1");
        clock.advance(IDLE.plusSeconds(1));
        assertFalse(guard.isAlive("user-1", idle.id()), "a week without use");

        Session busy = signIn("user-2");
        Session used = busy;
        for (int week = 0; week < 5; week++) {
            clock.advance(Duration.ofDays(6));
            used = used.usedAt(clock.instant());
        }
        assertFalse(used.isActive(clock.instant(), IDLE), "used every six days, it still ends 30 days after sign-in");
    }

    /** A check moments before the session's expiry caches it alive until then, not for the marker's whole minute. */
    @Test
    void theActiveMarkerEndsWithTheSession() {
        Session session = signIn("user-1");
        clock.advance(IDLE.minusSeconds(10));
        assertTrue(guard.isAlive("user-1", session.id()));

        clock.advance(Duration.ofSeconds(11));

        assertFalse(guard.isAlive("user-1", session.id()), "expired, though a minute had not passed since it was cached");
    }

    @Test
    void anAccountThatNoLongerAcceptsItsSessionsEndsThemWithoutRevokingEachOne() {
        Session session = signIn("user-1");

        store.refuseSessionsOf("user-1"); // disabled, deleted or reset by a function that died before revoking

        assertFalse(guard.isAlive("user-1", session.id()));
    }

    @Test
    void revokeAllKeepsOnlyTheCallersSession() {
        Session kept = signIn("user-1");
        Session other = signIn("user-1");
        Session stranger = signIn("user-2");

        guard.revokeAll("user-1", Optional.of(kept.id()), SessionEnd.LOGOUT_ALL);

        assertTrue(guard.isAlive("user-1", kept.id()));
        assertFalse(guard.isAlive("user-1", other.id()));
        assertTrue(guard.isAlive("user-2", stranger.id()), "another user's sessions are untouched");
    }

    /**
     * What a check learns from the table is filled, which a cache whose breaker is open skips: a dead cache must not
     * cost every request bearing an ended session's token a timeout. Only revocations put.
     */
    @Test
    void aCheckWritesWhatItReadAsAFill() {
        List<String> writes = new ArrayList<>();
        SessionGuard guard = new SessionGuard(store, observed(call -> {
            if (!call.startsWith("get")) {
                writes.add(call);
            }
        }), IDLE, TOKEN_LIFETIME, clock);
        Session ended = signIn("user-1");
        store.revoke("user-1", ended.id(), clock.instant(), SessionEnd.LOGOUT);

        assertFalse(guard.isAlive("user-1", ended.id()));
        assertTrue(guard.isAlive("user-1", signIn("user-1").id()));

        assertEquals(List.of("fill", "fill"), writes);
        assertFalse(guard.isAlive("user-1", ended.id()), "its revoked marker is cached");
        assertEquals(2, store.reads());
    }

    /** Against a dead cache every call waits out its timeout: ending a user's many sessions must not cost one each. */
    @Test
    void endingEverySessionOfAUserCostsTheCacheTwoCallsHoweverManyThereAre() {
        AtomicInteger cacheCalls = new AtomicInteger();
        SessionGuard guard = new SessionGuard(store, observed(call -> cacheCalls.incrementAndGet()), IDLE, TOKEN_LIFETIME, clock);
        List<Session> live = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            live.add(signIn("user-1"));
            assertTrue(guard.isAlive("user-1", live.getLast().id()));
        }
        cacheCalls.set(0);

        guard.revokeAll("user-1", Optional.empty(), SessionEnd.LOGOUT_ALL);

        assertEquals(2, cacheCalls.get());
        assertTrue(live.stream().noneMatch(session -> guard.isAlive("user-1", session.id())), "each refused from the cache at once");
        assertEquals(20, store.reads(), "the table was read once per session, when each was first checked");
    }

    private Session signIn(String userId) {
        Instant now = clock.instant();
        Session session = new Session(java.util.UUID.randomUUID().toString(), userId, null, null, null, now, now, now.plus(MAX), null);
        store.create(session, "hash-" + session.id());
        return session;
    }

    /** The test's cache, telling {@code onCall} the name of each method called on it. */
    private Cache observed(Consumer<String> onCall) {
        return (Cache) Proxy.newProxyInstance(Cache.class.getClassLoader(), new Class<?>[] {Cache.class},
                (proxy, method, arguments) -> {
                    onCall.accept(method.getName());
                    try {
                        return method.invoke(cache, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
