package dev.userservice.auth;

import java.util.Optional;

/**
 * Where the signing keys are kept, in the versions a rotation needs: the current set every function reads, and the
 * pending set a rotation prepares under its version id, tests, and then makes current. Secrets Manager keeps them
 * in the cloud (versions and staging labels); a file does on a developer machine, so rotation runs there too.
 */
public interface SigningKeyStore {
    /** Where a rotation's version stands. */
    enum Stage {
        /** The version is the current set: its rotation has finished. */
        CURRENT,
        /** A rotation of this version has begun and not finished. */
        PENDING,
        /** No rotation of this version has begun. */
        NOT_STAGED
    }

    /** The current key set, as every function reads it. */
    String current();

    /** Where the version {@code version} stands; reads no key. */
    Stage stage(String version);

    /** The pending set of {@code version}, once stored. */
    Optional<String> pending(String version);

    /** Stores {@code keySet} as the pending set of {@code version}. */
    void putPending(String version, String keySet);

    /** Makes the pending set of {@code version} the current one. */
    void promote(String version);
}
