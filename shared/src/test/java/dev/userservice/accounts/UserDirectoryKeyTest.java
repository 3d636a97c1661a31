package dev.userservice.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.validation.Text;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UserDirectoryKeyTest {
    /** U+FDFA is one character, and eighteen after NFKC. */
    private static final String EXPANDING = "\uFDFA";

    @Test
    void aValidNameMakesAKeyAnIndexCanHoldWhateverNfkcMakesOfIt() {
        String key = UserDirectory.key(Text.name(EXPANDING.repeat(100)));

        assertTrue(key.getBytes(StandardCharsets.UTF_8).length <= UserDirectory.KEY_MAX_BYTES, key.length() + " characters");
        assertTrue(UserDirectory.key(EXPANDING.repeat(100)).startsWith(UserDirectory.key(EXPANDING.repeat(3))),
                "a shorter query still finds the name");
        assertEquals(UserDirectory.key(EXPANDING.repeat(100)), UserDirectory.key(EXPANDING.repeat(99)),
                "both are cut at the same length, so the longest query finds it too");
    }

    @Test
    void aKeyIsCutBetweenCharactersNeverInsideOne() {
        String key = UserDirectory.key("\uD83D\uDE00".repeat(150)); // an emoji, four bytes each

        assertEquals(UserDirectory.KEY_MAX_BYTES / 4, key.codePointCount(0, key.length()));
        assertEquals(key, new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    @Test
    void anOrdinaryNameIsKeyedWhole() {
        assertEquals("ada lovelace", UserDirectory.key("  Ada \t Lovelace "));
        String longest = "é".repeat(100);
        assertEquals(longest, UserDirectory.key(longest));
    }
}
