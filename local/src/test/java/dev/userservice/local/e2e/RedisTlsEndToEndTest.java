package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.cache.RedisConnections;
import dev.userservice.local.LocalOptions;
import dev.userservice.local.RedisTlsUnavailable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The runner with {@code --redis-tls}, as ElastiCache Serverless always is: Redis speaks TLS only, the functions
 * get {@code rediss://} and the CA made at start ({@code REDIS_CA_CERT}), and requests go through the cache over it.
 *
 * <p>Skipped, with the reason, where no TLS-capable redis-server runs (none on the PATH, and the embedded one finds
 * no OpenSSL 3); {@code .ci/run} installs Debian's {@code redis-server} and sets {@code REDIS_TLS_TESTS=required},
 * which turns the skip into a failure.
 */
class RedisTlsEndToEndTest {
    private static RunningService running;

    @BeforeAll
    static void startWithRedisOverTls() {
        try {
            running = RunningService.start(LocalOptions.inMemory().withEnvironment(TestEnvironment.FAST).withRedisTls(null));
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof RedisTlsUnavailable unavailable)) {
                throw e;
            }
            Prerequisites.requireOrSkip("REDIS_TLS_TESTS", "RedisTlsEndToEndTest", false, unavailable.getMessage());
        }
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void theFunctionsAreGivenTheTlsUrlAndTheAuthorityMadeAtStart() {
        URI redis = running.service().redisUrl();
        Map<String, String> environment = running.service().functionEnvironment("GetCurrentUserFunction");

        assertEquals("rediss", redis.getScheme());
        assertEquals(redis.toString(), environment.get("REDIS_URL"));
        assertEquals(running.service().redisAuthority().orElseThrow().toAbsolutePath().toString(), environment.get("REDIS_CA_CERT"));
    }

    @Test
    void aSecondReadOfTheSameUserIsACacheHitOverTls() {
        Accounts.Account ada = running.accounts().register(uniqueEmail("tls"));
        running.service().awaitStreamsCaughtUp();
        List<Map<String, Object>> metrics = MetricsLines.of("GetCurrentUserFunction", () -> {
            assertEquals(200, running.accounts().me(ada).status());
            assertEquals(200, running.accounts().me(ada).status());
        });
        assertTrue(!metrics.isEmpty() && ((Number) metrics.getLast().getOrDefault("CacheHit", 0)).intValue() > 0,
                () -> "the second read found nothing in the cache: " + metrics);
        try (RedisConnections overTls = new RedisConnections(running.service().redisUrl(), Duration.ofSeconds(5),
                running.service().redisAuthority())) {
            long keys = overTls.call(connection -> (Long) connection.executeCommand(
                    new CommandArguments(Command.DBSIZE)));
            assertTrue(keys > 0, "the functions' entries are in the Redis behind the TLS port");
        }
    }

    @Test
    void healthFindsTheCacheOverTls() {
        Api.Response health = running.api().get("/health");

        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> checks = (Map<String, Map<String, Object>>) health.data().get("checks");
        assertEquals("ok", checks.get("cache").get("status"), health.text());
    }

    @Test
    void aPlainTextConnectionToTheRedisPortIsRefused() {
        URI redis = running.service().redisUrl();
        assertThrows(JedisConnectionException.class, () -> {
            try (Jedis plain = new Jedis(redis.getHost(), redis.getPort(), 5_000)) {
                plain.ping();
            }
        }, "Redis answered without TLS");
    }

    @Test
    void theServerKeyIsReadableByItsOwnerOnly() throws Exception {
        Path key = running.service().redisAuthority().orElseThrow().resolveSibling("server-key.pem");

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }
}
