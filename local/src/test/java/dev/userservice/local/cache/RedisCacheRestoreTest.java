package dev.userservice.local.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.cache.RedisCache;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * What a SnapStart restore does to the cache's connections, against a real Redis server: the server has long
 * forgotten the connections the snapshot holds, which here is a server that killed them. So has a server that closed
 * a connection idle past its timeout.
 */
class RedisCacheRestoreTest {
    private static RedisServer server;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
        server.start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.stop();
    }

    @Test
    void aConnectionTheServerForgotIsReplacedByItsFirstCommand() {
        try (RedisCache cache = cache()) {
            cache.put("before-the-snapshot", "1", Duration.ofMinutes(1));
            forgetEveryConnection();

            assertEquals(Optional.of("1"), cache.get("before-the-snapshot"), "failed on the dead connection, then sent on a new one");
            assertEquals(Optional.of("1"), cache.get("before-the-snapshot"), "and the circuit breaker stayed closed");
        }
    }

    @Test
    void droppedConnectionsLetTheFirstCommandAfterARestoreSucceed() {
        try (RedisCache cache = cache()) {
            cache.put("before-the-snapshot", "1", Duration.ofMinutes(1));
            forgetEveryConnection();

            cache.dropConnections();

            assertEquals(Optional.of("1"), cache.get("before-the-snapshot"));
        }
    }

    @Test
    void droppedConnectionsAreClosedOnTheServer() throws InterruptedException {
        try (RedisCache cache = cache()) {
            cache.put("idle", "1", Duration.ofMinutes(1));
            int withIdleConnection = connectedClients();

            cache.dropConnections();

            assertEquals(withIdleConnection - 1, awaitConnectedClients(withIdleConnection - 1));
        }
    }

    private static RedisCache cache() {
        return new RedisCache(URI.create("redis://127.0.0.1:" + port), Duration.ofMillis(500), Clock.systemUTC());
    }

    /** Every connection but this one is closed by the server, as a restore finds them. */
    private static void forgetEveryConnection() {
        try (Jedis admin = new Jedis("127.0.0.1", port)) {
            admin.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "KILL", "TYPE", "normal", "SKIPME", "yes");
        }
    }

    /** Clients connected, this one not counted. */
    private static int connectedClients() {
        try (Jedis admin = new Jedis("127.0.0.1", port)) {
            return (int) admin.clientList().lines().count() - 1;
        }
    }

    private static int awaitConnectedClients(int expected) throws InterruptedException {
        int connected = connectedClients();
        // By time, not by tries: a loaded machine may take longer than fifty quick looks.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (connected != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            connected = connectedClients();
        }
        return connected;
    }
}
