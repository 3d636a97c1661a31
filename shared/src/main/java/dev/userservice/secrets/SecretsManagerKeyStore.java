package dev.userservice.secrets;

import dev.userservice.auth.SigningKeyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The signing keys in a Secrets Manager secret: the current set is the version labelled AWSCURRENT, a rotation's
 * pending set the version labelled AWSPENDING, which Secrets Manager creates (without a value) before it calls the
 * rotation function, and a rotation finishes by moving AWSCURRENT onto it (Secrets Manager then moves AWSPREVIOUS
 * along).
 */
public final class SecretsManagerKeyStore implements SigningKeyStore {
    private static final String CURRENT = "AWSCURRENT";
    private static final String PENDING = "AWSPENDING";

    private final SecretsManagerClient secrets;
    private final String secretId;

    public SecretsManagerKeyStore(SecretsManagerClient secrets, String secretId) {
        this.secrets = secrets;
        this.secretId = secretId;
    }

    @Override
    public String current() {
        return secrets.getSecretValue(request -> request.secretId(secretId).versionStage(CURRENT)).secretString();
    }

    @Override
    public Stage stage(String version) {
        List<String> stages = versionsToStages().get(version);
        if (stages == null) {
            return Stage.NOT_STAGED;
        }
        if (stages.contains(CURRENT)) {
            return Stage.CURRENT;
        }
        return stages.contains(PENDING) ? Stage.PENDING : Stage.NOT_STAGED;
    }

    @Override
    public Optional<String> pending(String version) {
        try {
            return Optional.of(secrets.getSecretValue(request -> request.secretId(secretId).versionId(version)
                    .versionStage(PENDING)).secretString());
        } catch (ResourceNotFoundException notStoredYet) {
            return Optional.empty();
        }
    }

    @Override
    public void putPending(String version, String keySet) {
        secrets.putSecretValue(request -> request.secretId(secretId).clientRequestToken(version)
                .secretString(keySet).versionStages(PENDING));
    }

    @Override
    public void promote(String version) {
        String currentVersion = versionsToStages().entrySet().stream()
                .filter(entry -> entry.getValue().contains(CURRENT))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
        secrets.updateSecretVersionStage(request -> request.secretId(secretId).versionStage(CURRENT)
                .moveToVersionId(version).removeFromVersionId(currentVersion));
    }

    private Map<String, List<String>> versionsToStages() {
        return secrets.describeSecret(request -> request.secretId(secretId)).versionIdsToStages();
    }
}
