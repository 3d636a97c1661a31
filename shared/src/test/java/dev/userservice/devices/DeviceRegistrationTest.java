package dev.userservice.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceRegistrationTest {
    private static final Instant EARLIER = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2025-01-15T10:00:00Z");
    private static final DeviceRegistration.InSession SESSION = new DeviceRegistration.InSession("session-2", NOW);

    @Test
    void tokensArePrintableAndKeptExactly() {
        assertEquals(" spaced-token ", DeviceRegistration.token(" spaced-token "));
        assertEquals("ünïcode:token", DeviceRegistration.token("ünïcode:token"));
        assertThrows(IllegalArgumentException.class, () -> DeviceRegistration.token("tab\there"));
        assertThrows(IllegalArgumentException.class, () -> DeviceRegistration.token("zero\u200bwidth"));
        assertThrows(IllegalArgumentException.class, () -> DeviceRegistration.token("   "));
        assertThrows(IllegalArgumentException.class, () -> DeviceRegistration.token("\u00a0\u2007\u202f"), "no-break spaces alone");
        assertEquals("a\u00a0b", DeviceRegistration.token("a\u00a0b"));
    }

    /** U+FB2C is one character given and three stored (NFC decomposes it): the limit is on what is stored. */
    @Test
    void aDeviceNameWithinTheLimitAsGivenButBeyondItNormalisedIsRefused() {
        String name = "\uFB2C".repeat(DeviceRegistration.DEVICE_NAME_MAX_LENGTH);
        ServiceException refused = assertThrows(ServiceException.class,
                () -> DeviceRegistration.read(Map.of("token", "t", "platform", "ios", "device_name", name)));

        assertEquals(List.of(new FieldError("device_name", "must be at most 100 characters")), refused.details());
        assertEquals("\u05E9\u05BC\u05C1".repeat(33),
                DeviceRegistration.read(Map.of("token", "t", "platform", "ios", "device_name", "\uFB2C".repeat(33))).deviceName());
    }

    @Test
    void reRegisteringKeepsTheDeviceAndMovesItToTheNewSession() {
        Device own = new Device("device-1", "user-1", "token", "ios", "Phone", false, "session-1", EARLIER,
                EARLIER, EARLIER, EARLIER, DeactivationReason.SESSION_ENDED);

        Device registered = new DeviceRegistration("token", "ios", null, true, SESSION).applyTo(Optional.of(own), "user-1", NOW);

        assertEquals(new Device("device-1", "user-1", "token", "ios", "Phone", true, "session-2", NOW,
                EARLIER, NOW, NOW, null), registered);
    }

    @Test
    void aServiceRegistrationKeepsTheSessionTheDeviceHad() {
        Device own = new Device("device-1", "user-1", "token", "ios", null, true, "session-1", EARLIER,
                EARLIER, EARLIER, EARLIER, null);

        Device registered = new DeviceRegistration("token", "android", "Tablet", false, null).applyTo(Optional.of(own), "user-1", NOW);

        assertEquals("session-1", registered.sessionId());
        assertEquals("Tablet", registered.deviceName());
        assertEquals(DeactivationReason.USER_REQUEST, registered.deactivatedReason(), "registered inactive at the caller's request");
    }

    /** Its session ended and deactivated it; the push service registers the token again: it must be reachable. */
    @Test
    void aServiceRegistrationOfADeviceWhoseSessionEndedLeavesItInNoSession() {
        Device own = new Device("device-1", "user-1", "token", "ios", "Phone", false, "session-1", EARLIER,
                EARLIER, EARLIER, EARLIER, DeactivationReason.SESSION_ENDED);

        Device registered = new DeviceRegistration("token", "ios", null, true, null).applyTo(Optional.of(own), "user-1", NOW);

        assertTrue(registered.active());
        assertNull(registered.sessionId());
        assertNull(registered.sessionCreatedAt());
    }

    @Test
    void aNewTokenIsANewDevice() {
        Device registered = new DeviceRegistration("token", "web", null, true, SESSION).applyTo(Optional.empty(), "user-1", NOW);

        assertEquals(NOW, registered.createdAt());
        assertNull(registered.deviceName());
        assertEquals("session-2", registered.sessionId());
    }
}
