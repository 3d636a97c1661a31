package dev.userservice.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstantsTest {

    /** Random instants of the years 0000-9999, in whole seconds, milliseconds, microseconds and nanoseconds in turn. */
    private static Stream<Instant> randomInstants(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long earliest = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long latest = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        return IntStream.range(0, 200_000).mapToObj(i -> {
            // Instant.toString writes 0, 3, 6 or 9 digits of the second.
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            return Instant.ofEpochSecond(random.nextLong(earliest, latest + 1), nanos);
        });
    }

    @Test
    void everyInstantReadsBackAsItWasWritten() {
        // read by the service's own reading, not by the fallback to Instant.parse
        randomInstants(17).forEach(instant -> assertEquals(instant, Instants.written(instant.toString()), instant::toString));
    }

    @Test
    void everyInstantIsWrittenAsToStringWritesIt() {
        randomInstants(29).forEach(instant -> assertEquals(instant.toString(), Instants.format(instant)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0000-01-01T00:00:00Z", "0000-02-29T23:59:59.999999999Z", "0000-03-01T00:00:00Z", "0399-12-31T23:59:59Z",
        "0400-02-29T12:00:00.000001Z", "1899-12-31T23:59:59.9Z", "1900-02-28T00:00:00Z", "1900-03-01T00:00:00Z",
        "1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000000001Z", "2000-02-29T00:00:00Z",
        "2024-02-29T23:59:59.12Z", "2026-12-04T10:15:00Z", "2026-12-04T10:00:30.100Z", "9999-12-31T23:59:59.999999999Z",
        // beyond the years 0000-9999: written by Instant.toString itself
        "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z"
    })
    void theEdgesOfTheCalendarAreWrittenAsToStringWritesThem(String text) {
        Instant instant = Instant.parse(text);

        assertEquals(instant.toString(), Instants.format(instant));
        assertEquals(instant, Instants.parse(Instants.format(instant)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-12-04T10:15:30Z", "2026-12-04T10:15:30.1Z", "2026-12-04T10:15:30.12Z", "2026-12-04T10:15:30.123456789Z",
        "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
        // beside the layout Instant.toString writes: left to Instant.parse
        "2026-12-04t10:15:30z", "2026-12-04T24:00:00Z", "2026-12-31T23:59:60Z", "2026-12-04T10:15:30+01:00",
        "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2026-12-04T10:15Z",
        // not instants at all, or days and times that do not exist
        "", "Z", "2026-12-04", "2026-12-04T10:15:30", "2026-12-04T10:15:30.Z", "2026-12-04T10:15:30.1234567890Z",
        "2026-02-29T10:15:30Z", "2026-13-01T10:15:30Z", "2026-00-01T10:15:30Z", "2026-12-32T10:15:30Z",
        "2026-12-04T25:15:30Z", "2026-12-04T10:60:30Z", "2026-12-04T10:15:61Z", "2026-12-04 10:15:30Z",
        "2026-1a-04T10:15:30Z", "2026-12-04T10:15:30.12a4Z", "２０２６-12-04T10:15:30Z"
    })
    void readsAndRefusesExactlyWhatInstantParseDoes(String text) {
        Object expected;
        try {
            expected = Instant.parse(text);
        } catch (DateTimeParseException refused) {
            expected = DateTimeParseException.class;
        }

        Object actual;
        try {
            actual = Instants.parse(text);
        } catch (DateTimeParseException refused) {
            actual = DateTimeParseException.class;
        }
        assertEquals(expected, actual, text);
    }

    @Test
    void aJsonValueIsAnInstantOrNull() {
        assertEquals(Instant.parse("2026-12-04T10:15:30Z"), Instants.parseOrNull("2026-12-04T10:15:30Z"));
        assertEquals(null, Instants.parseOrNull(null));
        assertThrows(ClassCastException.class, () -> Instants.parseOrNull(1_764_843_330L));
    }

    @Test
    void daysThatDoNotExistAreRefused() {
        for (String text : new String[] {"2026-02-29T10:15:30Z", "2026-04-31T10:15:30Z", "2026-13-01T10:15:30Z"}) {
            assertThrows(DateTimeParseException.class, () -> Instants.parse(text), text);
        }
    }

    @Test
    void fractionsOfEveryLengthScaleToNanoseconds() {
        Instant second = Instant.parse("2026-12-04T10:15:30Z");
        String digits = "123456789";
        for (int length = 1; length <= 9; length++) {
            long nanos = Long.parseLong(digits.substring(0, length) + "0".repeat(9 - length));

            assertEquals(second.plus(nanos, ChronoUnit.NANOS), Instants.parse("2026-12-04T10:15:30." + digits.substring(0, length) + "Z"));
        }
    }
}
