package dev.userservice.concurrency;

import java.security.SecureRandom;

/**
 * Random pauses for retries, so that contenders spread out. Drawn from {@link SecureRandom}, which Lambda's Java
 * runtimes keep unique in every execution environment restored from one SnapStart snapshot ("Handling uniqueness
 * with Lambda SnapStart", https://docs.aws.amazon.com/lambda/latest/dg/snapstart-uniqueness.html: the managed
 * runtimes' built-in CSPRNG for Java is java.security.SecureRandom). ThreadLocalRandom is not: a thread's seed
 * comes from a generator captured in the snapshot and cannot be reseeded, so restored copies would pause in step,
 * the very thing jitter is for. Only retries draw, so SecureRandom's cost does not matter.
 */
public final class Jitter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Jitter() {}

    /** A pause in milliseconds, at least {@code from} and less than {@code bound}. */
    public static long millis(long from, long bound) {
        return RANDOM.nextLong(from, bound);
    }
}
