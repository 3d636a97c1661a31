package dev.userservice.functions.auth;

import com.amazonaws.services.lambda.runtime.Context;
import dev.userservice.Services;
import dev.userservice.auth.KeySetPublication;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.Wiring;
import dev.userservice.triggers.InvokedFunction;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The scheduled publication (an EventBridge schedule): publishes the current verification keys again, signed for
 * another {@link KeySetPublication#VALIDITY}, so the set in the cache is trusted between rotations and a set put back
 * from before them is not. A run that fails throws: {@code BackgroundFunctionErrorsAlarm} watches it. Answers
 * {@code {"published": true|false}}: false before the first rotation has made a key, or when a rotation published
 * a set read later.
 *
 * <pre>java -jar local/target/local-api.jar invoke PublishKeySetFunction events/publish-key-set.json</pre>
 */
public final class PublishKeySetHandler extends InvokedFunction {
    private final Supplier<KeySetPublication> publication;

    public PublishKeySetHandler() {
        this(System.getenv());
    }

    public PublishKeySetHandler(Map<String, String> environment) {
        this(Services.of(environment));
        primeWhenInitialisedOnDemand();
    }

    private PublishKeySetHandler(Services services) {
        this(services::keySetPublication, services);
    }

    PublishKeySetHandler(Supplier<KeySetPublication> publication, Wiring wiring) {
        super(wiring);
        this.publication = publication;
    }

    /** The publication's work in memory: nothing is read or stored. */
    @Override
    protected void prime() {
        KeySetPublication.prime();
    }

    @Override
    protected Object answer(Map<String, Object> event, Context context) {
        boolean published = publication.get().publishCurrent();
        Log.info(published ? "verification keys published" : "verification keys not published: no key yet, or a newer set",
                Map.of("valid_for", KeySetPublication.VALIDITY.toString()));
        return Map.of("published", published);
    }
}
