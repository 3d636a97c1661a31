package dev.userservice.functions.health;

import dev.userservice.Services;
import dev.userservice.errors.ErrorCode;
import dev.userservice.health.HealthCheck;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /health} (and {@code GET /api/v1/users/health}): each dependency's status and latency; 503 only when
 * the database does not answer.
 * <pre>
 * curl localhost:3000/health
 * </pre>
 */
public final class HealthHandler extends HttpFunction {
    private final HealthCheck check;

    public HealthHandler() {
        this(System.getenv());
    }

    public HealthHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    HealthHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.check = services.healthCheck();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        HealthCheck.Report report = check.run();
        Reply reply = report.status() == HealthCheck.Status.DOWN
                ? Reply.failure(ErrorCode.SERVICE_UNAVAILABLE, "The database is unreachable", report)
                : Reply.ok("Service is " + report.status().name().toLowerCase(Locale.ROOT), report);
        return reply.withHeader("Cache-Control", "no-store");
    }
}
