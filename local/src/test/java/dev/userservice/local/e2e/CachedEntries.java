package dev.userservice.local.e2e;

import dev.userservice.json.Json;
import java.util.Map;
import java.util.function.Consumer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Changes a cached view in Redis, keeping its TTL: a read that answers the change was served from the cache. A test
 * cannot prove that by changing the table instead, since the table's stream consumer forgets a changed user's views.
 */
final class CachedEntries {
    private CachedEntries() {}

    /** {@code change} edits the entry as read (JSON objects and arrays are mutable), and the edit is stored. */
    static void rewrite(Jedis redis, String key, Consumer<Map<String, Object>> change) {
        String cached = redis.get(key);
        if (cached == null) {
            throw new AssertionError("nothing cached under " + key);
        }
        Map<String, Object> entry = Json.parseObject(cached);
        change.accept(entry);
        redis.set(key, Json.write(entry), SetParams.setParams().keepTtl());
    }
}
