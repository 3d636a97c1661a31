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
 * elsewhere (tests, the local runner) nothing calls them unless a caller does so on purpose.
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
        long started = System.nanoTime();
        try {
            Priming.run(this::prime);
            Log.info("primed for a SnapStart snapshot", Map.of("priming_ms", (System.nanoTime() - started) / 1_000_000));
        } catch (RuntimeException e) {
            // The exception types only: a message may quote a secret or a connection string.
            Log.warn("SnapStart priming failed; the snapshot is taken as it is", Map.of("error_types", causes(e)));
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
