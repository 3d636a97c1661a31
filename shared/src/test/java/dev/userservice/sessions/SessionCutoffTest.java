package dev.userservice.sessions;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionCutoffTest {
    private static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void aResetEndsEverySessionBegunBeforeItAndAChangeAllButItsOwn() {
        assertTrue(SessionCutoff.reset(T1).ended("s1", T1.minusSeconds(1)));
        assertFalse(SessionCutoff.reset(T1).ended("s1", T1));
        assertTrue(SessionCutoff.change(T1, "kept").ended("s1", T1.minusSeconds(1)));
        assertFalse(SessionCutoff.change(T1, "kept").ended("kept", T1.minusSeconds(1)));
    }

    @Test
    void aChangeAfterAResetKeepsTheResetsCutoffAndAResetAfterAChangeEndsTheKeptSessionToo() {
        SessionCutoff changedAfterReset = new SessionCutoff(T1, T2, "kept");
        assertTrue(changedAfterReset.ended("kept", T1.minusSeconds(1)), "begun before the reset");
        assertFalse(changedAfterReset.ended("kept", T1.plusSeconds(1)));

        SessionCutoff resetAfterChange = new SessionCutoff(T2, T1, "kept");
        assertTrue(resetAfterChange.ended("kept", T1.plusSeconds(1)));
        assertFalse(resetAfterChange.ended("kept", T2));
    }
}
