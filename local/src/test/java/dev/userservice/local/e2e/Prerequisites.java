package dev.userservice.local.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a tool beyond the JDK (a browser, a TLS-capable redis-server) skip without it, saying why, so
 * {@code ./mvnw -B verify} passes on a bare machine; {@code .ci/run} installs the tools and sets the test's variable to
 * {@code required}, which turns the skip into a failure.
 */
final class Prerequisites {
    private Prerequisites() {}

    /** Skips {@code test} unless {@code present}; fails instead when the variable {@code requiredBy} is "required". */
    static void requireOrSkip(String requiredBy, String test, boolean present, String missing) {
        if (!present && "required".equals(System.getenv(requiredBy))) {
            fail(requiredBy + "=required, but " + missing);
        }
        if (!present) {
            // Said on the console too: a skip's reason otherwise shows only in the surefire report.
            System.err.println(test + " skipped: " + missing);
        }
        Assumptions.assumeTrue(present, () -> test + " skipped: " + missing);
    }
}
