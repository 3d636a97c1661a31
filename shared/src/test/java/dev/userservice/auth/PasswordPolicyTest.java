package dev.userservice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {
    private static final String EMAIL = "jane.doe@example.com";
    private static final Optional<String> TOO_COMMON = Optional.of("is too common; choose a less predictable password");
    private static final Optional<String> CONTAINS_EMAIL = Optional.of("must not contain your email address");

    private final PasswordPolicy policy = new PasswordPolicy(8);

    @Test
    void longUncommonPasswordIsAccepted() {
        assertEquals(Optional.empty(), policy.problem("tangerine octopus ledger 1987", EMAIL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"password123", "qwertyuiop", "iloveyou", "Password1", "QWERTY123", "PASSWORD123"})
    void commonPasswordsAreRefusedWhateverTheirCase(String password) {
        assertEquals(TOO_COMMON, policy.problem(password, EMAIL));
    }

    @Test
    void commonListHoldsAtLeastTheTenThousandMostCommon() {
        // "chouchou" is number 9,989 of the bundled list; a shorter list would let it through.
        assertEquals(TOO_COMMON, policy.problem("chouchou", EMAIL));
    }

    @Test
    void commonPasswordSpelledInFullwidthIsRefused() {
        assertEquals(TOO_COMMON, policy.problem("\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44\uff11\uff12\uff13", EMAIL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jane.doe2024!", "my JANE.DOE secret", "xx-Jane.Doe-xx"})
    void passwordContainingTheEmailsLocalPartIsRefused(String password) {
        assertEquals(CONTAINS_EMAIL, policy.problem(password, EMAIL));
    }

    @Test
    void veryShortLocalPartIsNotTreatedAsAWord() {
        // "jo" appears in too many honest passwords to refuse them all.
        assertEquals(Optional.empty(), policy.problem("enjoy the long weekend", "jo@example.com"));
    }

    @Test
    void passwordIsCheckedWithoutAnEmail() {
        assertEquals(Optional.empty(), policy.problem("tangerine octopus ledger", null));
        assertEquals(TOO_COMMON, policy.problem("password123", null));
    }

    @Test
    void minimumLengthCountsCodePoints() {
        // Seven emoji are fourteen UTF-16 units: still seven characters.
        assertEquals(Optional.of("must be at least 8 characters"), policy.problem("🔐".repeat(7), EMAIL));
        assertEquals(Optional.empty(), policy.problem("🔐".repeat(8), EMAIL));
    }

    @Test
    void combiningMarksDoNotCountAsCharactersOfTheirOwn() {
        // Eight code points, four letters as a person reads them: two of the accents compose away, two cannot.
        assertEquals(Optional.of("must be at least 8 characters"), policy.problem("a\u0301b\u0301c\u0301d\u0301", EMAIL));
        assertEquals(Optional.of("must be at least 8 characters"), policy.problem("zq8#" + "\u0301".repeat(8), EMAIL));
    }

    @Test
    void aCommonPasswordWithSpacesAroundItIsStillCommon() {
        assertEquals(Optional.of("is too common; choose a less predictable password"), policy.problem(" password123 ", EMAIL));
    }

    @Test
    void sevenCharactersAreTooShortAndEightAreEnough() {
        assertEquals(Optional.of("must be at least 8 characters"), policy.problem("zq8#Lm2", EMAIL));
        assertEquals(Optional.empty(), policy.problem("zq8#Lm2!", EMAIL));
    }

    /** Nothing a person could read back, or only a few letters padded with it, is no password of its length. */
    @ParameterizedTest
    @ValueSource(strings = {"          ", "\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000",
            "\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b", "zq8#\u200b\u200b\u200b\u200bLm2", "   zq8#Lm2   "})
    void blankOrInvisibleCharactersDoNotCount(String password) {
        assertEquals(Optional.of("must be at least 8 characters"), policy.problem(password, EMAIL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000", "tangerine\toctopus", "tangerine octopus\n"})
    void controlCharactersAreRefused(String password) {
        assertEquals(Optional.of("must not contain control characters"), policy.problem(password, EMAIL));
    }

    @Test
    void innerSpacesCountAndAJoinedEmojiIsOneCharacter() {
        String family = "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
        assertEquals(Optional.empty(), policy.problem("zq8 #Lm2", EMAIL));
        assertEquals(Optional.empty(), policy.problem(family + " zq8#Lm", EMAIL));
        assertEquals(Optional.of("must be at least 8 characters"), policy.problem(family + family + "zq8#L", EMAIL),
                "seven characters as read (two emoji, five others), of fifteen code points");
    }

    @Test
    void aCommonPasswordWithInvisibleCharactersInItIsStillCommon() {
        assertEquals(TOO_COMMON, policy.problem("p\u200Bassword123", EMAIL));
        assertEquals(CONTAINS_EMAIL, policy.problem("my jane\u2060.doe secret", EMAIL));
    }

    @Test
    void maximumLengthCountsCodePoints() {
        assertEquals(Optional.empty(), policy.problem("🔐".repeat(PasswordPolicy.MAX_LENGTH), EMAIL));
        assertEquals(Optional.of("must be at most 256 characters"), policy.problem("🔐".repeat(PasswordPolicy.MAX_LENGTH + 1), EMAIL));
    }

    @Test
    void minimumLengthIsConfigurable() {
        PasswordPolicy strict = new PasswordPolicy(12);

        assertEquals(Optional.of("must be at least 12 characters"), strict.problem("zq8#Lm2!abc", EMAIL));
        assertEquals(Optional.empty(), strict.problem("zq8#Lm2!abcd", EMAIL));
    }

    @Test
    void compositionIsNotRequired() {
        assertEquals(Optional.empty(), policy.problem("all lower case words here", EMAIL));
    }
}
