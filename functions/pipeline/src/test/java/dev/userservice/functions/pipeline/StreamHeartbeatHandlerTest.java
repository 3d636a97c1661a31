package dev.userservice.functions.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userservice.health.StreamHeartbeats;
import dev.userservice.json.Json;
import dev.userservice.snapstart.Wiring;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each scheduled run writes one beat, of the time it runs, and a beat that fails is the invocation's failure. */
class StreamHeartbeatHandlerTest {
    private static final Instant NOW = Instant.parse("2026-11-23T03:15:00.123456Z");

    /** The beats written, by their instant. */
    private static final class RecordedBeats implements StreamHeartbeats {
        final List<Instant> beats = new ArrayList<>();
        boolean failing;

        @Override
        public void beat(Instant at) {
            if (failing) {
                throw new IllegalStateException("the table is unavailable");
            }
            beats.add(at);
        }

        @Override
        public void prime() {
            throw new AssertionError("no priming here");
        }
    }

    private final RecordedBeats store = new RecordedBeats();
    private final StreamHeartbeatHandler handler = new StreamHeartbeatHandler(store, Clock.fixed(NOW, ZoneOffset.UTC), Wiring.none());

    @Test
    void theScheduledEventWritesOneBeatOfTheTimeItRuns() throws IOException {
        Map<String, Object> answer = handle(Json.writeBytes(Map.of("detail-type", "Scheduled Event", "source", "aws.events",
                "time", "2026-11-23T03:15:00Z", "detail", Map.of())));

        assertEquals(List.of(NOW), store.beats, "the clock's time, not the event's: a sample invoked again by hand beats anew");
        assertEquals(Map.of("beat", NOW.toString()), answer);
    }

    @Test
    void aBeatThatFailsFailsTheInvocation() {
        store.failing = true;

        assertThrows(IllegalStateException.class, () -> handle(Json.writeBytes(Map.of())));
    }

    private Map<String, Object> handle(byte[] event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), output, null);
        return Json.parseObject(output.toString(UTF_8));
    }
}
