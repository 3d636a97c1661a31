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
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The cache on a Redis-protocol server (ElastiCache Serverless, Valkey, Redis). Timeouts are short and a circuit
 * breaker skips the server for a while after a failure, so a dead or stalled cache costs one timeout per function
 * instance every {@code OPEN_FOR} and, while the breaker is open, nothing.
 */
public final class RedisCache implements Cache, AutoCloseable {
    /**
     * One failure opens the breaker: a timeout is what a dead, stalled or overloaded server looks like, every
     * further try would cost another timeout, and {@code OPEN_FOR} of reads from the table costs far less.
     */
    private static final int FAILURES_BEFORE_OPENING = 1;
    private static final Duration OPEN_FOR = Duration.ofSeconds(15);
    /** One round trip, and a counter never left without its expiry. */
    private static final String INCREMENT = "local count = redis.call('INCR', KEYS[1]) "
            + "if count == 1 then redis.call('EXPIREAT', KEYS[1], ARGV[1]) end return count";
    /**
     * How long a forgotten key remembers when it was forgotten: a read that began before a write and fills the cache
     * after it would otherwise put the old version back for a whole TTL. Longer than any read with its retries.
     */
    private static final Duration FORGET_REMEMBERED_FOR = Duration.ofSeconds(15);
    /** Fill unless the key was forgotten after the read began (KEYS[2] holds that time, in the key's hash slot). */
    private static final String FILL = "local forgotten = redis.call('GET', KEYS[2]) "
            + "if forgotten and tonumber(forgotten) >= tonumber(ARGV[3]) then return 0 end "
            + "redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) return 1";
    /** Forget the key and remember when, for {@link #FILL}. */
    private static final String FORGET = "redis.call('DEL', KEYS[1]) redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[1]) return 1";

    private final JedisPooled redis;
    private final CircuitBreaker breaker;
    private final Clock clock;

    public RedisCache(URI url, Duration timeout, Clock clock) {
        int millis = (int) timeout.toMillis();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                // No CLIENT SETINFO on each new connection: two round trips a cold start or a reconnect can spare.
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
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
        this.clock = clock;
    }

    @Override
    public Optional<String> get(String key) {
        return call(() -> redis.get(key)).flatMap(Optional::ofNullable);
    }

    /**
     * One round trip either way: MGET when the keys share a hash slot, otherwise pipelined GETs, since a cluster
     * refuses multi-key commands across slots.
     */
    @Override
    public List<Optional<String>> getAll(String... keys) {
        return call(() -> sameSlot(keys) ? redis.mget(keys) : pipelined(pipeline -> {
                    List<Response<String>> replies = java.util.Arrays.stream(keys).map(pipeline::get).toList();
                    pipeline.sync();
                    return replies.stream().map(Response::get).toList();
                }))
                .map(values -> values.stream().map(Optional::ofNullable).toList())
                .orElseGet(() -> java.util.Collections.nCopies(keys.length, Optional.empty()));
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        call(() -> redis.setex(key, ttl.toSeconds(), value));
    }

    @Override
    public void fill(String key, String value, Duration ttl, Instant readStartedAt) {
        fillAll(Map.of(key, value), ttl, readStartedAt);
    }

    /** All entries in one pipelined round trip, each refused when its key was forgotten after the read began. */
    @Override
    public void fillAll(Map<String, String> entries, Duration ttl, Instant readStartedAt) {
        if (entries.isEmpty()) {
            return;
        }
        List<String> arguments = List.of(Long.toString(ttl.toSeconds()), Long.toString(readStartedAt.toEpochMilli()));
        call(() -> pipelined(pipeline -> {
            entries.forEach((key, value) -> pipeline.eval(FILL, List.of(key, forgottenMarker(key)),
                    List.of(value, arguments.get(0), arguments.get(1))));
            pipeline.sync();
            return Boolean.TRUE;
        }));
    }

    @Override
    public void delete(String... keys) {
        List<String> arguments = List.of(Long.toString(FORGET_REMEMBERED_FOR.toMillis()), Long.toString(clock.millis()));
        call(() -> pipelined(pipeline -> {
            for (String key : keys) {
                pipeline.eval(FORGET, List.of(key, forgottenMarker(key)), arguments);
            }
            pipeline.sync();
            return Boolean.TRUE;
        }));
    }

    /** The marker of a forgotten key, in the key's hash slot: a key's own hash tag, or the whole key as one. */
    static String forgottenMarker(String key) {
        return key.contains("{") ? key + ":forgotten" : "{" + key + "}:forgotten";
    }

    private static boolean sameSlot(String... keys) {
        int slot = JedisClusterCRC16.getSlot(keys[0]);
        return java.util.Arrays.stream(keys).allMatch(key -> JedisClusterCRC16.getSlot(key) == slot);
    }

    private <T> T pipelined(java.util.function.Function<AbstractPipeline, T> commands) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
            return commands.apply(pipeline);
        }
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

    /**
     * Closes the idle pooled connections, so the next command opens a fresh one. After a SnapStart restore the
     * snapshot's connections are dead (the server forgot them long ago), and a command on one would wait out its
     * timeout and open the circuit breaker. Closing one costs no round trip.
     */
    public void dropConnections() {
        redis.getPool().clear();
    }

    @Override
    public void close() {
        redis.close();
    }
}
