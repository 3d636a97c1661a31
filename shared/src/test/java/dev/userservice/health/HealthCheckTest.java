package dev.userservice.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.health.HealthCheck.Probe;
import dev.userservice.health.HealthCheck.Report;
import dev.userservice.health.HealthCheck.Status;
import dev.userservice.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HealthCheckTest {
    private static final Probe UP = () -> true;
    private static final Probe NO_ANSWER = () -> false;
    private static final Probe UNREACHABLE = () -> {
        throw new IOException("connection refused");
    };

    @Test
    void everyDependencyUpIsOk() {
        Report report = check(UP, UP, UP);

        assertEquals(Status.OK, report.status());
        assertEquals(Map.of("dynamodb", Status.OK, "cache", Status.OK, "queue", Status.OK), statuses(report));
    }

    @Test
    void cacheDownIsDegraded() {
        Report report = check(UP, UNREACHABLE, UP);

        assertEquals(Status.DEGRADED, report.status());
        assertEquals(Status.DOWN, report.checks().get("cache").status());
    }

    @Test
    void queueNotAnsweringIsDegraded() {
        Report report = check(UP, UP, NO_ANSWER);

        assertEquals(Status.DEGRADED, report.status());
        assertEquals(Status.DOWN, report.checks().get("queue").status());
    }

    @Test
    void databaseDownIsDownWhateverElseIsUp() {
        assertEquals(Status.DOWN, check(UNREACHABLE, UP, UP).status());
        assertEquals(Status.DOWN, check(NO_ANSWER, UP, UP).status());
    }

    @Test
    void databaseDownWinsOverDegraded() {
        assertEquals(Status.DOWN, check(UNREACHABLE, UNREACHABLE, UNREACHABLE).status());
    }

    @Test
    void unconfiguredProbesAreDisabledAndDoNotDegrade() {
        Report report = new HealthCheck(UP, Optional.empty(), Optional.empty(), "1.0.0").run();

        assertEquals(Status.OK, report.status());
        assertEquals(Status.DISABLED, report.checks().get("cache").status());
        assertEquals(Status.DISABLED, report.checks().get("queue").status());
        assertEquals(0.0, report.checks().get("cache").latencyMs());
    }

    @Test
    void probeThatThrowsAnUncheckedExceptionIsDown() {
        Probe broken = () -> {
            throw new IllegalStateException("pool closed");
        };

        assertEquals(Status.DOWN, check(UP, broken, UP).checks().get("cache").status());
    }

    @Test
    void latencyIsMeasuredInMilliseconds() {
        Probe slow = () -> {
            Thread.sleep(20);
            return true;
        };

        double latency = check(slow, UP, UP).checks().get("dynamodb").latencyMs();

        assertTrue(latency >= 20 && latency < 5_000, "latency " + latency);
    }

    @Test
    void reportHasTheContractShape() {
        Report report = new HealthCheck(UP, Optional.of(UNREACHABLE), Optional.empty(), "1.4.2").run();

        Map<String, Object> json = Json.parseObject(Json.write(report));

        assertEquals(List.of("status", "checks", "version"), List.copyOf(json.keySet()));
        assertEquals("degraded", json.get("status"));
        assertEquals("1.4.2", json.get("version"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> checks = (Map<String, Map<String, Object>>) json.get("checks");
        assertEquals(List.of("dynamodb", "cache", "queue"), List.copyOf(checks.keySet()));
        assertEquals("down", checks.get("cache").get("status"));
        assertEquals("disabled", checks.get("queue").get("status"));
        assertTrue(checks.get("dynamodb").get("latency_ms") instanceof Number);
    }

    /** Dependencies that hang do not hold the check past its deadline: each is reported down when it runs out. */
    @Test
    void probesThatHangAreReportedDownAtTheDeadline() {
        Probe hangs = () -> {
            Thread.sleep(20_000);
            return true;
        };
        long started = System.nanoTime();

        Report report = new HealthCheck(hangs, Optional.of(hangs), Optional.of(hangs), "1.0.0", Duration.ofMillis(300)).run();

        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < 2_000, "took " + tookMs + " ms");
        assertEquals(Status.DOWN, report.status());
        assertEquals(Map.of("dynamodb", Status.DOWN, "cache", Status.DOWN, "queue", Status.DOWN), statuses(report));
    }

    /** The probes run at once: each answers only once all three are running, which one after another never are. */
    @Test
    void theProbesRunAtOnce() {
        CyclicBarrier allRunning = new CyclicBarrier(3);
        Probe waitsForTheOthers = () -> {
            allRunning.await(2, TimeUnit.SECONDS);
            return true;
        };

        Report report = check(waitsForTheOthers, waitsForTheOthers, waitsForTheOthers);

        assertEquals(Map.of("dynamodb", Status.OK, "cache", Status.OK, "queue", Status.OK), statuses(report));
    }

    private static Report check(Probe database, Probe cache, Probe queue) {
        return new HealthCheck(database, Optional.of(cache), Optional.of(queue), "1.0.0").run();
    }

    private static Map<String, Status> statuses(Report report) {
        return Map.of(
                "dynamodb", report.checks().get("dynamodb").status(),
                "cache", report.checks().get("cache").status(),
                "queue", report.checks().get("queue").status());
    }
}
