package dev.userservice.functions.devices;

import dev.userservice.Services;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.devices.DeviceService;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code POST /api/v1/users/me/devices} (and {@code POST /api/v1/users/{id}/devices} for that user, an admin or a
 * service): registers a push token, 201 for a new device, 200 when the user already held the token (the device is
 * updated). A token another user holds moves to this user; see {@link DeviceService#register}.
 * <pre>
 * curl -X POST localhost:3000/api/v1/users/me/devices -H "Authorization: Bearer $ACCESS_TOKEN" \
 *   -H 'Content-Type: application/json' -d '{"token":"fcm-token-from-the-app","platform":"android","device_name":"Pixel 8"}'
 * </pre>
 */
public final class RegisterDeviceHandler extends HttpFunction {
    private final DeviceService devices;

    public RegisterDeviceHandler() {
        this(System.getenv());
    }

    public RegisterDeviceHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    RegisterDeviceHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
        this.devices = services.deviceService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        DeviceService.Registered registered = devices.register(request.targetUserId(), request.principal(),
                DeviceRegistration.read(request.jsonObject()));
        return registered.created()
                ? Reply.created("Device registered", registered.device())
                : Reply.ok("Device updated", registered.device());
    }

    /** Run again, a retry that created the device would answer 200 "updated" instead of its 201. */
    @Override
    protected boolean replaysRetries() {
        return true;
    }
}
