package dev.userservice.functions.health;

import dev.userservice.Services;
import dev.userservice.health.HealthCheck;
import dev.userservice.http.Access;
import dev.userservice.errors.ErrorCode;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.store.Item;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code GET /health} (and {@code GET /api/v1/users/health}): each dependency's status and latency; 503 only when
 * the database does not answer.
 * <pre>
 * curl localhost:3000/health
 * </pre>
 */
public final class HealthHandler extends HttpFunction {
    /** A key no item has: reading it proves the table answers without reading data. */
    private static final String PROBE_KEY = "HEALTH";

    private final HealthCheck check;

    public HealthHandler() {
        this(System.getenv());
    }

    public HealthHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    HealthHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        var config = services.config();
        HealthCheck.Probe database = () -> {
            services.dynamoDb().getItem(request -> request.tableName(config.tableName()).key(Item.keyOf(PROBE_KEY, PROBE_KEY)));
            return true;
        };
        Optional<HealthCheck.Probe> cache = config.redisUrl().map(url -> () -> services.cache().ping());
        Optional<HealthCheck.Probe> queue = config.userEventsQueueUrl().map(queueUrl -> () -> {
            services.sqs().getQueueAttributes(request -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN));
            return true;
        });
        this.check = new HealthCheck(database, cache, queue, config.serviceVersion());
    }

    @Override
    protected Reply handle(HttpRequest request) {
        HealthCheck.Report report = check.run();
        Reply reply = report.status() == HealthCheck.Status.DOWN
                ? Reply.failure(ErrorCode.SERVICE_UNAVAILABLE, "The database is unreachable", report)
                : Reply.ok("Service is " + report.status().name().toLowerCase(java.util.Locale.ROOT), report);
        return reply.withHeader("Cache-Control", "no-store");
    }
}
