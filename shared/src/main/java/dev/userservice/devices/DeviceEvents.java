package dev.userservice.devices;

import dev.userservice.events.EventType;
import dev.userservice.events.UserEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** The events of device changes, with the data of {@code events/schemas/device.*.json}. */
public final class DeviceEvents {
    private DeviceEvents() {}

    /** {@code device.registered}: a device became (or stays, re-registered) able to receive pushes. */
    public static UserEvent registered(Device device, Instant at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("device_id", device.id());
        data.put("token", device.token());
        data.put("platform", device.platform());
        data.put("device_name", device.deviceName());
        return UserEvent.of(EventType.DEVICE_REGISTERED, device.userId(), data, Clock.fixed(at, ZoneOffset.UTC));
    }

    /** {@code device.deactivated}: a device of {@code userId} stopped receiving pushes, and why. */
    public static UserEvent deactivated(String userId, PushTarget device, DeactivationReason reason, Instant at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("device_id", device.deviceId());
        data.put("token", device.token());
        data.put("platform", device.platform());
        data.put("reason", reason.wireName());
        return UserEvent.of(EventType.DEVICE_DEACTIVATED, userId, data, Clock.fixed(at, ZoneOffset.UTC));
    }
}
