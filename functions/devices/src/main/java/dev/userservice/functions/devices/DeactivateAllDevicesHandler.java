package dev.userservice.functions.devices;

import dev.userservice.Services;
import dev.userservice.devices.DeviceService;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code POST /api/v1/users/me/devices/deactivate-all}: every active device of the caller stops receiving pushes;
 * answers {@code {"deactivated": n}}.
 * <pre>
 * curl -X POST localhost:3000/api/v1/users/me/devices/deactivate-all -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class DeactivateAllDevicesHandler extends HttpFunction {
    private final DeviceService devices;

    public DeactivateAllDevicesHandler() {
        this(System.getenv());
    }

    public DeactivateAllDevicesHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    DeactivateAllDevicesHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.devices = services.deviceService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        request.requireNoFields();
        return Reply.ok("Devices deactivated", Map.of("deactivated", devices.deactivateAll(request.principal().subject())));
    }
}
