package dev.userservice.functions.health;

import dev.userservice.Services;
import dev.userservice.health.HealthCheck;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/v1/db/status} (admins and services): the dependency report the health check computes, each
 * dependency's status and latency, answered 200 whatever it says, since the caller asked for the report itself.
 * <pre>
 * curl localhost:3000/api/v1/db/status -H "Authorization: Bearer $ADMIN_TOKEN"
 * </pre>
 */
public final class DbStatusHandler extends HttpFunction {
    private final HealthCheck check;

    public DbStatusHandler() {
        this(System.getenv());
    }

    public DbStatusHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    DbStatusHandler(Services services) {
        super(Access.OPERATOR, services.httpRuntime());
        this.check = services.healthCheck();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        HealthCheck.Report report = check.run();
        return Reply.ok("Dependencies are " + report.status().name().toLowerCase(Locale.ROOT), report)
                .withHeader("Cache-Control", "no-store");
    }
}
