package dev.userservice.local.e2e;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints {@link OpenApiContract}'s one-line summary when a test JVM has run its tests (and only if they sent
 * requests through {@link Api}): exchanges checked, request bodies validated, operations exercised and the ones no
 * test reached. JUnit finds it through {@code META-INF/services}; a JVM's shutdown hooks print too late for the
 * build's output.
 */
public final class ContractSummary implements TestExecutionListener {
    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        OpenApiContract.sharedSummary().ifPresent(System.out::println);
    }
}
