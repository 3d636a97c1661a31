package dev.userservice.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CursorsTest {
    private final Cursors cursors = new Cursors(() -> List.of("a secret derived elsewhere".getBytes(StandardCharsets.UTF_8)));

    @Test
    void aCursorOpensToThePositionItWasSignedWith() {
        Map<String, Object> position = Map.of("e", "alice@example.com", "i", "42");
        assertEquals(position, cursors.open("users", cursors.seal("users", position)));
    }

    /** A search may stop at an account the caller is not shown: its key must not be readable from the cursor. */
    @Test
    void aCursorDoesNotRevealItsPosition() {
        // Long enough that random bytes never hold them by chance.
        String cursor = cursors.seal("search", Map.of("k", "private name", "i", "id-4242424242"));

        for (String part : cursor.split("\\.")) {
            String decoded = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.ISO_8859_1);
            assertFalse(decoded.contains("private") || decoded.contains("4242"), decoded);
        }
        assertNotEquals(cursor, cursors.seal("search", Map.of("k", "private name", "i", "id-4242424242")), "a nonce of its own each time");
    }

    /** A filtered user listing's position: an email and an email prefix of 254 characters, each escaped in the JSON. */
    @Test
    void theLongestPositionAListingSealsOpensAgain() {
        String longest = "\uFFFF".repeat(254);
        Map<String, Object> position = Map.of("p", longest, "f", "x".repeat(64), "k", 99L, "e", longest,
                "i", "9b2f3c1e-8d4a-4f6b-9c3e-1a2b3c4d5e6f");

        String cursor = cursors.seal("users", position);

        assertTrue(cursor.length() <= Cursors.MAX_LENGTH, cursor.length() + " characters");
        assertEquals(position, cursors.open("users", cursor));
    }

    @Test
    void aCursorOfAnotherListOrKeyOrAlteredIsRefusedOnTheCursorField() {
        String cursor = cursors.seal("users", Map.of("e", "alice@example.com"));
        Cursors otherKey = new Cursors(() -> List.of("after a key rotation".getBytes(StandardCharsets.UTF_8)));
        String altered = cursor.substring(0, 2) + (cursor.charAt(2) == 'A' ? 'B' : 'A') + cursor.substring(3);
        int last = cursor.length() - 2;
        String alteredSealed = cursor.substring(0, last) + (cursor.charAt(last) == 'A' ? 'B' : 'A') + cursor.substring(last + 1);

        for (Runnable attempt : new Runnable[] {
                () -> cursors.open("notifications", cursor),
                () -> otherKey.open("users", cursor),
                () -> cursors.open("users", altered),
                () -> cursors.open("users", alteredSealed),
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
