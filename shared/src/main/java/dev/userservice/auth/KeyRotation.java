package dev.userservice.auth;

import java.util.Optional;
import java.util.UUID;

/**
 * The signing keys' rotation as Secrets Manager drives it: one step of its four-step protocol per call
 * (createSecret, setSecret, testSecret, finishSecret), each safe to repeat, as Secrets Manager retries them. The
 * pending set is the current one rotated ({@link SigningKeys#rotate}): its next key becomes current, so the key
 * that signs after the rotation is one verifiers have had since the rotation before. The local runner drives the
 * same steps against its file. Where the verification keys are published ({@link KeySetPublication}), finishing a
 * rotation publishes the new set before it makes it current, so no key signs before verifiers have it, and again
 * once it is current; a finish Secrets Manager retries publishes it again, since the attempt before may have made
 * the set current and failed to publish it.
 */
public final class KeyRotation {
    private final SigningKeyStore store;
    private final Optional<KeySetPublication> publication;

    public KeyRotation(SigningKeyStore store, Optional<KeySetPublication> publication) {
        this.store = store;
        this.publication = publication;
    }

    /** One step of the protocol for the rotation {@code version}; throws when it must be retried. */
    public void step(String version, String step) {
        switch (store.stage(version)) {
            case CURRENT -> {
                if (step.equals("finishSecret")) {
                    publish(); // finished by an earlier attempt, which may have failed to publish
                }
                return;
            }
            case NOT_STAGED -> throw new IllegalStateException("Key set version " + version + " is not staged for rotation");
            case PENDING -> { }
        }
        switch (step) {
            case "createSecret" -> {
                if (store.pending(version).isEmpty()) {
                    store.putPending(version, SigningKeys.rotate(store.current()));
                }
            }
            case "setSecret" -> { } // the keys are read by this service only; nothing else to configure
            case "testSecret" -> test(store.pending(version).orElseThrow(
                    () -> new IllegalStateException("Key set version " + version + " has no pending set to test")));
            case "finishSecret" -> {
                // Published before it signs: a publication that fails leaves the rotation unfinished, not a key
                // signing that verifiers lack (as after a rotation whose own publication failed, another followed).
                String pending = store.pending(version).orElseThrow(
                        () -> new IllegalStateException("Key set version " + version + " has no pending set to finish"));
                publication.ifPresent(keys -> keys.publishPending(pending));
                store.promote(version);
                publish();
            }
            default -> throw new IllegalArgumentException("Unknown rotation step " + step);
        }
    }

    /**
     * A key set rotated and tested in memory (the key generation and JWK work of createSecret and testSecret), and
     * the store asked where a version stands, as every step starts; nothing is stored.
     */
    public void prime() {
        test(SigningKeys.rotate(SigningKeys.rotate(SigningKeys.generateKeySetJson())));
        store.stage(UUID.randomUUID().toString());
    }

    private void publish() {
        publication.ifPresent(KeySetPublication::publishCurrent);
    }

    private static void test(String pending) {
        if (!SigningKeys.canSign(pending)) {
            throw new IllegalStateException("The pending key set has no ES256 signing key");
        }
        if (!SigningKeys.publishesNextKey(pending)) {
            throw new IllegalStateException("The pending key set publishes no next key");
        }
    }
}
