package dev.userservice.functions.devices;

import dev.userservice.Services;
import dev.userservice.devices.DeviceService;
import dev.userservice.devices.DeviceUpdate;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code PATCH /api/v1/users/me/devices/{device_id}} (the caller's) and {@code PATCH /api/v1/users/{id}/devices/{device_id}}
 * (that user's, by an admin or a service, whose deactivation is recorded as {@code admin}):
 * {@code {active?, device_name?}} on one device; answers the device as stored. {@code PUT} on the same path replaces both fields (see
 * {@link DeviceUpdate#readReplacement}). Reactivating needs the device to still hold its token and its session to
 * live; see {@link DeviceService#update}.
 * <pre>
 * curl -X PATCH localhost:3000/api/v1/users/me/devices/$DEVICE_ID -H "Authorization: Bearer $ACCESS_TOKEN" \
 *   -H 'Content-Type: application/json' -d '{"active":false,"device_name":"Old phone"}'
 * </pre>
 */
public final class UpdateDeviceHandler extends HttpFunction {
    private final DeviceService devices;

    public UpdateDeviceHandler() {
        this(System.getenv());
    }

    public UpdateDeviceHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    UpdateDeviceHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
        this.devices = services.deviceService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        DeviceUpdate change = "PUT".equals(request.method())
                ? DeviceUpdate.readReplacement(request.jsonObject()) : DeviceUpdate.read(request.jsonObject());
        return Reply.ok("Device updated", devices.update(request.principal(), request.targetUserId(), request.pathParameter("device_id"), change));
    }
}
