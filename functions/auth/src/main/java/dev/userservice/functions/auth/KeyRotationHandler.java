package dev.userservice.functions.auth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.Services;
import dev.userservice.auth.SigningKeys;
import dev.userservice.aws.AwsClients;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.SnapStartFunction;
import dev.userservice.snapstart.Wiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Rotates the JWT signing keys in Secrets Manager, following its four-step rotation protocol
 * (createSecret, setSecret, testSecret, finishSecret). The new set signs with a fresh key and keeps the previous
 * one, so tokens issued before the rotation still verify until they expire. Every step is safe to repeat, as
 * Secrets Manager retries them.
 */
public final class KeyRotationHandler extends SnapStartFunction implements RequestStreamHandler {
    private static final String CURRENT = "AWSCURRENT";
    private static final String PENDING = "AWSPENDING";

    private final SecretsManagerClient secrets;
    /** The key set this deployment signs with, which its rotation schedule rotates; absent in local runs. */
    private final Optional<String> rotatedSecret;

    public KeyRotationHandler() {
        this(System.getenv());
    }

    public KeyRotationHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    private KeyRotationHandler(Services services) {
        this(AwsClients.secretsManager(services.config()), services.config().jwtKeysSecretArn(), services);
    }

    KeyRotationHandler(SecretsManagerClient secrets, Optional<String> rotatedSecret, Wiring wiring) {
        super(wiring);
        this.secrets = secrets;
        this.rotatedSecret = rotatedSecret;
    }

    /**
     * A rotation event read as a real one, a key set rotated and tested in memory (the key generation and JWK work
     * of createSecret and testSecret), and the rotated secret described, as every step starts; nothing is stored.
     */
    @Override
    protected void prime() {
        Json.parseObject(Json.write(Map.of("SecretId", "snapstart-priming", "ClientRequestToken", UUID.randomUUID().toString(),
                "Step", "testSecret")));
        if (!SigningKeys.canSign(SigningKeys.rotate(SigningKeys.generateKeySetJson()))) {
            throw new IllegalStateException("A rotated key set cannot sign");
        }
        rotatedSecret.ifPresent(secretId -> secrets.describeSecret(request -> request.secretId(secretId)));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, Object> event = Json.parseObject(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        String secretId = String.valueOf(event.get("SecretId"));
        String token = String.valueOf(event.get("ClientRequestToken"));
        String step = String.valueOf(event.get("Step"));
        Log.info("key rotation step", Map.of("step", step, "secret", secretId));
        rotate(secretId, token, step);
        output.write("null".getBytes(StandardCharsets.UTF_8));
    }

    void rotate(String secretId, String token, String step) {
        DescribeSecretResponse secret = secrets.describeSecret(request -> request.secretId(secretId));
        List<String> stages = secret.versionIdsToStages().get(token);
        if (stages == null) {
            throw new IllegalStateException("Secret version " + token + " is not staged for rotation");
        }
        if (stages.contains(CURRENT)) {
            return;
        }
        if (!stages.contains(PENDING)) {
            throw new IllegalStateException("Secret version " + token + " is not AWSPENDING");
        }
        switch (step) {
            case "createSecret" -> createPending(secretId, token);
            case "setSecret" -> { } // the keys are read by this service only; nothing else to configure
            case "testSecret" -> testPending(secretId, token);
            case "finishSecret" -> promote(secretId, token, secret);
            default -> throw new IllegalArgumentException("Unknown rotation step " + step);
        }
    }

    private void createPending(String secretId, String token) {
        try {
            secrets.getSecretValue(request -> request.secretId(secretId).versionId(token).versionStage(PENDING));
            return; // created by an earlier attempt of this step
        } catch (ResourceNotFoundException expected) {
            // not created yet
        }
        String current = secrets.getSecretValue(request -> request.secretId(secretId).versionStage(CURRENT)).secretString();
        String rotated = SigningKeys.rotate(current);
        secrets.putSecretValue(request -> request.secretId(secretId).clientRequestToken(token)
                .secretString(rotated).versionStages(PENDING));
    }

    private void testPending(String secretId, String token) {
        String pending = secrets.getSecretValue(request -> request.secretId(secretId).versionId(token).versionStage(PENDING)).secretString();
        if (!SigningKeys.canSign(pending)) {
            throw new IllegalStateException("The pending key set has no ES256 signing key");
        }
    }

    private void promote(String secretId, String token, DescribeSecretResponse secret) {
        String currentVersion = secret.versionIdsToStages().entrySet().stream()
                .filter(version -> version.getValue().contains(CURRENT))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
        secrets.updateSecretVersionStage(request -> request.secretId(secretId).versionStage(CURRENT)
                .moveToVersionId(token).removeFromVersionId(currentVersion));
    }
}
