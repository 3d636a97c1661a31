package dev.userservice.ratelimit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.testing.InMemoryCache;
import dev.userservice.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Fixed-window limits, counted in the cache and, while it is down, in the durable counters. */
class RateLimiterTest {
    /** Fifteen seconds into a one-minute window, so the window ends 45 seconds from now. */
    private static final Instant START = Instant.parse("2026-11-23T10:00:15Z");
    private static final RateLimit LOGIN = new RateLimit("login_email", 3, Duration.ofMinutes(1));

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryCache cache = new InMemoryCache(clock);
    private final InMemoryRateCounters counters = new InMemoryRateCounters(clock);
    private final RateLimiter limiter = new RateLimiter(cache, counters, clock);

    @Test
    void requestsWithinTheLimitAreAllowed() {
        for (int request = 1; request <= LOGIN.limit(); request++) {
            assertDoesNotThrow(() -> limiter.enforce(LOGIN, "alice@example.com"));
        }
    }

    @Test
    void theFirstRequestOverTheLimitIsRefusedWithRateLimitedAndTheSecondsLeftInTheWindow() {
        use(LOGIN, "alice@example.com", LOGIN.limit());

        ServiceException refusal = assertThrows(ServiceException.class, () -> limiter.enforce(LOGIN, "alice@example.com"));

        assertEquals(ErrorCode.RATE_LIMITED, refusal.error());
        assertEquals(429, refusal.error().status());
        assertEquals(Map.of("Retry-After", "45"), refusal.headers());
    }

    @Test
    void retryAfterCountsDownToTheWindowsEnd() {
        use(LOGIN, "alice@example.com", LOGIN.limit());

        clock.advance(Duration.ofSeconds(30));

        assertEquals("15", retryAfter(LOGIN, "alice@example.com"));
    }

    @Test
    void retryAfterSaysAtLeastOneSecondInTheWindowsLastMoment() {
        use(LOGIN, "alice@example.com", LOGIN.limit());

        clock.advance(Duration.ofMillis(44_500));

        assertEquals("1", retryAfter(LOGIN, "alice@example.com"));
    }

    @Test
    void eachSubjectCountsSeparately() {
        use(LOGIN, "alice@example.com", LOGIN.limit());

        assertDoesNotThrow(() -> limiter.enforce(LOGIN, "bob@example.com"));
        assertThrows(ServiceException.class, () -> limiter.enforce(LOGIN, "alice@example.com"));
    }

    @Test
    void eachLimitCountsSeparatelyForTheSameSubject() {
        RateLimit reset = new RateLimit("password_reset", 3, Duration.ofMinutes(1));
        use(LOGIN, "alice@example.com", LOGIN.limit());

        assertDoesNotThrow(() -> limiter.enforce(reset, "alice@example.com"));
    }

    @Test
    void theWindowsEndFreesTheSubject() {
        use(LOGIN, "alice@example.com", LOGIN.limit());
        assertThrows(ServiceException.class, () -> limiter.enforce(LOGIN, "alice@example.com"));

        clock.advance(Duration.ofSeconds(45));

        use(LOGIN, "alice@example.com", LOGIN.limit());
    }

    @Test
    void whileTheCacheIsDownTheDurableCountersKeepTheLimit() {
        cache.setDown(true);

        use(LOGIN, "alice@example.com", LOGIN.limit());
        ServiceException refusal = assertThrows(ServiceException.class, () -> limiter.enforce(LOGIN, "alice@example.com"));

        assertEquals(ErrorCode.RATE_LIMITED, refusal.error());
        assertEquals("45", refusal.headers().get("Retry-After"));
        assertEquals(LOGIN.limit() + 1, counters.total(), "every request was counted in the durable counters");
    }

    @Test
    void whileTheCacheIsDownTheDurableCountersForgetTheWindowAtItsEnd() {
        cache.setDown(true);
        use(LOGIN, "alice@example.com", LOGIN.limit());

        clock.advance(Duration.ofSeconds(45));

        use(LOGIN, "alice@example.com", LOGIN.limit());
    }

    @Test
    void theSubjectNeverAppearsInTheCounterKeys() {
        cache.setDown(true);

        limiter.enforce(LOGIN, "alice@example.com");

        assertEquals(1, counters.keys().size());
        String key = counters.keys().iterator().next();
        assertTrue(key.startsWith("rate:login_email:"), key);
        assertFalse(key.contains("alice"), key);
    }

    @Test
    void anIpv6ClientCountsByItsSlash64WhateverAddressInItItSendsFrom() {
        RateLimit perIp = new RateLimit("login_ip", 2, Duration.ofMinutes(1));
        limiter.enforcePerIp(perIp, "2001:db8:1:2::1");
        limiter.enforcePerIp(perIp, "2001:db8:1:2:ffff:ffff:ffff:fffe");

        assertThrows(ServiceException.class, () -> limiter.enforcePerIp(perIp, "2001:DB8:1:2:0:0:0:3"));
        assertDoesNotThrow(() -> limiter.enforcePerIp(perIp, "2001:db8:1:3::1"), "the next /64 is another subscriber's");
    }

    @Test
    void anIpv4ClientCountsAsItsAddressMappedIntoIpv6OrNot() {
        assertEquals("192.0.2.7", RateLimiter.network("192.0.2.7"));
        assertEquals("192.0.2.7", RateLimiter.network("::ffff:192.0.2.7"));
        assertEquals("20010db800010002::/64", RateLimiter.network("2001:db8:1:2:3:4:5:6"));
    }

    @Test
    void anAddressThatIsNoLiteralCountsAsSentAndIsNeverLookedUp() {
        for (String text : new String[] {"not:an:address", "2001:db8::1::2", "localhost", "0.0.0.0", "::g", "２００１:db8::1"}) {
            assertEquals(text, RateLimiter.network(text));
        }
    }

    private void use(RateLimit limit, String subject, int requests) {
        for (int request = 1; request <= requests; request++) {
            assertDoesNotThrow(() -> limiter.enforce(limit, subject), "request " + request + " of " + requests);
        }
    }

    private String retryAfter(RateLimit limit, String subject) {
        ServiceException refusal = assertThrows(ServiceException.class, () -> limiter.enforce(limit, subject));
        assertEquals(ErrorCode.RATE_LIMITED, refusal.error());
        return refusal.headers().get("Retry-After");
    }

    /** Counters as the table keeps them: each forgotten once its expiry has passed (as time to live deletes it). */
    private static final class InMemoryRateCounters implements RateCounters {
        private record Counter(long count, Instant expiresAt) {}

        private final Map<String, Counter> counters = new HashMap<>();
        private final Clock clock;

        InMemoryRateCounters(Clock clock) {
            this.clock = clock;
        }

        @Override
        public long increment(String key, Instant expiresAt) {
            Counter current = counters.get(key);
            if (current == null || !clock.instant().isBefore(current.expiresAt())) {
                current = new Counter(0, expiresAt);
            }
            Counter next = new Counter(current.count() + 1, current.expiresAt());
            counters.put(key, next);
            return next.count();
        }

        long total() {
            return counters.values().stream().mapToLong(Counter::count).sum();
        }

        Set<String> keys() {
            return counters.keySet();
        }
    }
}
