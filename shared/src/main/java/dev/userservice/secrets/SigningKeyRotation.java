package dev.userservice.secrets;

import dev.userservice.auth.KeyRotation;
import dev.userservice.auth.SigningKeys;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Rotates the JWT signing keys in Secrets Manager, following its four-step rotation protocol
 * (createSecret, setSecret, testSecret, finishSecret). The new set signs with a fresh key and keeps the previous
 * one, so tokens issued before the rotation still verify until they expire. Every step is safe to repeat, as
 * Secrets Manager retries them.
 */
public final class SigningKeyRotation implements KeyRotation {
    private static final String CURRENT = "AWSCURRENT";
    private static final String PENDING = "AWSPENDING";

    private final SecretsManagerClient secrets;
    /** The key set this deployment signs with, which its rotation schedule rotates; absent in local runs. */
    private final Optional<String> rotatedSecret;

    public SigningKeyRotation(SecretsManagerClient secrets, Optional<String> rotatedSecret) {
        this.secrets = secrets;
        this.rotatedSecret = rotatedSecret;
    }

    @Override
    public void step(String secretId, String token, String step) {
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

    /**
     * A key set rotated and tested in memory (the key generation and JWK work of createSecret and testSecret), and
     * the rotated secret described, as every step starts; nothing is stored.
     */
    @Override
    public void prime() {
        if (!SigningKeys.canSign(SigningKeys.rotate(SigningKeys.generateKeySetJson()))) {
            throw new IllegalStateException("A rotated key set cannot sign");
        }
        rotatedSecret.ifPresent(secretId -> secrets.describeSecret(request -> request.secretId(secretId)));
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
