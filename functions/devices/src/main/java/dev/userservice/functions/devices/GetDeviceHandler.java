package dev.userservice.functions.devices;

import dev.userservice.Services;
import dev.userservice.devices.DeviceService;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code GET /api/v1/users/me/devices/{device_id}}: one of the caller's devices; 404 for any other id.
 * <pre>
 * curl localhost:3000/api/v1/users/me/devices/$DEVICE_ID -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class GetDeviceHandler extends HttpFunction {
    private final DeviceService devices;

    public GetDeviceHandler() {
        this(System.getenv());
    }

    public GetDeviceHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    GetDeviceHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.devices = services.deviceService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("Device", devices.get(request.principal().subject(), request.pathParameter("device_id")));
    }
}
