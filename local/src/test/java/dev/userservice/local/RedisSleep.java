package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.SafeEncoder;

/** A Redis server put to sleep ({@code DEBUG SLEEP}), as a stalled ElastiCache is: it accepts connections, answers nothing. */
public final class RedisSleep {
    private RedisSleep() {}

    /**
     * Puts the server to sleep for {@code duration} from a connection of its own; returns once the server no longer
     * answers, with what completes when it wakes.
     */
    public static CompletableFuture<Void> of(String host, int port, Duration duration) {
        CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
            try (Jedis sleeper = new Jedis(host, port, (int) duration.multipliedBy(5).toMillis())) {
                sleeper.sendCommand(() -> SafeEncoder.encode("DEBUG"), "SLEEP", Double.toString(duration.toMillis() / 1000.0));
            }
        });
        while (answers(host, port)) {
            assertFalse(sleeping.isDone(), "the server slept before it was seen asleep");
        }
        return sleeping;
    }

    private static boolean answers(String host, int port) {
        try (Jedis probe = new Jedis(host, port, 50)) {
            probe.ping();
            return true;
        } catch (JedisConnectionException e) {
            return false;
        }
    }
}
