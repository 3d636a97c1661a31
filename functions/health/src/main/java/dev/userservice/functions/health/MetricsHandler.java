package dev.userservice.functions.health;

import dev.userservice.Services;
import dev.userservice.health.ServiceMetrics;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code GET /api/v1/metrics} (admins and services): users by status, type and plan, active sessions and devices,
 * notification statuses of the last 24 hours, from the counters the table's stream keeps (one Query).
 * <pre>
 * curl localhost:3000/api/v1/metrics -H "Authorization: Bearer $ADMIN_TOKEN"
 * </pre>
 */
public final class MetricsHandler extends HttpFunction {
    private final ServiceMetrics metrics;

    public MetricsHandler() {
        this(System.getenv());
    }

    public MetricsHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    MetricsHandler(Services services) {
        super(Access.OPERATOR, services.httpRuntime());
        this.metrics = services.serviceMetrics();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("Metrics", metrics.report()).withHeader("Cache-Control", "no-store");
    }
}
