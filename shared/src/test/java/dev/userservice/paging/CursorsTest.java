package dev.userservice.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CursorsTest {
    private final Cursors cursors = new Cursors(() -> "a secret derived elsewhere".getBytes(StandardCharsets.UTF_8));

    @Test
    void aCursorOpensToThePositionItWasSignedWith() {
        Map<String, Object> position = Map.of("e", "alice@example.com", "i", "42");
        assertEquals(position, cursors.open("users", cursors.sign("users", position)));
    }

    @Test
    void aCursorOfAnotherListOrKeyOrAlteredIsRefusedOnTheCursorField() {
        String cursor = cursors.sign("users", Map.of("e", "alice@example.com"));
        Cursors otherKey = new Cursors(() -> "after a key rotation".getBytes(StandardCharsets.UTF_8));
        String altered = cursor.substring(0, 2) + (cursor.charAt(2) == 'A' ? 'B' : 'A') + cursor.substring(3);

        for (Runnable attempt : new Runnable[] {
                () -> cursors.open("notifications", cursor),
                () -> otherKey.open("users", cursor),
                () -> cursors.open("users", altered),
                () -> cursors.open("users", "not a cursor"),
                () -> cursors.open("users", "x".repeat(5000))}) {
            ServiceException refused = assertThrows(ServiceException.class, attempt::run);
            assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
            assertEquals("cursor", refused.details().getFirst().field());
        }
    }

    @Test
    void limitsAreWholeNumbersFromOneToAHundred() {
        assertEquals(1, Cursors.limit("1"));
        assertEquals(100, Cursors.limit("100"));
        for (String bad : new String[] {"0", "101", "-1", "1.5", "ten", "", "0001"}) {
            assertThrows(IllegalArgumentException.class, () -> Cursors.limit(bad), bad);
        }
    }
}
