package dev.userservice.devices;

import dev.userservice.validation.Fields;
import java.util.Map;
import java.util.Optional;

/**
 * A change of one device, checked: whether it should receive pushes (empty: unchanged) and, when {@code renamed},
 * its new name (null removes it).
 */
public record DeviceUpdate(Optional<Boolean> active, boolean renamed, String deviceName) {

    /** Reads {@code {active?, device_name?}}; every problem at once in one {@code validation_failed}. */
    public static DeviceUpdate read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        Optional<Boolean> active = fields.optionalBoolean("active");
        boolean renamed = fields.has("device_name");
        Optional<String> name = DeviceRegistration.deviceName(fields);
        fields.validate();
        return new DeviceUpdate(active, renamed, name.orElse(null));
    }
}
