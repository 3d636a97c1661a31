package dev.userservice.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordHasherTest {
    /** bcrypt's lowest cost: the rules under test do not depend on it, and it keeps the suite fast. */
    private final PasswordHasher hasher = new PasswordHasher(4);

    @Test
    void passwordVerifiesAgainstItsOwnHash() {
        String hash = hasher.hash("correct horse battery staple");

        assertTrue(hasher.verify("correct horse battery staple", hash));
    }

    @Test
    void otherPasswordDoesNotVerify() {
        String hash = hasher.hash("correct horse battery staple");

        assertFalse(hasher.verify("correct horse battery stapler", hash));
        assertFalse(hasher.verify("Correct horse battery staple", hash));
        assertFalse(hasher.verify("", hash));
    }

    @Test
    void hashIsBcryptAtTheConfiguredCostWithAFreshSalt() {
        String first = hasher.hash("same password twice");
        String second = hasher.hash("same password twice");

        assertTrue(first.startsWith("$2b$04$"), first);
        assertEquals(60, first.length());
        assertNotEquals(first, second);
        assertTrue(hasher.verify("same password twice", second));
    }

    @Test
    void aHashIsOutdatedOnlyWhenItsCostIsLowerThanToday() {
        PasswordHasher raised = new PasswordHasher(5);

        assertTrue(raised.isOutdated(hasher.hash("correct horse battery staple")));
        assertFalse(raised.isOutdated(raised.hash("correct horse battery staple")));
        assertFalse(hasher.isOutdated(raised.hash("correct horse battery staple")), "a lowered cost keeps the stronger hash");
    }

    @Test
    void theMadeUpChecksAddUpToOneAtTheConfiguredCost() {
        for (int stored = 4; stored <= 14; stored++) {
            for (int target = stored; target <= 14; target++) {
                long work = 1L << stored;
                for (int cost : PasswordHasher.madeUpCosts(stored, target)) {
                    work += 1L << cost;
                }
                assertEquals(1L << target, work, stored + " → " + target);
            }
        }
    }

    /**
     * After the cost was raised, an account hashed at the old one must not answer faster than an unknown email,
     * whose decoy is checked at the new one: that would tell which emails are registered.
     */
    @Test
    void aHashFromALowerCostTakesAsLongToCheckAsOneAtTheConfiguredCost() {
        PasswordHasher raised = new PasswordHasher(10);
        String old = hasher.hash("correct horse battery staple");
        String current = raised.hash("correct horse battery staple");
        raised.verify("warm up", old);
        raised.verifyDecoy("warm up");

        long oldCheck = fastest(() -> raised.verify("correct horse battery staple", old));
        long currentCheck = fastest(() -> raised.verify("correct horse battery staple", current));
        long unknownEmail = fastest(() -> raised.verifyDecoy("correct horse battery staple"));

        assertTrue(raised.verify("correct horse battery staple", old));
        assertFalse(raised.verify("correct horse battery stapler", old));
        assertTrue(oldCheck > currentCheck / 2 && oldCheck > unknownEmail / 2,
                "cost 4 checked in " + oldCheck + " ns, cost 10 in " + currentCheck + ", a decoy in " + unknownEmail);
    }

    private static long fastest(Runnable check) {
        long fastest = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long started = System.nanoTime();
            check.run();
            fastest = Math.min(fastest, System.nanoTime() - started);
        }
        return fastest;
    }

    @Test
    void passwordsDifferingOnlyAfterByte72DoNotMatch() {
        // Plain bcrypt reads 72 bytes and ignores the rest: these two would be the same password to it.
        String common = "a".repeat(99);
        String first = common + "1";
        String second = common + "2";

        String hash = hasher.hash(first);

        assertTrue(hasher.verify(first, hash));
        assertFalse(hasher.verify(second, hash));
    }

    @Test
    void multiByteCharactersBeyondByte72StillCount() {
        String first = "🔐".repeat(30) + "α";
        String second = "🔐".repeat(30) + "β";

        assertTrue(first.getBytes(UTF_8).length > 72);
        assertFalse(hasher.verify(second, hasher.hash(first)));
    }

    @Test
    void passwordOfMaximumLengthCountsEveryCharacter() {
        String longest = "ж".repeat(PasswordPolicy.MAX_LENGTH - 1) + "a";
        String lastDiffers = "ж".repeat(PasswordPolicy.MAX_LENGTH - 1) + "b";

        String hash = hasher.hash(longest);

        assertTrue(hasher.verify(longest, hash));
        assertFalse(hasher.verify(lastDiffers, hash));
    }

    @Test
    void nonAsciiPasswordsVerify() {
        String password = "пароль-密码-كلمة-🔐-ünïcödé";

        String hash = hasher.hash(password);

        assertTrue(hasher.verify(password, hash));
        assertFalse(hasher.verify("пароль-密码-كلمة-🔑-ünïcödé", hash));
    }

    @ParameterizedTest
    @CsvSource({
            // composed é  vs  e + combining acute
            "caf\u00e9 au lait!,cafe\u0301 au lait!",
            // fullwidth letters vs ASCII
            "\uff50\uff41\uff53\uff53 \uff57\uff4f\uff52\uff44 42,pass word 42",
            // the ligature ﬁ vs f + i
            "\ufb01ne and dandy,fine and dandy"})
    void passwordsThatAreTheSameUnderNfkcMatch(String typed, String equivalent) {
        String hash = hasher.hash(typed);

        assertTrue(hasher.verify(equivalent, hash));
    }

    @Test
    void nulByteDoesNotCutThePasswordShort() {
        String withNul = "correct\u0000horse battery";

        String hash = hasher.hash(withNul);

        assertTrue(hasher.verify(withNul, hash));
        assertFalse(hasher.verify("correct", hash));
        assertFalse(hasher.verify("correct\u0000zebra battery", hash));
    }

    @Test
    void passwordThatIsAPrefixOfAnotherDoesNotMatchIt() {
        String hash = hasher.hash("correct horse");

        assertFalse(hasher.verify("correct horse battery staple", hash));
    }

    @Test
    void decoyCheckRunsForAnyPassword() {
        assertDoesNotThrow(() -> hasher.verifyDecoy("whatever was typed " + "x".repeat(300)));
    }
}
