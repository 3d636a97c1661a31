package dev.userservice.functions.pipeline;

import com.amazonaws.services.lambda.runtime.Context;
import dev.userservice.Services;
import dev.userservice.devices.StaleDevices;
import dev.userservice.logging.Log;
import dev.userservice.triggers.InvokedFunction;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The daily pruning (an EventBridge schedule): deactivates, {@code stale}, the devices not seen for 270 days, read
 * from the stale-device index rather than a scan (see {@link StaleDevices}). A run stops while
 * {@link #RESERVE_MILLIS} of the function's time is left and says whether more remain; the next day's run goes on.
 * Answers {@code {"deactivated": n, "complete": true|false}}.
 *
 * <pre>java -jar local/target/local-api.jar invoke PruneStaleDevicesFunction events/prune-stale-devices.json</pre>
 */
public final class PruneStaleDevicesHandler extends InvokedFunction {
    /** Kept back from the timeout: one device takes a few round trips, so this leaves ample room to stop and answer. */
    static final long RESERVE_MILLIS = 30_000;

    private final StaleDevices staleDevices;

    public PruneStaleDevicesHandler() {
        this(System.getenv());
    }

    public PruneStaleDevicesHandler(Map<String, String> environment) {
        this(Services.of(environment));
        primeWhenInitialisedOnDemand();
    }

    PruneStaleDevicesHandler(Services services) {
        super(services);
        this.staleDevices = services.staleDevices();
    }

    /**
     * A run given time for one step only: it reads the newest month of stale devices, as every run starts, and
     * stops before deactivating any. Then the container's warm-up.
     */
    @Override
    protected void prime() {
        AtomicBoolean firstStep = new AtomicBoolean(true);
        staleDevices.prune(() -> firstStep.getAndSet(false));
        wiring().warmUp();
    }

    @Override
    protected Object answer(Map<String, Object> event, Context context) {
        StaleDevices.Result result = staleDevices.prune(
                () -> context == null || context.getRemainingTimeInMillis() > RESERVE_MILLIS);
        Log.info(result.complete() ? "stale devices pruned" : "stale devices pruned in part; more remain for the next run",
                Map.of("deactivated", result.deactivated(), "complete", result.complete(), "failed", result.failed(),
                        "cutoff", staleDevices.cutoff().toString()));
        if (result.failed() > 0) {
            // An invocation error, which BackgroundFunctionErrorsAlarm watches: a deactivation that always fails would
            // otherwise leave every stale device in place, day after day, with nothing but log lines to say so.
            throw new IllegalStateException(result.failed() + " stale devices could not be deactivated; the log has each");
        }
        return Map.of("deactivated", result.deactivated(), "complete", result.complete());
    }
}
