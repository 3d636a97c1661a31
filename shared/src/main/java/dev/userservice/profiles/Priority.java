package dev.userservice.profiles;

import java.util.Arrays;
import java.util.Locale;

/**
 * How urgent the notification a pipeline is about to send is. Only {@link #CRITICAL} (security mail such as a
 * password reset) changes the answer: it ignores quiet hours and category opt-outs. The others are accepted so a
 * pipeline can pass its own priority through unchanged.
 */
public enum Priority {
    LOW, NORMAL, HIGH, CRITICAL;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The priority named by {@code code}; throws {@link IllegalArgumentException} with the message to report. */
    public static Priority parse(String code) {
        for (Priority priority : values()) {
            if (priority.code().equals(code)) {
                return priority;
            }
        }
        throw new IllegalArgumentException("must be one of " + codes());
    }

    private static String codes() {
        return String.join(", ", Arrays.stream(values()).map(Priority::code).toList());
    }
}
