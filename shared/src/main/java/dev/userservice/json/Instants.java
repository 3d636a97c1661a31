package dev.userservice.json;

import java.time.Instant;

/**
 * Reads and writes instants as {@link Instant#toString} does, the only form the service stores, caches and logs
 * ({@code 2026-12-04T10:15:30Z}, with 0, 3, 6 or 9 digits of the second after a dot), without
 * {@link java.time.format.DateTimeFormatter}: building its formatters (and {@link java.time.Year}'s, which
 * {@code LocalDate.toEpochDay} initialises) costs a cold start some fifty classes and their first run, and every
 * request logs an instant and reads a stored or cached one. What lies outside that layout (another offset, a
 * lower-case letter, a leap second, a year beyond 0000-9999) is left to {@link Instant#parse} and
 * {@link Instant#toString}, so what is accepted, refused and written is unchanged.
 */
public final class Instants {
    private static final int SHORTEST = "2026-12-04T10:15:30Z".length();
    private static final int LONGEST = "2026-12-04T10:15:30.123456789Z".length();
    private static final int SECONDS_PER_DAY = 86_400;
    /** Days from 0000-03-01, the start of a 400-year cycle of the proleptic Gregorian calendar, to 1970-01-01. */
    private static final int DAYS_0000_03_01_TO_EPOCH = 719_468;
    private static final int DAYS_PER_CYCLE = 146_097;
    private static final long FIRST_SECOND_OF_0000 = epochDay(0, 1, 1) * SECONDS_PER_DAY;
    private static final long LAST_SECOND_OF_9999 = (epochDay(9999, 12, 31) + 1) * SECONDS_PER_DAY - 1;

    private Instants() {}

    /** {@code instant.toString()}, the same text. */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND_OF_0000 || seconds > LAST_SECOND_OF_9999) {
            return instant.toString();
        }
        long daysFromMarch = Math.floorDiv(seconds, SECONDS_PER_DAY) + DAYS_0000_03_01_TO_EPOCH;
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        // The civil date from a day count, by 400-year cycles of years that start in March (H. Hinnant's algorithm).
        int cycle = (int) Math.floorDiv(daysFromMarch, DAYS_PER_CYCLE);
        int dayOfCycle = (int) (daysFromMarch - (long) cycle * DAYS_PER_CYCLE);
        int yearOfCycle = (dayOfCycle - dayOfCycle / 1_460 + dayOfCycle / 36_524 - dayOfCycle / 146_096) / 365;
        int dayOfYear = dayOfCycle - (365 * yearOfCycle + yearOfCycle / 4 - yearOfCycle / 100);
        int monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        int year = yearOfCycle + cycle * 400 + (month <= 2 ? 1 : 0);

        StringBuilder text = new StringBuilder(LONGEST);
        appendDigits(text, year, 4).append('-');
        appendDigits(text, month, 2).append('-');
        appendDigits(text, day, 2).append('T');
        appendDigits(text, secondOfDay / 3_600, 2).append(':');
        appendDigits(text, secondOfDay / 60 % 60, 2).append(':');
        appendDigits(text, secondOfDay % 60, 2);
        int nanos = instant.getNano();
        if (nanos > 0) {
            text.append('.');
            if (nanos % 1_000_000 == 0) {
                appendDigits(text, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                appendDigits(text, nanos / 1_000, 6);
            } else {
                appendDigits(text, nanos, 9);
            }
        }
        return text.append('Z').toString();
    }

    private static StringBuilder appendDigits(StringBuilder text, int value, int width) {
        String digits = Integer.toString(value);
        for (int padding = width - digits.length(); padding > 0; padding--) {
            text.append('0');
        }
        return text.append(digits);
    }

    /**
     * The instant of a value of parsed JSON that holds one or is null (a field written as null); a value of any other
     * type throws {@link ClassCastException}, which readers of a cached or stored form treat as unreadable.
     */
    public static Instant parseOrNull(Object value) {
        return value == null ? null : parse((String) value);
    }

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
        if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
            return null;
        }
        int nanos = fraction;
        for (int digitsMissing = LONGEST - length; digitsMissing > 0; digitsMissing--) {
            nanos *= 10;
        }
        return Instant.ofEpochSecond(epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3_600L + minute * 60L + second, nanos);
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** The inverse of {@link #format}'s date: days since 1970-01-01 of a valid date of the years 0000-9999. */
    private static long epochDay(int year, int month, int day) {
        int yearFromMarch = month <= 2 ? year - 1 : year;
        int cycle = Math.floorDiv(yearFromMarch, 400);
        int yearOfCycle = yearFromMarch - cycle * 400;
        int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int dayOfCycle = 365 * yearOfCycle + yearOfCycle / 4 - yearOfCycle / 100 + dayOfYear;
        return (long) cycle * DAYS_PER_CYCLE + dayOfCycle - DAYS_0000_03_01_TO_EPOCH;
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
