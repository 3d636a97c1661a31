package dev.userservice.local.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.json.Json;
import dev.userservice.local.LocalOptions;
import dev.userservice.logging.Log;
import dev.userservice.store.Item;
import dev.userservice.store.Keys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stream's heartbeat through the local runner: the scheduled function, invoked with its sample event, writes a
 * beat, and the runner's stream, filtered as the template filters it, invokes both consumers with it.
 */
class StreamHeartbeatEndToEndTest {
    private static final List<String> CONSUMERS = List.of("outbox", "table change");

    @RegisterExtension
    static final RunningService running = RunningService.shared();

    @Test
    void aBeatReachesBothStreamConsumersWhichConsumeNothing() {
        running.service().awaitStreamsCaughtUp();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Map<String, Object> answer;
        Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            answer = running.accounts().invoke("StreamHeartbeatFunction", sample());
            running.service().awaitStreamsCaughtUp();
        } finally {
            Log.redirect(System.out);
        }

        String beat = (String) answer.get("beat");
        assertEquals("heartbeat", running.dynamo().getItem(request -> request.tableName(running.table()).consistentRead(true)
                .key(Item.keyOf(Keys.HEARTBEAT, beat))).item().get(Item.TYPE).s(), "the beat's item, as the filters pass it");
        // Heartbeats only: an eraser of an earlier test's account may still be changing the table meanwhile, its
        // records consumed in the same batches (that neither consumer consumes a beat is HeartbeatRecordsTest's).
        Map<String, Long> heartbeats = new TreeMap<>();
        log.toString(StandardCharsets.UTF_8).lines().map(Json::parseObject).forEach(line -> CONSUMERS.forEach(kind -> {
            if ((kind + " records consumed").equals(line.get("message"))) {
                heartbeats.merge(kind, (Long) line.get("heartbeats"), Long::sum);
            }
        }));
        assertEquals(Map.of("outbox", 1L, "table change", 1L), heartbeats, "each consumer was invoked with the beat, once");
    }

    private static byte[] sample() {
        try {
            return Files.readAllBytes(LocalOptions.defaults().template().getParent().resolve("events/stream-heartbeat.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
