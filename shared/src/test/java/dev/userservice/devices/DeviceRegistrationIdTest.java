package dev.userservice.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.validation.Text;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A user's device for a token has one id, whichever registration creates it. */
class DeviceRegistrationIdTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void theIdOfAUsersDeviceForATokenIsTheSameEveryTimeAndAValidId() {
        String id = DeviceRegistration.deviceId("alice", "token-1");

        assertEquals(id, DeviceRegistration.deviceId("alice", "token-1"));
        assertTrue(Text.isId(id), id);
        assertEquals('8', id.charAt(14), "a name-based UUID, version 8");
        assertNotEquals(id, DeviceRegistration.deviceId("bob", "token-1"), "each user has a device of their own");
        assertNotEquals(id, DeviceRegistration.deviceId("alice", "token-2"));
    }

    @Test
    void aNewDeviceGetsTheIdOfTheUsersDeviceForTheToken() {
        DeviceRegistration registration = new DeviceRegistration("token-1", "ios", null, true, null);

        assertEquals(DeviceRegistration.deviceId("alice", "token-1"), registration.applyTo(Optional.empty(), "alice", NOW).id());
    }
}
