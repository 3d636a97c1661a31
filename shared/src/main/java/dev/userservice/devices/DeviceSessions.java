package dev.userservice.devices;

import java.util.Optional;

/** The sessions devices are registered in, as far as devices care: whether one still lives, and since when. */
@FunctionalInterface
public interface DeviceSessions {
    /**
     * The user's session, read consistently, while it lives (as a request's token check judges it); empty once it has
     * ended: revoked, run out, or ended by a password reset or change.
     */
    Optional<DeviceRegistration.InSession> live(String userId, String sessionId);
}
