package dev.userservice.cache;

import dev.userservice.logging.Log;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The cache on a Redis-protocol server (ElastiCache Serverless, Valkey, Redis). Timeouts are short and a circuit
 * breaker skips the server for a while after failures, so an unreachable cache costs at most a few
 * milliseconds per request and, while the breaker is open, nothing.
 */
public final class RedisCache implements Cache, AutoCloseable {
    private static final int FAILURES_BEFORE_OPENING = 3;
    private static final Duration OPEN_FOR = Duration.ofSeconds(15);
    /** One round trip, and a counter never left without its expiry. */
    private static final String INCREMENT = "local count = redis.call('INCR', KEYS[1]) "
            + "if count == 1 then redis.call('EXPIREAT', KEYS[1], ARGV[1]) end return count";

    private final JedisPooled redis;
    private final CircuitBreaker breaker;

    public RedisCache(URI url, Duration timeout, Clock clock) {
        int millis = (int) timeout.toMillis();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .ssl("rediss".equalsIgnoreCase(url.getScheme()));
        if (url.getUserInfo() != null) {
            String[] credentials = url.getUserInfo().split(":", 2);
            if (credentials.length == 2) {
                client.user(credentials[0].isEmpty() ? null : credentials[0]).password(credentials[1]);
            } else {
                client.password(credentials[0]);
            }
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(8);
        pool.setMaxIdle(8);
        pool.setMinIdle(0);
        pool.setMaxWait(timeout);
        pool.setJmxEnabled(false);
        int port = url.getPort() > 0 ? url.getPort() : 6379;
        this.redis = new JedisPooled(pool, new HostAndPort(url.getHost(), port), client.build());
        this.breaker = new CircuitBreaker(FAILURES_BEFORE_OPENING, OPEN_FOR, clock);
    }

    @Override
    public Optional<String> get(String key) {
        return call(() -> redis.get(key)).flatMap(Optional::ofNullable);
    }

    @Override
    public List<Optional<String>> getAll(String... keys) {
        return call(() -> redis.mget(keys))
                .map(values -> values.stream().map(Optional::ofNullable).toList())
                .orElseGet(() -> java.util.Collections.nCopies(keys.length, Optional.empty()));
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        call(() -> redis.setex(key, ttl.toSeconds(), value));
    }

    @Override
    public void delete(String... keys) {
        call(() -> redis.del(keys));
    }

    @Override
    public Optional<Long> increment(String key, Instant expiresAt) {
        return call(() -> (Long) redis.eval(INCREMENT, List.of(key), List.of(Long.toString(expiresAt.getEpochSecond()))));
    }

    @Override
    public boolean ping() {
        try {
            return "PONG".equals(redis.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    private <T> Optional<T> call(Supplier<T> command) {
        if (!breaker.allowsCall()) {
            return Optional.empty();
        }
        try {
            T result = command.get();
            breaker.recordSuccess();
            return Optional.ofNullable(result);
        } catch (JedisException e) {
            breaker.recordFailure();
            Log.warn("cache unavailable", Map.of("error_type", e.getClass().getSimpleName()));
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}
