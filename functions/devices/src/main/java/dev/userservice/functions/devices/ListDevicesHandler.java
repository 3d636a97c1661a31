package dev.userservice.functions.devices;

import dev.userservice.Services;
import dev.userservice.devices.DeviceService;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.PageRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code GET /api/v1/users/me/devices} (the caller's) and {@code GET /api/v1/users/{id}/devices} (that user, an admin
 * or a service; 404 for an unknown user): the push devices, active or not, newest first, page-paged
 * ({@code ?page=} from 1, {@code ?limit=} 1 to 100, default 20), each
 * {@code {id, token, platform, active, device_name, created_at, updated_at, last_seen_at}}.
 * <pre>
 * curl "localhost:3000/api/v1/users/me/devices?page=1&amp;limit=20" -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class ListDevicesHandler extends HttpFunction {
    private final DeviceService devices;

    public ListDevicesHandler() {
        this(System.getenv());
    }

    public ListDevicesHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    ListDevicesHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
        this.devices = services.deviceService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        PageRequest page = PageRequest.of(request);
        return page.reply("Devices", devices.listView(request.principal(), request.targetUserId()));
    }
}
