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
    void aFailingScheduledRunIsRetriedTwiceThenWaitsForTheNextRun() throws Exception {
        Path template = Path.of(Objects.requireNonNull(ScheduleTriggerTest.class.getResource("/schedule-template.yaml")).toURI());
        FailingScheduleHandler.RUNS.set(0);
        try (LocalService service = LocalService.start(LocalOptions.inMemory().withTemplate(template).withSchedules(true))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (FailingScheduleHandler.RUNS.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(3_000);

            assertEquals(3, FailingScheduleHandler.RUNS.get(), "once, then two retries, then not before the next hour");
        }
    }
}
