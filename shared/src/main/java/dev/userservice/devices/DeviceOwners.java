package dev.userservice.devices;

/** The users devices belong to, as far as devices care: whether one exists, and their cached views to forget. */
public interface DeviceOwners {
    /** Throws the not-found error of an unknown user, as reading the user would. */
    void requireExists(String userId);

    /** The user's devices changed: their cached views (notification profile, profile) must be read again. */
    void devicesChanged(String userId);
}
