package dev.userservice.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads instants as {@link Instant#toString} writes them, the only form the service stores and caches
 * ({@code 2026-12-04T10:15:30Z}, with up to nine digits of the second after a dot), without the parsing machinery
 * of {@link java.time.format.DateTimeFormatter}: a dozen classes and their first run are part of the cold start of
 * every function that reads a stored or cached instant, and a cached read reads one on its first request. Anything
 * else (another offset, a lower-case letter, a leap second, a five-digit year) is left to {@link Instant#parse}, so
 * what it accepts and what it refuses are unchanged.
 */
public final class Instants {
    private static final int SHORTEST = "2026-12-04T10:15:30Z".length();
    private static final int LONGEST = "2026-12-04T10:15:30.123456789Z".length();
    private static final int SECONDS_PER_DAY = 86_400;

    private Instants() {}

    /** @throws java.time.format.DateTimeParseException as {@link Instant#parse} for text it does not read */
    public static Instant parse(String text) {
        Instant instant = written(text);
        return instant != null ? instant : Instant.parse(text);
    }

    /** The instant when {@code text} has exactly the layout of {@link Instant#toString} and valid fields; else null. */
    static Instant written(String text) {
        int length = text.length();
        if (length < SHORTEST || length > LONGEST || length == SHORTEST + 1 || !layoutMatches(text)) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int fraction = length == SHORTEST ? 0 : digits(text, 20, length - 1);
        if ((year | month | day | hour | minute | second | fraction) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException noSuchDay) {
            return null;
        }
        int nanos = fraction;
        for (int digitsMissing = LONGEST - length; digitsMissing > 0; digitsMissing--) {
            nanos *= 10;
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3_600L + minute * 60L + second, nanos);
    }

    private static boolean layoutMatches(String text) {
        int last = text.length() - 1;
        return text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':'
                && text.charAt(16) == ':' && text.charAt(last) == 'Z' && (last == SHORTEST - 1 || text.charAt(19) == '.');
    }

    /** The decimal number of {@code text[from, to)}, or -1 when any of it is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
