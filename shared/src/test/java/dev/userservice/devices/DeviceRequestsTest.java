package dev.userservice.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The device request bodies as the handlers read them: typed, or one {@code validation_failed} naming every bad field. */
class DeviceRequestsTest {

    @Test
    void aRegistrationBodyReadsIntoARegistrationInNoSessionYet() {
        DeviceRegistration read = DeviceRegistration.read(Map.of("token", "fcm-token", "platform", "android",
                "device_name", "Pixel 8", "active", false));

        assertEquals(new DeviceRegistration("fcm-token", "android", "Pixel 8", false, null), read);
    }

    @Test
    void aRegistrationBodyWithoutNameOrActiveIsActiveAndUnnamed() {
        DeviceRegistration read = DeviceRegistration.read(Map.of("token", "fcm-token", "platform", "ios"));

        assertTrue(read.active());
        assertNull(read.deviceName());
    }

    @Test
    void everyProblemOfARegistrationBodyIsReportedAtOnce() {
        ServiceException refused = assertThrows(ServiceException.class,
                () -> DeviceRegistration.read(Map.of("platform", "symbian", "active", "yes")));

        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
        assertEquals(List.of("token", "platform", "active"), fields(refused));
    }

    @Test
    void anUpdateBodyTellsARemovedNameFromAnUntouchedOne() {
        Map<String, Object> removing = new HashMap<>();
        removing.put("device_name", null);

        DeviceUpdate removed = DeviceUpdate.read(removing);
        DeviceUpdate untouched = DeviceUpdate.read(Map.of("active", true));

        assertEquals(new DeviceUpdate(Optional.empty(), true, null), removed);
        assertFalse(untouched.renamed());
        assertEquals(Optional.of(true), untouched.active());
    }

    @Test
    void aBadUpdateBodyIsRefusedWithEveryProblem() {
        ServiceException refused = assertThrows(ServiceException.class,
                () -> DeviceUpdate.read(Map.of("active", 1, "device_name", 7)));

        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
        assertEquals(List.of("active", "device_name"), fields(refused));
    }

    private static List<String> fields(ServiceException refused) {
        return refused.details().stream().map(FieldError::field).toList();
    }
}
