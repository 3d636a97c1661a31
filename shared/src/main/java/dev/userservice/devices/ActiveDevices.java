package dev.userservice.devices;

import java.util.List;

/**
 * A user's active devices as read, with the version they were read at: a change of the user's devices writes the
 * next version on condition that it is still this one, so concurrent changes of one user's devices never interleave.
 * Version 0 means the user never had a device.
 */
public record ActiveDevices(List<PushTarget> targets, long version) {
    public static final ActiveDevices NONE = new ActiveDevices(List.of(), 0);

    public ActiveDevices {
        targets = List.copyOf(targets);
    }
}
