package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Schedules run when asked: once at start and then on their rate, with EventBridge's scheduled event. */
class ScheduleTriggerTest {

    @Test
    void withSchedulesAFunctionRunsAtStartWithAScheduledEvent() throws Exception {
        Path template = Path.of(Objects.requireNonNull(ScheduleTriggerTest.class.getResource("/schedule-template.yaml")).toURI());
        try (LocalService service = LocalService.start(LocalOptions.inMemory().withTemplate(template).withSchedules(true))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (RecordingScheduleHandler.EVENTS.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Map<String, Object> event = RecordingScheduleHandler.EVENTS.peek();
            assertTrue(event != null, "the schedule ran at start");
            assertEquals("Scheduled Event", event.get("detail-type"));
            assertEquals("aws.events", event.get("source"));
        }
    }

    @Test
    void rateExpressionsAreRunAndCronIsLeftToInvoke() {
        assertEquals(Optional.of(Duration.ofDays(1)), ScheduleTrigger.rate("rate(1 day)"));
        assertEquals(Optional.of(Duration.ofMinutes(5)), ScheduleTrigger.rate("rate(5 minutes)"));
        assertEquals(Optional.empty(), ScheduleTrigger.rate("cron(0 3 * * ? *)"));
        for (String refused : List.of("rate(1 days)", "rate(2 day)", "rate(0 minutes)")) {
            assertThrows(IllegalArgumentException.class, () -> ScheduleTrigger.rate(refused), refused);
        }
    }

    /** A failed scheduled run is retried twice, as Lambda retries an asynchronous invocation, then waits for its rate. */
    @Test
    void aFailingScheduledRunIsRetriedTwiceThenWaitsForTheNextRun() throws InterruptedException {
        AtomicInteger failing = new AtomicInteger();
        AtomicInteger failingOnce = new AtomicInteger();

        Duration afterFailures = ScheduleTrigger.run(() -> {
            failing.incrementAndGet();
            throw new IllegalStateException("the scheduled run fails (thrown by the test)");
        }, "FailingFunction", Duration.ofHours(1), Duration.ZERO);
        Duration afterARetry = ScheduleTrigger.run(() -> {
            if (failingOnce.incrementAndGet() == 1) {
                throw new IllegalStateException("the first attempt fails (thrown by the test)");
            }
        }, "FlakyFunction", Duration.ofHours(1), Duration.ZERO);

        assertEquals(List.of(3, 2), List.of(failing.get(), failingOnce.get()), "once, then two retries at most");
        assertEquals(List.of(Duration.ofHours(1), Duration.ofHours(1)), List.of(afterFailures, afterARetry), "then the next run on the rate");
    }
}
