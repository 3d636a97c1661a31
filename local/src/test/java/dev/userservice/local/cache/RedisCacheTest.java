package dev.userservice.local.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.cache.CacheKeys;
import dev.userservice.cache.RedisCache;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/** RedisCache against a real Redis server. */
class RedisCacheTest {
    private static RedisServer server;
    private static RedisCache cache;

    @BeforeAll
    static void start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
        server.start();
        cache = new RedisCache(URI.create("redis://127.0.0.1:" + port), Duration.ofMillis(500), Clock.systemUTC());
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
}
