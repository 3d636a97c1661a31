package dev.userservice.auth;

/**
 * The signing keys' rotation as Secrets Manager drives it: one step of its four-step protocol per call
 * (createSecret, setSecret, testSecret, finishSecret), each safe to repeat. The key store decides how a step is
 * carried out; the rotation function only hands the steps on.
 */
public interface KeyRotation {
    /** One step of the protocol for the version {@code token} of {@code secretId}; throws when it must be retried. */
    void step(String secretId, String token, String step);

    /** The rotation's work once with nothing stored, so a snapshot holds its code paths warm. */
    void prime();
}
