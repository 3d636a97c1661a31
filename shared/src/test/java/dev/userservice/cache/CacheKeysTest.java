package dev.userservice.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

/** Keys used together stay in one hash slot, as a Redis cluster (ElastiCache Serverless) requires. */
class CacheKeysTest {

    @Test
    void aUsersViewsShareOneSlotSoTheyAreForgottenTogether() {
        String userId = UUID.randomUUID().toString();

        assertEquals(1, Arrays.stream(CacheKeys.ofUser(userId)).mapToInt(JedisClusterCRC16::getSlot).distinct().count());
    }

    @Test
    void aSessionsMarkersShareOneSlotSoOneMgetReadsBoth() {
        String userId = UUID.randomUUID().toString();
        String sessionId = UUID.randomUUID().toString();

        assertEquals(JedisClusterCRC16.getSlot(CacheKeys.sessionRevoked(userId, sessionId)),
                JedisClusterCRC16.getSlot(CacheKeys.sessionActive(userId, sessionId)));
    }

    @Test
    void aForgottenMarkerSharesItsKeysSlotWithOrWithoutAHashTag() {
        for (String key : new String[] {CacheKeys.user("u-1"), "rate:login:123:abc"}) {
            assertEquals(JedisClusterCRC16.getSlot(key), JedisClusterCRC16.getSlot(RedisCache.forgottenMarker(key)), key);
        }
    }
}
