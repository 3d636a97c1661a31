package dev.userservice.snapstart;

import dev.userservice.logging.Log;
import dev.userservice.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * A function whose SnapStart snapshot is taken warm, through the CRaC runtime hooks that Lambda's Java runtime
 * calls: before the snapshot it runs {@link #prime} once, on the thread that takes it, with nothing written (see
 * {@link Priming}) and no metrics emitted; after each restore it lets the wiring mend what a snapshot breaks
 * ({@link Wiring#afterRestore}). The hooks are registered only while Lambda initialises the function for a snapshot;
 * elsewhere (tests, the local runner) nothing calls them unless a caller does so on purpose. A function that runs
 * without SnapStart primes the same way at its on-demand init instead ({@link #primeWhenInitialisedOnDemand}).
 */
public abstract class SnapStartFunction implements Resource {
    private final Wiring wiring;

    // Registering hands out `this` before a subclass's constructor has run; the hooks run only after the runtime
    // has finished building the handler, long after construction.
    @SuppressWarnings("this-escape")
    protected SnapStartFunction(Wiring wiring) {
        this.wiring = wiring;
        if (wiring.initialisingSnapshot()) {
            Core.getGlobalContext().register(this);
        }
    }

    /**
     * The function's own work once, the way a request or an event would run it, refused or answered before it
     * changes anything: loads the classes, lets the JIT see the path and opens the clients' connections.
     */
    protected abstract void prime();

    /** Priming never fails the checkpoint: a snapshot taken cold is still a working one. */
    @Override
    public final void beforeCheckpoint(Context<? extends Resource> context) {
        primeOnce("primed for a SnapStart snapshot", "SnapStart priming failed; the snapshot is taken as it is");
    }

    /**
     * Primes now if Lambda is initialising this function on demand, which is how a function without SnapStart (one
     * no caller waits on) always starts. Lambda runs an on-demand init on a full vCPU but each invocation on the
     * memory's share of one (0.29 at 512 MB), so the clients, connections and code paths that the first event would
     * build throttled are built at full speed. A handler calls this last in its constructor, once its own parts are
     * set, which this class's constructor runs too early to do.
     */
    protected final void primeWhenInitialisedOnDemand() {
        if (wiring.initialisingOnDemand()) {
            primeOnce("primed at an on-demand init", "priming at init failed; the first event builds what it needs");
        }
    }

    private void primeOnce(String primed, String failed) {
        long started = System.nanoTime();
        try {
            Priming.run(this::prime);
            Log.info(primed, Map.of("priming_ms", (System.nanoTime() - started) / 1_000_000));
        } catch (RuntimeException e) {
            // The exception types only: a message may quote a secret or a connection string.
            Log.warn(failed, Map.of("error_types", causes(e)));
        } finally {
            Metrics.discard();
        }
    }

    /** What the subclass's {@link #prime} may use beyond its own parts. */
    protected final Wiring wiring() {
        return wiring;
    }

    @Override
    public final void afterRestore(Context<? extends Resource> context) {
        wiring.afterRestore();
    }

    private static List<String> causes(Throwable failure) {
        List<String> types = new ArrayList<>();
        for (Throwable cause = failure; cause != null && types.size() < 5; cause = cause.getCause()) {
            types.add(cause.getClass().getName());
        }
        return types;
    }
}
