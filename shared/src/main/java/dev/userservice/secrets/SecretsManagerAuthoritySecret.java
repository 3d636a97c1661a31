package dev.userservice.secrets;

import dev.userservice.auth.KeySetAuthoritySecret;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The key-set authority's private key in a Secrets Manager secret: its current version. */
public final class SecretsManagerAuthoritySecret implements KeySetAuthoritySecret {
    private final SecretsManagerClient secrets;
    private final String secretId;

    public SecretsManagerAuthoritySecret(SecretsManagerClient secrets, String secretId) {
        this.secrets = secrets;
        this.secretId = secretId;
    }

    @Override
    public Optional<String> read() {
        return Optional.ofNullable(secrets.getSecretValue(request -> request.secretId(secretId)).secretString());
    }

    @Override
    public void write(String privateKeyJson) {
        secrets.putSecretValue(request -> request.secretId(secretId).secretString(privateKeyJson));
    }
}
