package dev.userservice.auth;

import com.nimbusds.jose.jwk.ECKey;
import dev.userservice.concurrency.Once;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The key with which a function that holds no signing key signs the token of nobody its SnapStart priming sends
 * through the token check. It is made in memory at its first use, never stored or published, and trusted only
 * while {@code priming} says the current thread is priming: no request can present a token it signed, so a
 * function that only verifies tokens needs no right to read the signing keys, not even to prime.
 */
public final class PrimingKey {
    private final BooleanSupplier priming;
    private final Clock clock;
    private final Once<SigningKeys> key = new Once<>();

    public PrimingKey(BooleanSupplier priming, Clock clock) {
        this.priming = priming;
        this.clock = clock;
    }

    /** A set of this one key, to sign the token of nobody with. */
    public SigningKeys signingKeys() {
        return key.get(() -> {
            String set = JwkSetJson.write(List.of(SigningKeys.newKey()), null);
            return new SigningKeys(() -> set, clock);
        });
    }

    /**
     * {@code verificationKey}, and this key on a thread that is priming. The verification keys are asked first, so
     * priming reads them as a request does.
     */
    public Function<String, Optional<ECKey>> trustedBeside(Function<String, Optional<ECKey>> verificationKey) {
        return keyId -> {
            Optional<ECKey> found = verificationKey.apply(keyId);
            return found.isEmpty() && priming.getAsBoolean() ? signingKeys().verificationKey(keyId) : found;
        };
    }
}
