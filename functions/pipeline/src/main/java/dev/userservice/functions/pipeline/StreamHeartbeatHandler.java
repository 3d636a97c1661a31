package dev.userservice.functions.pipeline;

import com.amazonaws.services.lambda.runtime.Context;
import dev.userservice.Services;
import dev.userservice.health.StreamHeartbeats;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.Wiring;
import dev.userservice.triggers.InvokedFunction;
import dev.userservice.triggers.StreamHeartbeat;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * The table stream's heartbeat (an EventBridge schedule, every 15 minutes): writes a new heartbeat item, whose insert
 * invokes both consumers of the stream however quiet the table is, so that StreamHeartbeatAlarm hears when either
 * stops reading it (see {@link StreamHeartbeat}). A beat that fails throws: BackgroundFunctionErrorsAlarm watches it,
 * and the consumers' silence fires StreamHeartbeatAlarm within the hour. Answers {@code {"beat": "<instant>"}}.
 *
 * <pre>java -jar local/target/local-api.jar invoke StreamHeartbeatFunction events/stream-heartbeat.json</pre>
 */
public final class StreamHeartbeatHandler extends InvokedFunction {
    private final StreamHeartbeats heartbeats;
    private final Clock clock;

    public StreamHeartbeatHandler() {
        this(System.getenv());
    }

    public StreamHeartbeatHandler(Map<String, String> environment) {
        this(Services.of(environment));
        primeWhenInitialisedOnDemand();
    }

    private StreamHeartbeatHandler(Services services) {
        this(services.streamHeartbeats(), services.clock(), services);
    }

    StreamHeartbeatHandler(StreamHeartbeats heartbeats, Clock clock, Wiring wiring) {
        super(wiring);
        this.heartbeats = heartbeats;
        this.clock = clock;
    }

    /** A beat the table refuses, and nothing more: the function may write beats only, so it has no warm-up read. */
    @Override
    protected void prime() {
        heartbeats.prime();
    }

    @Override
    protected Object answer(Map<String, Object> event, Context context) {
        Instant at = clock.instant();
        heartbeats.beat(at);
        Log.info("stream heartbeat written", Map.of("beat", at.toString()));
        return Map.of("beat", at.toString());
    }
}
