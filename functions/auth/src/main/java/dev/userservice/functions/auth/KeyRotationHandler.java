package dev.userservice.functions.auth;

import com.amazonaws.services.lambda.runtime.Context;
import dev.userservice.Services;
import dev.userservice.auth.KeyRotation;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.Wiring;
import dev.userservice.triggers.InvokedFunction;
import java.util.Map;
import java.util.UUID;

/**
 * Secrets Manager's rotation function for the JWT signing keys: each invocation is one step of the rotation
 * protocol ({@link KeyRotation}), and a step that fails throws, so Secrets Manager retries it.
 */
public final class KeyRotationHandler extends InvokedFunction {
    private final KeyRotation rotation;

    public KeyRotationHandler() {
        this(System.getenv());
    }

    public KeyRotationHandler(Map<String, String> environment) {
        this(Services.of(environment));
        primeWhenInitialisedOnDemand();
    }

    private KeyRotationHandler(Services services) {
        this(services.signingKeyRotation(), services);
    }

    KeyRotationHandler(KeyRotation rotation, Wiring wiring) {
        super(wiring);
        this.rotation = rotation;
    }

    /** A rotation event read as a real one, then the rotation's own priming: nothing is stored. */
    @Override
    protected void prime() {
        Json.parseObject(Json.write(Map.of("SecretId", "snapstart-priming", "ClientRequestToken", UUID.randomUUID().toString(),
                "Step", "testSecret")));
        rotation.prime();
    }

    @Override
    protected Object answer(Map<String, Object> event, Context context) {
        String secretId = String.valueOf(event.get("SecretId"));
        String step = String.valueOf(event.get("Step"));
        Log.info("key rotation step", Map.of("step", step, "secret", secretId));
        rotate(String.valueOf(event.get("ClientRequestToken")), step);
        return null;
    }

    /**
     * One step on the key store this function is configured with ({@code JWT_KEYS_SECRET_ARN}, or the key file
     * locally): Secrets Manager invokes it for that secret alone, and a version that secret has not staged is refused.
     */
    void rotate(String token, String step) {
        rotation.step(token, step);
    }
}
