package dev.userservice.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.logging.CapturedLog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FollowUpTest {
    /** The request answers as done, so the failure must show elsewhere: an error with its exception, and a count an alarm watches. */
    @Test
    void aFailureIsLoggedAsAnErrorAndCountedForItsAlarm() {
        try (CapturedLog log = new CapturedLog()) {
            FollowUp.run("ending the sessions", () -> {
                throw new IllegalStateException("AccessDeniedException (thrown by the test)");
            });

            Map<String, Object> error = log.line("ending the sessions failed after the change was stored");
            assertEquals("ERROR", error.get("level"));
            assertTrue(String.valueOf(error.get("stack_trace")).contains("AccessDeniedException"), log.text());
            Map<String, Object> metric = log.line("metrics");
            assertEquals(1L, metric.get("FollowUpFailures"));
            @SuppressWarnings("unchecked")
            Map<String, Object> directive = ((List<Map<String, Object>>) ((Map<String, Object>) metric.get("_aws")).get("CloudWatchMetrics")).getFirst();
            assertEquals("UserService", directive.get("Namespace"));
            assertEquals(List.of(List.of("TableName")), directive.get("Dimensions"));
        }
    }

    @Test
    void workThatSucceedsLogsNothing() {
        try (CapturedLog log = new CapturedLog()) {
            FollowUp.run("ending the sessions", () -> {});

            assertEquals("", log.text());
        }
    }
}
