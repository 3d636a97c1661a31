package dev.userservice.auth;

import java.util.Optional;

/**
 * Where the key-set authority's private key is kept: a Secrets Manager secret in the cloud, a file on a developer
 * machine. Only the publishers read it ({@link KeySetPublication}).
 */
public interface KeySetAuthoritySecret {
    /** What the secret holds: the authority's private key once one was made, a placeholder before. */
    Optional<String> read();

    void write(String privateKeyJson);
}
