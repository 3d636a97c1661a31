package dev.userservice.local;

import dev.userservice.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function's {@code Schedule} event, run when the developer asks for schedules ({@code --schedules}): once at
 * start, then on its {@code rate(...)}, with EventBridge's scheduled event. Cron expressions are not run here;
 * {@code invoke} runs any function with its sample event at any time.
 */
final class ScheduleTrigger implements AutoCloseable {
    /** Lambda's retries of a failed asynchronous invocation, by default. */
    private static final int ASYNC_RETRIES = 2;
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

    private final LocalFunction function;
    private final Duration every;
    private final String ruleArn;
    private final BackgroundLoop loop;

    private ScheduleTrigger(LocalFunction function, Duration every, String ruleName) {
        this.function = function;
        this.every = every;
        this.ruleArn = "arn:aws:events:" + LocalServers.REGION + ":" + LocalServers.ACCOUNT_ID + ":rule/" + ruleName;
        this.loop = new BackgroundLoop("schedule of " + function.name(),
                () -> run(() -> function.invoke(Json.writeBytes(scheduledEvent())), function.name(), every, RETRY_PAUSE));
    }

    /**
     * One scheduled run: EventBridge invokes the function asynchronously, and Lambda retries a failed asynchronous
     * invocation twice, then waits for the next run (here {@code retryPause} apart, not Lambda's minute and two).
     * Answers the pause until the next run.
     */
    static Duration run(Runnable invocation, String functionName, Duration every, Duration retryPause) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                invocation.run();
                return every;
            } catch (RuntimeException e) {
                if (attempt == ASYNC_RETRIES) {
                    System.err.println("local: " + functionName + "'s scheduled run failed " + (attempt + 1)
                            + " times; the next in " + every + ": " + e);
                    return every;
                }
                if (!BackgroundLoop.sleep(retryPause)) {
                    throw new InterruptedException();
                }
            }
        }
    }

    /** The trigger of a schedule expression, or empty (with a note) for one the runner does not run. */
    static Optional<ScheduleTrigger> start(LocalFunction function, String eventName, String expression) {
        Optional<Duration> every = rate(expression);
        if (every.isEmpty()) {
            System.err.println("local: " + function.name() + "." + eventName + " has schedule " + expression
                    + "; only rate(...) runs here, invoke the function to run it by hand");
            return Optional.empty();
        }
        return Optional.of(new ScheduleTrigger(function, every.get(), function.name() + "-" + eventName));
    }

    static Optional<Duration> rate(String expression) {
        Matcher matcher = RATE.matcher(expression.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        if (amount == 0 || (amount == 1) == matcher.group(2).endsWith("s")) {
            // As EventBridge refuses the rule, and so the deployment: rate(1 minute) and rate(5 minutes), never 0.
            throw new IllegalArgumentException("EventBridge refuses the schedule " + expression
                    + ": a rate of 1 takes the singular unit, more the plural, and 0 none");
        }
        return Optional.of(switch (matcher.group(2)) {
            case "minute", "minutes" -> Duration.ofMinutes(amount);
            case "hour", "hours" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        });
    }

    /** EventBridge's event for a scheduled rule. */
    private Map<String, Object> scheduledEvent() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", LocalServers.ACCOUNT_ID);
        event.put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", LocalServers.REGION);
        event.put("resources", List.of(ruleArn));
        event.put("detail", Map.of());
        return event;
    }

    @Override
    public void close() {
        loop.close();
    }
}
