package dev.userservice.ratelimit;

import dev.userservice.cache.Cache;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Fixed-window limits: each window of a limit has its own counter, so a burst is forgotten when its window ends
 * and nobody is locked out for longer. Counters live in the cache; while the cache is down they live in the table,
 * so the limits still hold. Keys are hashed, so emails and IPs are not stored as themselves; the hash is unkeyed, so
 * whoever reads the keys can still test guesses against the current window's (every IPv4 address is a small space).
 */
public final class RateLimiter {
    private final Cache cache;
    private final RateCounters fallback;
    private final Clock clock;

    public RateLimiter(Cache cache, RateCounters fallback, Clock clock) {
        this.cache = cache;
        this.fallback = fallback;
        this.clock = clock;
    }

    /** Counts one request against {@code limit} for {@code subject}; 429 {@code rate_limited} once it is over. */
    public void enforce(RateLimit limit, String subject) {
        Instant now = clock.instant();
        long windowSeconds = limit.window().toSeconds();
        long window = now.getEpochSecond() / windowSeconds;
        Instant windowEnd = Instant.ofEpochSecond((window + 1) * windowSeconds);
        String key = "rate:" + limit.name() + ":" + window + ":" + digest(subject);
        long count = cache.increment(key, windowEnd).orElseGet(() -> fallback.increment(key, windowEnd));
        if (count > limit.limit()) {
            long retryAfter = Math.max(1, windowEnd.getEpochSecond() - now.getEpochSecond());
            throw new ServiceException(ErrorCode.RATE_LIMITED, "Too many requests; retry in " + retryAfter + " seconds",
                    List.of(), Map.of("Retry-After", Long.toString(retryAfter)));
        }
    }

    /**
     * Counts one request against {@code limit} for the client at {@code ip} as {@link #enforce} does, an IPv6 client
     * by its /64: the block one subscriber (a home, a phone, a cloud host) is given, whose 2^64 addresses would
     * otherwise each have an allowance of their own. An IPv4 address, or one mapped into IPv6, counts as itself.
     */
    public void enforcePerIp(RateLimit limit, String ip) {
        enforce(limit, network(ip));
    }

    static String network(String ip) {
        // Only a literal reaches InetAddress, which would otherwise ask DNS for a name.
        if (ip.indexOf(':') < 0 || !ip.chars().allMatch(c -> c == ':' || c == '.' || HexFormat.isHexDigit(c))) {
            return ip;
        }
        try {
            byte[] address = InetAddress.getByName(ip).getAddress();
            return address.length == 16 ? HexFormat.of().formatHex(address, 0, 8) + "::/64"
                    : InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException notAnAddress) {
            return ip;
        }
    }

    private static String digest(String subject) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
