package dev.userservice.local.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.cache.CacheKeys;
import dev.userservice.cache.RedisCache;
import dev.userservice.local.RedisSleep;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/** RedisCache against a real Redis server. */
class RedisCacheTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private static RedisServer server;
    private static int port;
    private static RedisCache cache;

    @BeforeAll
    static void start() throws IOException {
        port = freePort();
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                .setting("user reader on >reader-secret ~* +@all").build();
        server.start();
        cache = new RedisCache(URI.create("redis://127.0.0.1:" + port), TIMEOUT, Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws IOException {
        cache.close();
        server.stop();
    }

    @Test
    void aFillThatLostTheRaceWithAWriteDoesNotPutTheOldVersionBack() throws InterruptedException {
        String key = CacheKeys.user("racing-user");
        Instant slowReadStarted = Instant.now();
        Thread.sleep(5);

        cache.delete(key);                                                  // a write forgets the view...
        cache.fill(key, "version 1", Duration.ofHours(1), slowReadStarted); // ...then the older read fills

        assertEquals(Optional.empty(), cache.get(key), "the old version stays out");
    }

    /**
     * Write 1's forget is delayed in flight; write 2 commits and forgets; a read that began between the two writes
     * (so it read write 1's version) fills after write 1's forget finally lands: the mark stays at write 2's time.
     */
    @Test
    void aForgetDelayedInFlightDoesNotLowerTheMarkOfALaterOne() {
        String key = CacheKeys.user("late-forget");
        Instant firstWrite = Instant.now();
        Instant readStarted = firstWrite.plusMillis(5);
        try (RedisCache first = at(firstWrite); RedisCache second = at(firstWrite.plusMillis(10))) {
            second.delete(key);
            first.delete(key);
        }

        cache.fill(key, "version 1", Duration.ofHours(1), readStarted);

        assertEquals(Optional.empty(), cache.get(key), "write 2's mark keeps write 1's version out");
    }

    /** A cache whose writes take their time from a clock stopped at {@code now}. */
    private static RedisCache at(Instant now) {
        return new RedisCache(URI.create("redis://127.0.0.1:" + port), TIMEOUT, Clock.fixed(now, java.time.ZoneOffset.UTC));
    }

    @Test
    void aReadThatBeganAfterTheWriteFillsAtOnce() throws InterruptedException {
        String key = CacheKeys.user("fresh-reader");
        cache.delete(key);
        Thread.sleep(5);

        cache.fill(key, "version 2", Duration.ofHours(1), Instant.now());

        assertEquals(Optional.of("version 2"), cache.get(key));
    }

    @Test
    void keysOfManySlotsAreReadInOneCall() {
        cache.fill(CacheKeys.user("a"), "A", Duration.ofMinutes(1), Instant.now());
        cache.fill(CacheKeys.user("b"), "B", Duration.ofMinutes(1), Instant.now());

        assertEquals(List.of(Optional.of("A"), Optional.empty(), Optional.of("B")),
                cache.getAll(CacheKeys.user("a"), CacheKeys.user("nobody"), CacheKeys.user("b")));
    }

    @Test
    void putReplacesWhatTheKeyHeldForItsTtl() {
        String key = CacheKeys.sessionRevoked("put-user", "put-session");
        cache.fill(key, "old", Duration.ofHours(1), Instant.now());

        cache.put(key, "1", Duration.ofMinutes(5));

        assertEquals(Optional.of("1"), cache.get(key));
        try (Jedis redis = redis()) {
            assertTrue(Math.abs(redis.ttl(key) - 300) <= 1, "expires with the TTL given: " + redis.ttl(key));
        }
    }

    @Test
    void incrementCountsAndTheCounterExpiresAtTheWindowsEnd() {
        String key = "rate:{increment-test}";
        Instant windowEnd = Instant.now().plus(Duration.ofMinutes(10));

        assertEquals(Optional.of(1L), cache.increment(key, windowEnd));
        assertEquals(Optional.of(2L), cache.increment(key, windowEnd));

        try (Jedis redis = redis()) {
            assertTrue(Math.abs(redis.ttl(key) - 600) <= 1, "expires at the window's end: " + redis.ttl(key));
        }
    }

    @Test
    void aFillOfSeveralEntriesRefusesOnlyTheForgottenOnes() throws InterruptedException {
        String forgotten = CacheKeys.user("fill-all-forgotten");
        String untouched = CacheKeys.preferences("fill-all-untouched");
        Instant readStarted = Instant.now();
        Thread.sleep(5);
        cache.delete(forgotten);

        cache.fillAll(Map.of(forgotten, "stale", untouched, "fresh"), Duration.ofMinutes(1), readStarted);

        assertEquals(List.of(Optional.empty(), Optional.of("fresh")), cache.getAll(forgotten, untouched));
    }

    @Test
    void takesWritesWhileTheServerAnswersAndTakesThem() throws IOException {
        assertTrue(cache.takesWrites());
        try (RedisCache toNobody = new RedisCache(URI.create("redis://127.0.0.1:" + freePort()), TIMEOUT, Clock.systemUTC())) {
            assertFalse(toNobody.takesWrites());
        }
    }

    /**
     * A server that answers reads and refuses writes, as a replica does (here one of a primary that is not there):
     * it cannot forget a changed view, so the health check must not call it healthy.
     */
    @Test
    void aServerThatRefusesWritesDoesNotTakeThem() throws IOException {
        try (Jedis admin = new Jedis("127.0.0.1", port)) {
            admin.replicaof("127.0.0.1", freePort());
            try {
                assertEquals(Optional.empty(), cache.get(CacheKeys.user("read-only")), "reads are still answered");
                assertFalse(cache.takesWrites());
            } finally {
                admin.replicaofNoOne();
            }
        }
        assertTrue(cache.takesWrites());
    }

    @Test
    void theUrlsUserAndPasswordAuthenticate() {
        String key = CacheKeys.user("authenticated");
        URI withUser = URI.create("redis://reader:reader-secret@127.0.0.1:" + port);
        URI withWrongPassword = URI.create("redis://reader:wrong@127.0.0.1:" + port);

        try (RedisCache reader = new RedisCache(withUser, TIMEOUT, Clock.systemUTC());
                RedisCache refused = new RedisCache(withWrongPassword, TIMEOUT, Clock.systemUTC())) {
            reader.put(key, "seen", Duration.ofMinutes(1));
            assertEquals(Optional.of("seen"), reader.get(key));
            assertEquals(Optional.empty(), refused.get(key), "a refused login reads as a miss");
        }
    }

    @Test
    void aStalledServerCostsOneTimeoutThenIsSkippedWhileTheBreakerIsOpen() throws IOException {
        // A socket never accepted: the kernel completes the handshake, and no reply ever comes.
        try (ServerSocket stalled = new ServerSocket(0);
                RedisCache toStalled = new RedisCache(URI.create("redis://127.0.0.1:" + stalled.getLocalPort()),
                        Duration.ofMillis(200), Clock.systemUTC())) {
            long first = millis(() -> assertEquals(Optional.empty(), toStalled.get(CacheKeys.user("stalled"))));
            long second = millis(() -> assertEquals(Optional.empty(), toStalled.get(CacheKeys.user("stalled"))));

            assertTrue(first >= 150 && first < 1000, "the first read waited for its timeout: " + first + " ms");
            assertTrue(second < 100, "the open breaker skipped the server: " + second + " ms");
        }
    }

    @Test
    void forgettingAndRevokingGoThroughWhileTheBreakerIsOpen() throws Exception {
        String view = CacheKeys.preferences("breaker-open");
        String revoked = CacheKeys.sessionRevoked("breaker-user", "breaker-open");
        // A clock that never moves: once open, the breaker stays open for the whole test.
        try (RedisCache opened = new RedisCache(URI.create("redis://127.0.0.1:" + port), Duration.ofMillis(200),
                Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC))) {
            CompletableFuture<Void> sleeping = RedisSleep.of("127.0.0.1", port, Duration.ofSeconds(2));
            assertEquals(Optional.empty(), opened.get(view), "timed out: the breaker opens");
            sleeping.get();
            try (Jedis redis = redis()) {
                redis.set(view, "the old preferences");
                assertEquals(Optional.empty(), opened.get(view), "a read is skipped while the breaker is open");

                assertTrue(opened.delete(view), "the server confirmed the forget");
                opened.put(revoked, "1", Duration.ofMinutes(1));

                assertFalse(redis.exists(view), "the changed view was forgotten");
                assertEquals("1", redis.get(revoked), "the revocation was marked");
                assertEquals(Optional.of("1"), opened.get(revoked), "and the breaker closed once the server answered");
            }
        }
    }

    /**
     * A view's key holding another type (something else wrote it): that read is a miss and its fill repairs the key;
     * the server answered, so the breaker stays closed and every other key is still read from the cache.
     */
    @Test
    void aKeyOfAnotherTypeIsAMissForItselfOnly() {
        String broken = CacheKeys.user("another-type");
        String intact = CacheKeys.user("intact-neighbour");
        try (Jedis redis = redis()) {
            redis.hset(broken, "field", "value");
            redis.set(intact, "cached");
        }

        assertEquals(Optional.empty(), cache.get(broken));
        assertEquals(Optional.of("cached"), cache.get(intact), "the breaker stayed closed");

        cache.fill(broken, "the view", Duration.ofMinutes(1), Instant.now());
        assertEquals(Optional.of("the view"), cache.get(broken), "the fill replaced it");
    }

    /**
     * A forgotten-marker that is not a time: a forget still completes (the table's stream consumer would otherwise
     * wait at its record for a day) and puts a time there; until then no fill goes in.
     */
    @Test
    void aMarkerThatIsNotATimeNeitherBlocksAForgetNorLetsAnOldFillIn() {
        String garbled = CacheKeys.preferences("garbled-marker");
        String ofAnotherType = CacheKeys.preferences("hash-marker");
        try (Jedis redis = redis()) {
            redis.set(RedisCache.forgottenMarker(garbled), "garbage");
            redis.hset(RedisCache.forgottenMarker(ofAnotherType), "field", "value");
        }
        Instant readStarted = Instant.now();

        cache.fill(garbled, "unknown age", Duration.ofMinutes(1), readStarted);
        assertEquals(Optional.empty(), cache.get(garbled), "no fill past a marker of unknown time");

        assertTrue(cache.delete(garbled, ofAnotherType), "the forget completed");
        cache.fill(ofAnotherType, "read before the forget", Duration.ofMinutes(1), readStarted);
        assertEquals(Optional.empty(), cache.get(ofAnotherType), "the marker now holds the forget's time");
        cache.fill(garbled, "read after the forget", Duration.ofMinutes(1), Instant.now().plusSeconds(1));
        assertEquals(Optional.of("read after the forget"), cache.get(garbled));
    }

    /** What the table's stream consumer relies on to try a forget again: an unconfirmed one answers false. */
    @Test
    void aForgetTheServerDidNotConfirmAnswersFalse() throws Exception {
        try (ServerSocket stalled = new ServerSocket(0);
                RedisCache toStalled = new RedisCache(URI.create("redis://127.0.0.1:" + stalled.getLocalPort()),
                        Duration.ofMillis(100), Clock.systemUTC())) {
            assertFalse(toStalled.delete(CacheKeys.ofUser("unconfirmed")), "no reply: not confirmed");
        }
        try (RedisCache toNobody = new RedisCache(URI.create("redis://127.0.0.1:" + freePort()), Duration.ofMillis(100), Clock.systemUTC())) {
            assertFalse(toNobody.delete(CacheKeys.ofUser("unconfirmed")), "refused: not confirmed");
        }
        assertTrue(cache.delete(CacheKeys.ofUser("confirmed")), "keys that were not there are gone too");
    }

    private static long millis(Runnable action) {
        long started = System.nanoTime();
        action.run();
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Jedis redis() {
        return new Jedis("127.0.0.1", port);
    }
}
