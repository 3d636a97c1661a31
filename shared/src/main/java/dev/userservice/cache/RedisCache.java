package dev.userservice.cache;

import dev.userservice.logging.Log;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The cache on a Redis-protocol server (ElastiCache Serverless, Valkey, Redis). Timeouts are short and a circuit
 * breaker skips the server for a while after a failure, so a dead or stalled cache costs a read one timeout per
 * function instance every {@code OPEN_FOR} and, while the breaker is open, nothing. The writes that keep the cache
 * true to the table, forgetting changed views and marking a session revoked, are never skipped (see {@link #delete}).
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
    /**
     * Fill unless the key was forgotten after the read began (KEYS[2] holds that time, in the key's hash slot). A
     * marker that is not a time (written by something else) may hide any write: no fill until a forget replaces it.
     */
    private static final String FILL = "local forgotten = redis.pcall('GET', KEYS[2]) "
            + "if forgotten and (type(forgotten) ~= 'string' or not tonumber(forgotten) "
            + "or tonumber(forgotten) >= tonumber(ARGV[3])) then return 0 end "
            + "redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) return 1";
    /**
     * Forget the key and remember when, for {@link #FILL}; never earlier than a forget remembered already, since a
     * forget delayed in flight (a dead connection's retry) would otherwise let a read that began after it, but before
     * the later write, fill that write's predecessor. A marker that is not a time is replaced, so a forget always
     * completes: a failing one holds the table's stream consumer at its record.
     */
    private static final String FORGET = "redis.call('DEL', KEYS[1]) local forgotten = redis.pcall('GET', KEYS[2]) "
            + "if type(forgotten) ~= 'string' or not tonumber(forgotten) or tonumber(forgotten) < tonumber(ARGV[2]) then "
            + "redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[1]) end return 1";

    /** The health check's write, kept apart from every view and counter. */
    static final String WRITE_PROBE_KEY = "health:write-probe";
    private static final Duration WRITE_PROBE_TTL = Duration.ofMinutes(1);

    private final RedisConnections connections;
    private final CircuitBreaker breaker;
    private final Clock clock;

    public RedisCache(URI url, Duration timeout, Clock clock) {
        this(url, Optional.empty(), timeout, clock);
    }

    /** {@code authority}: the CA certificates a TLS server's certificate must chain to (see {@link RedisConnections}). */
    public RedisCache(URI url, Optional<Path> authority, Duration timeout, Clock clock) {
        this.connections = new RedisConnections(url, timeout, authority);
        this.breaker = new CircuitBreaker(FAILURES_BEFORE_OPENING, OPEN_FOR, clock);
        this.clock = clock;
    }

    @Override
    public Optional<String> get(String key) {
        return call(connection -> text(connection.executeCommand(new CommandArguments(Command.GET).key(key))));
    }

    /**
     * One round trip either way: MGET when the keys share a hash slot, otherwise pipelined GETs, since a cluster
     * refuses multi-key commands across slots.
     */
    @Override
    public List<Optional<String>> getAll(String... keys) {
        return call(connection -> sameSlot(keys)
                        ? (List<?>) connection.executeCommand(new CommandArguments(Command.MGET).keys((Object[]) keys))
                        : pipelined(connection, Arrays.stream(keys).map(key -> new CommandArguments(Command.GET).key(key)).toList()))
                .map(values -> values.stream().map(value -> Optional.ofNullable(text(value))).toList())
                .orElseGet(() -> Collections.nCopies(keys.length, Optional.empty()));
    }

    /** Tried even while the breaker is open: the markers put here are revocations, which must not be skipped. */
    @Override
    public void put(String key, String value, Duration ttl) {
        putAll(Map.of(key, value), ttl);
    }

    /** {@link #put}'s markers in one pipelined round trip. */
    @Override
    public void putAll(Map<String, String> entries, Duration ttl) {
        if (entries.isEmpty()) {
            return;
        }
        callEvenIfOpen(connection -> pipelined(connection, entries.entrySet().stream()
                .map(entry -> new CommandArguments(Command.SETEX).key(entry.getKey()).add(ttl.toSeconds()).add(entry.getValue()))
                .toList()));
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
        String seconds = Long.toString(ttl.toSeconds());
        String readStartedMillis = Long.toString(readStartedAt.toEpochMilli());
        call(connection -> pipelined(connection, entries.entrySet().stream()
                .map(entry -> eval(FILL, List.of(entry.getKey(), forgottenMarker(entry.getKey())),
                        List.of(entry.getValue(), seconds, readStartedMillis)))
                .toList()));
    }

    /**
     * Tried even while the breaker is open. A read the breaker skips costs a table read; a forget it skipped would
     * leave the old view in the cache for its whole TTL (a day, for preferences) for every other function instance to
     * serve, and one lost reply is enough to open the breaker. Against a dead server each write pays a timeout.
     */
    @Override
    public boolean delete(String... keys) {
        List<String> arguments = List.of(Long.toString(FORGET_REMEMBERED_FOR.toMillis()), Long.toString(clock.millis()));
        return callEvenIfOpen(connection -> pipelined(connection, Arrays.stream(keys)
                .map(key -> eval(FORGET, List.of(key, forgottenMarker(key)), arguments))
                .toList())).isPresent();
    }

    /** The marker of a forgotten key, in the key's hash slot: a key's own hash tag, or the whole key as one. */
    public static String forgottenMarker(String key) {
        return key.contains("{") ? key + ":forgotten" : "{" + key + "}:forgotten";
    }

    private static boolean sameSlot(String... keys) {
        int slot = JedisClusterCRC16.getSlot(keys[0]);
        return Arrays.stream(keys).allMatch(key -> JedisClusterCRC16.getSlot(key) == slot);
    }

    private static CommandArguments eval(String script, List<String> keys, List<String> arguments) {
        return new CommandArguments(Command.EVAL).add(script).add(keys.size()).keys(keys).addObjects(arguments);
    }

    /** Sends the commands in one round trip and returns their replies in order; an error reply fails them all. */
    private static List<Object> pipelined(Connection connection, List<CommandArguments> commands) {
        commands.forEach(connection::sendCommand);
        List<Object> replies = connection.getMany(commands.size());
        for (Object reply : replies) {
            if (reply instanceof JedisException error) {
                throw error;
            }
        }
        return replies;
    }

    /** The error reply's first word (WRONGTYPE, READONLY, ERR ...), never a key or a value. */
    private static String replyKind(JedisDataException e) {
        String message = String.valueOf(e.getMessage());
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }

    /** A bulk reply as text; null for a missing key. */
    private static String text(Object reply) {
        return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
    }

    @Override
    public Optional<Long> increment(String key, Instant expiresAt) {
        return call(connection -> (Long) connection.executeCommand(
                eval(INCREMENT, List.of(key), List.of(Long.toString(expiresAt.getEpochSecond())))));
    }

    /** Writes a key of its own that expires: a refusal (READONLY) or no answer is a server that cannot forget. */
    @Override
    public boolean takesWrites() {
        try {
            return "OK".equals(connections.call(connection -> text(connection.executeCommand(
                    new CommandArguments(Command.SETEX).key(WRITE_PROBE_KEY).add(WRITE_PROBE_TTL.toSeconds()).add("1")))));
        } catch (JedisException e) {
            return false;
        }
    }

    private <T> Optional<T> call(Function<Connection, T> commands) {
        return breaker.allowsCall() ? callEvenIfOpen(commands) : Optional.empty();
    }

    /**
     * An error reply is the server answering: a key of another type than the command's (written by something else),
     * a refused write (READONLY, OOM). The command fails, as a miss or an unconfirmed forget, and the breaker stays
     * as it is, so one bad key does not take the cache away from every other request of the function.
     */
    private <T> Optional<T> callEvenIfOpen(Function<Connection, T> commands) {
        try {
            T result = connections.call(commands);
            breaker.recordSuccess();
            return Optional.ofNullable(result);
        } catch (JedisDataException e) {
            Log.warn("cache refused a command", Map.of("error_type", e.getClass().getSimpleName(), "reply", replyKind(e)));
            return Optional.empty();
        } catch (JedisException e) {
            breaker.recordFailure();
            Log.warn("cache unavailable", Map.of("error_type", e.getClass().getSimpleName()));
            return Optional.empty();
        }
    }

    /**
     * Closes the idle pooled connections, so the next command opens a fresh one. After a SnapStart restore the
     * snapshot's connections are dead (the server forgot them long ago), and a command on one would fail first, at
     * worst after its timeout, before going out again on a new connection. Closing one costs no round trip.
     */
    public void dropConnections() {
        connections.dropIdle();
    }

    @Override
    public void close() {
        connections.close();
    }
}
