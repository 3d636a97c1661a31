package dev.userservice.devices;

import java.util.Optional;

/** The sessions devices are registered in, as far as devices care: whether one still lives, and since when. */
@FunctionalInterface
public interface DeviceSessions {
    /** The user's session, read consistently, while it lives (neither revoked nor gone); empty once it has ended. */
    Optional<DeviceRegistration.InSession> live(String userId, String sessionId);
}
