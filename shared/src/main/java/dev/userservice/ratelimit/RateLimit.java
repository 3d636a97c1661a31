package dev.userservice.ratelimit;

import java.time.Duration;

/** At most {@code limit} requests per {@code window} for one key (an IP, an email, a session). */
public record RateLimit(String name, int limit, Duration window) {

    /**
     * Reads {@code 5/1h}, {@code 10/5m}, {@code 30/1m} or {@code 100/30s}: a count, a slash, and a window in
     * seconds, minutes or hours.
     */
    public static RateLimit parse(String name, String text) {
        String[] parts = text.trim().split("/", 2);
        try {
            int limit = Integer.parseInt(parts[0].trim());
            String window = parts[1].trim();
            long amount = Long.parseLong(window.substring(0, window.length() - 1));
            Duration duration = switch (window.charAt(window.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException();
            };
            if (limit < 1 || duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException();
            }
            return new RateLimit(name, limit, duration);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Rate limit " + name + " must look like 10/5m, not " + text);
        }
    }
}
