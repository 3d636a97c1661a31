package dev.userservice.functions.devices;

import dev.userservice.Services;
import dev.userservice.devices.DeviceService;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code DELETE /api/v1/users/me/devices/{device_id}}: removes one of the caller's devices and releases its token.
 * <pre>
 * curl -X DELETE localhost:3000/api/v1/users/me/devices/$DEVICE_ID -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class DeleteDeviceHandler extends HttpFunction {
    private final DeviceService devices;

    public DeleteDeviceHandler() {
        this(System.getenv());
    }

    public DeleteDeviceHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    DeleteDeviceHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.devices = services.deviceService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        request.requireNoFields();
        devices.delete(request.principal().subject(), request.pathParameter("device_id"));
        return Reply.ok("Device deleted", null);
    }
}
