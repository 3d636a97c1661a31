package dev.userservice.devices;

import dev.userservice.validation.Fields;
import dev.userservice.validation.ReadOnlyFields;
import java.util.Map;
import java.util.Optional;

/**
 * A change of one device, checked: whether it should receive pushes (empty: unchanged) and, when {@code renamed},
 * its new name (null removes it). A PUT ({@link #readReplacement}) may send back the read-only fields as a GET
 * returned them, in {@code readOnly}.
 */
public record DeviceUpdate(Optional<Boolean> active, boolean renamed, String deviceName, ReadOnlyFields readOnly) {
    /** What a client reads in a device but only registration sets: a new token is a new registration. */
    private static final String[] READ_ONLY = {"id", "token", "platform", "created_at", "updated_at", "last_seen_at",
            "deactivated_reason"};

    /** A PATCH's change, with nothing read-only. */
    public DeviceUpdate(Optional<Boolean> active, boolean renamed, String deviceName) {
        this(active, renamed, deviceName, new ReadOnlyFields(Map.of()));
    }

    /** Reads {@code {active?, device_name?}}; every problem at once in one {@code validation_failed}. */
    public static DeviceUpdate read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        Optional<Boolean> active = fields.optionalBoolean("active");
        boolean renamed = fields.has("device_name");
        Optional<String> name = DeviceRegistration.deviceName(fields);
        fields.validate();
        return new DeviceUpdate(active, renamed, name.orElse(null));
    }

    /**
     * Reads a PUT body, a full replacement of {@code {active, device_name}}: a missing {@code active} is true, as
     * at registration, and a missing {@code device_name} removes the name. The read-only fields may be sent back;
     * {@link #requireReadOnlyUnchanged} refuses those that changed.
     */
    public static DeviceUpdate readReplacement(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        ReadOnlyFields readOnly = fields.readOnly(READ_ONLY);
        boolean active = fields.optionalBoolean("active").orElse(true);
        Optional<String> name = DeviceRegistration.deviceName(fields);
        fields.validate();
        return new DeviceUpdate(Optional.of(active), true, name.orElse(null), readOnly);
    }

    /** 400 naming each read-only field sent back with a value other than {@code current}'s. */
    void requireReadOnlyUnchanged(Device current) {
        readOnly.requireUnchanged(current);
    }
}
