package dev.userservice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.paging.Cursors;
import dev.userservice.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorSecretsTest {
    private static final Duration REFRESH = Duration.ofMinutes(5);
    private static final String OLD = "old-old-old-old-old-old-old-old-s3cret";
    private static final String NEW = "new-new-new-new-new-new-new-new-s3cret";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "short-s3cret", OLD + " short-s3cret"})
    void aDocumentWithAShortWordIsRefusedWithoutQuotingIt(String document) {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> CursorSecrets.parse(document));

        assertFalse(refused.getMessage().contains("s3cret"), refused.getMessage());
    }

    @Test
    void eachWordIsASecretInTheOrderStored() {
        assertEquals(2, CursorSecrets.parse("\n" + NEW + " \t" + OLD + "\n").size());
        assertEquals(NEW, new String(CursorSecrets.parse(NEW + " " + OLD).getFirst(), StandardCharsets.UTF_8));
    }

    /**
     * The rotation deploying.md describes, each step a refresh interval after the last: the new word stored after the
     * old one, then before it, then alone. Containers read each step at their own time, and every cursor opens
     * everywhere until its word is dropped.
     */
    @Test
    void aCursorSealedOnEitherSideOfARotationStepOpensInAContainerThatHasNotReadItYet() {
        AtomicReference<String> stored = new AtomicReference<>(OLD);
        CursorSecrets early = new CursorSecrets(stored::get, REFRESH, clock);
        CursorSecrets late = new CursorSecrets(stored::get, REFRESH, clock);
        Cursors readsFirst = new Cursors(early);
        Cursors readsLast = new Cursors(late);
        String sealedUnderTheOldWord = readsFirst.seal("users", Map.of("e", "old"));

        for (String step : List.of(OLD + " " + NEW, NEW + " " + OLD)) {
            stored.set(step);
            early.markStale();
            assertEquals(Map.of("e", "early"), readsLast.open("users", readsFirst.seal("users", Map.of("e", "early"))), step);
            assertEquals(Map.of("e", "late"), readsFirst.open("users", readsLast.seal("users", Map.of("e", "late"))), step);
            clock.advance(REFRESH);
            readsLast.open("users", sealedUnderTheOldWord); // the late container reads the step on its schedule
        }
        stored.set(NEW);
        early.markStale();

        assertEquals(ErrorCode.VALIDATION_FAILED, assertThrows(ServiceException.class,
                () -> readsFirst.open("users", sealedUnderTheOldWord)).error(), "its word is no longer stored");
        assertEquals(Map.of("e", "new"), readsLast.open("users", readsFirst.seal("users", Map.of("e", "new"))));
    }
}
