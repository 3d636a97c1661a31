package dev.userservice.local.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.cache.RedisConnections;
import dev.userservice.local.RedisSleep;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.exceptions.JedisException;
import redis.embedded.RedisServer;

/** The cache's connections against a real Redis server: shared by concurrent callers, and never reused broken. */
class RedisConnectionsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(100);

    private static RedisServer server;
    private static int port;
    private RedisConnections connections;

    @BeforeAll
    static void start() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
        server.start();
        try (Jedis redis = redis()) {
            redis.set("a", "A");
            redis.set("b", "B");
        }
    }

    @AfterAll
    static void stop() throws IOException {
        server.stop();
    }

    @BeforeEach
    void open() {
        connections = new RedisConnections(URI.create("redis://127.0.0.1:" + port), TIMEOUT);
    }

    @AfterEach
    void close() {
        connections.close();
    }

    /**
     * ElastiCache AUTH tokens may hold ':' (and '+', '@', '%'), which a URL carries percent-encoded: the user and the
     * password are told apart before they are decoded, in each form the URL may take.
     */
    @Test
    void aPasswordHoldingAColonOrAPlusIsSentWhole() {
        String password = "to:ken+with@every%sign";
        String encoded = "to%3Aken%2Bwith%40every%25sign";
        try (Jedis redis = redis()) {
            redis.aclSetUser("operator", "on", ">" + password, "~*", "+@all");
            redis.aclSetUser("default", ">" + password);
            try {
                for (String userInfo : List.of("operator:" + encoded, ":" + encoded, encoded)) {
                    try (RedisConnections authenticated = new RedisConnections(URI.create("redis://" + userInfo + "@127.0.0.1:" + port), TIMEOUT)) {
                        assertEquals(userInfo.startsWith("operator") ? "operator" : "default", authenticated.call(connection ->
                                text(connection.executeCommand(new CommandArguments(Command.ACL).add("WHOAMI")))), userInfo);
                    }
                }
            } finally {
                redis.aclSetUser("default", "resetpass", "nopass");
            }
        }
    }

    @Test
    void aConnectionIsLentAgainAfterACompletedCall() {
        long first = connectionId();

        assertEquals(first, connectionId());
    }

    @Test
    void concurrentCallersEachHoldAConnectionOfTheirOwnAndAtMostMaxIdleStayOpen() throws Exception {
        int callers = 2 * RedisConnections.MAX_IDLE;
        CyclicBarrier allHoldOne = new CyclicBarrier(callers);
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Long>> ids = IntStream.range(0, callers).mapToObj(caller -> threads.submit(() -> connections.call(connection -> {
                String key = "caller:" + caller;
                connection.executeCommand(new CommandArguments(Command.SET).key(key).add(key));
                await(allHoldOne);
                assertEquals(key, text(connection.executeCommand(new CommandArguments(Command.GET).key(key))));
                return (Long) connection.executeCommand(new CommandArguments(Command.CLIENT).add("ID"));
            }))).toList();

            Set<Long> distinct = new HashSet<>();
            for (Future<Long> id : ids) {
                distinct.add(id.get());
            }
            assertEquals(callers, distinct.size(), "no connection was lent to two callers at once");
            assertEquals(RedisConnections.MAX_IDLE, eventuallyOpen(distinct, RedisConnections.MAX_IDLE),
                    "the connections past MAX_IDLE were closed after use");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aCallThatTimedOutClosesItsConnectionSoItsLateReplyReachesNoOne() throws Exception {
        long before = connectionId();
        CompletableFuture<Void> sleeping = RedisSleep.of("127.0.0.1", port, Duration.ofSeconds(2));

        long started = System.nanoTime();
        assertThrows(JedisConnectionException.class, () -> get("a"));
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        sleeping.get();

        assertTrue(waitedMillis < 1000, "the call gave up after about its timeout, not the server's sleep: " + waitedMillis + " ms");
        assertEquals("B", get("b"), "the next call reads its own reply, not the late \"A\"");
        assertNotEquals(before, connectionId());
    }

    @Test
    void aCallThatFailedHalfWayClosesItsConnection() {
        long before = connectionId();

        assertThrows(IllegalStateException.class, () -> connections.call(connection -> {
            connection.sendCommand(new CommandArguments(Command.GET).key("a"));
            throw new IllegalStateException("failed before reading the reply");
        }));

        assertEquals("B", get("b"), "the unread \"A\" went with the closed connection");
        assertNotEquals(before, connectionId());
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsReplacedWithoutFailingTheCall() {
        long idle = connectionId();
        try (Jedis redis = redis()) {
            redis.clientKill(ClientKillParams.clientKillParams().id(Long.toString(idle)));
        }

        assertEquals("A", get("a"));
        assertNotEquals(idle, connectionId());
    }

    @Test
    void aNewConnectionIsNotTriedTwice() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        CompletableFuture<Void> sleeping = RedisSleep.of("127.0.0.1", port, Duration.ofSeconds(1));
        try (RedisConnections fresh = new RedisConnections(URI.create("redis://127.0.0.1:" + port), TIMEOUT)) {
            assertThrows(JedisConnectionException.class, () -> fresh.call(connection -> {
                tries.incrementAndGet();
                return connection.ping();
            }));
        }
        sleeping.get();

        assertEquals(1, tries.get(), "a failure on a new connection is the server's");
    }

    @Test
    void aServerThatIsGoneFailsTheCall() throws IOException {
        int nobody;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobody = socket.getLocalPort();
        }
        try (RedisConnections toNobody = new RedisConnections(URI.create("redis://127.0.0.1:" + nobody), TIMEOUT)) {
            assertThrows(JedisConnectionException.class, () -> toNobody.call(connection -> connection.ping()));
        }
    }

    @Test
    void closedConnectionsLendNoMore() {
        connections.close();

        assertThrows(JedisException.class, this::connectionId);
    }

    private long connectionId() {
        return connections.call(connection -> (Long) connection.executeCommand(new CommandArguments(Command.CLIENT).add("ID")));
    }

    private String get(String key) {
        return connections.call(connection -> text(connection.executeCommand(new CommandArguments(Command.GET).key(key))));
    }

    /** How many of the connections {@code ids} the server still has, once it has settled on {@code expected}. */
    private static int eventuallyOpen(Set<Long> ids, int expected) throws InterruptedException {
        int open = -1;
        // By time, not by tries: a loaded machine may take longer than fifty quick looks.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (open != expected && (open == -1 || System.nanoTime() < deadline)) {
            try (Jedis redis = redis()) {
                open = (int) redis.clientList().lines()
                        .filter(line -> ids.contains(Long.parseLong(line.split(" ")[0].substring("id=".length()))))
                        .count();
            }
            if (open != expected) {
                Thread.sleep(20);
            }
        }
        return open;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Object reply) {
        return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
    }

    private static Jedis redis() {
        return new Jedis("127.0.0.1", port);
    }
}
