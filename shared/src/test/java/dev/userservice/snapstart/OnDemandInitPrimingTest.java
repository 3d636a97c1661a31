package dev.userservice.snapstart;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.Services;
import dev.userservice.config.ServiceConfig;
import dev.userservice.logging.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A function without SnapStart primes at its on-demand init, as a SnapStart one does before its snapshot. */
class OnDemandInitPrimingTest {
    /** A function on the real wiring, whose priming records whether it ran as priming and fails when told to. */
    private static final class Recorded extends SnapStartFunction {
        private final List<Boolean> primings = new ArrayList<>();
        private final boolean fails;

        Recorded(boolean onDemand, boolean fails) {
            super(Services.of(onDemand ? Map.of("TABLE_NAME", "Table", "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
                    : Map.of("TABLE_NAME", "Table")));
            this.fails = fails;
            primeWhenInitialisedOnDemand();
        }

        @Override
        protected void prime() {
            primings.add(Priming.active());
            if (fails) {
                throw new IllegalStateException("secret://do-not-log");
            }
        }
    }

    @Test
    void anOnDemandInitPrimesOnceAsPrimingAndOtherInitsDoNot() {
        assertEquals(List.of(true), new Recorded(true, false).primings);
        assertEquals(List.of(), new Recorded(false, false).primings);
    }

    @Test
    void aFailedPrimingLeavesTheFunctionBuiltAndLogsOnlyTheErrorTypes() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(log, true, UTF_8));
        try {
            assertEquals(List.of(true), new Recorded(true, true).primings);
        } finally {
            Log.redirect(System.out);
        }
        String logged = log.toString(UTF_8);
        assertTrue(logged.contains("priming at init failed") && logged.contains(IllegalStateException.class.getName()), logged);
        assertFalse(logged.contains("do-not-log"), logged);
    }

    @Test
    void lambdaSaysHowItInitialisesTheEnvironment() {
        ServiceConfig onDemand = ServiceConfig.from(Map.of("TABLE_NAME", "Table", "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"));
        ServiceConfig snapshot = ServiceConfig.from(Map.of("TABLE_NAME", "Table", "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"));
        ServiceConfig local = ServiceConfig.from(Map.of("TABLE_NAME", "Table"));
        assertTrue(onDemand.initialisingOnDemand() && !onDemand.initialisingSnapshot());
        assertTrue(snapshot.initialisingSnapshot() && !snapshot.initialisingOnDemand());
        assertFalse(local.initialisingOnDemand() || local.initialisingSnapshot());
    }
}
