package dev.userservice.devices;

import java.util.Locale;

/** Why a device stopped receiving pushes: the {@code reason} of {@code device.deactivated} and of the stored device. */
public enum DeactivationReason {
    /** The user deactivated or deleted it. */
    USER_REQUEST,
    /** An administrator (or a service, for the operator) deactivated it for the user. */
    ADMIN,
    /** The session it was registered in ended. */
    SESSION_ENDED,
    /** A newer device took its place among the user's active devices. */
    EVICTED_LIMIT,
    /** Another user registered its token. */
    TOKEN_MOVED,
    /** The push provider no longer knows the token. */
    UNREGISTERED,
    /** The push provider refused the token. */
    INVALID_TOKEN,
    /** Not seen for a long time. */
    STALE,
    /** The account was deleted. */
    USER_DELETED;

    /**
     * Whether the push provider refused the device's token: such a device comes back only by registering the token
     * again (see {@link DeviceRules#reactivationRefusal}).
     */
    public boolean isProviderRefusal() {
        return this == UNREGISTERED || this == INVALID_TOKEN;
    }

    /** The name events and stored devices carry. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeactivationReason fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
