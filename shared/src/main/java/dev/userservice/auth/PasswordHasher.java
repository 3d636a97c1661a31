package dev.userservice.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * bcrypt without its 72-byte limit: the password (NFKC-normalised, so the same characters typed differently
 * match) is first reduced with SHA-384 and base64-encoded to 64 ASCII bytes, which bcrypt reads whole. Every
 * character of a 256-character password counts, and no NUL byte can cut the input short.
 */
public final class PasswordHasher {
    private final int cost;
    /** Hashes of no one's password by cost, made once per container as first needed. */
    private final Map<Integer, byte[]> decoys = new ConcurrentHashMap<>();

    public PasswordHasher(int cost) {
        this.cost = cost;
    }

    public String hash(String password) {
        return hash(password, cost);
    }

    /**
     * A hash stored at a lower cost than today's (the cost raised since the password was set) is checked in a
     * fraction of the time an unknown email's decoy takes at today's cost, which would tell which emails are
     * registered; the check makes up the difference with decoy checks, so every check costs today's.
     */
    public boolean verify(String password, String hash) {
        byte[] prehashed = prehash(password);
        boolean verified = BCrypt.verifyer().verify(prehashed, hash.getBytes(StandardCharsets.UTF_8)).verified;
        storedCost(hash).ifPresent(stored -> madeUpCosts(stored, cost).forEach(missing ->
                BCrypt.verifyer().verify(prehashed, decoy(missing))));
        return verified;
    }

    /**
     * Whether {@code hash} was made at a lower cost than today's: the cost was raised since the password was set. A
     * sign-in that checked it stores {@link #hash} of the same password in its place.
     */
    public boolean isOutdated(String hash) {
        return storedCost(hash).map(stored -> stored < cost).orElse(false);
    }

    /**
     * Spends the time a real check would, for logins with an unknown email, so their answer takes as long as a
     * wrong password's and does not tell which emails are registered.
     */
    public void verifyDecoy(String password) {
        BCrypt.verifyer().verify(prehash(password), decoy(cost));
    }

    /**
     * The costs of the decoy checks that make a check at {@code stored} take as long as one at {@code target}:
     * bcrypt's work doubles with each step of cost, and 2^s + 2^s + 2^(s+1) + ... + 2^(t-1) = 2^t.
     */
    static List<Integer> madeUpCosts(int stored, int target) {
        return IntStream.range(stored, target).boxed().toList();
    }

    private static Optional<Integer> storedCost(String hash) {
        // $2b$11$ followed by the salt and the hash.
        return hash.length() > 7 && Character.isDigit(hash.charAt(4)) && Character.isDigit(hash.charAt(5))
                ? Optional.of(Integer.parseInt(hash.substring(4, 6))) : Optional.empty();
    }

    private byte[] decoy(int decoyCost) {
        return decoys.computeIfAbsent(decoyCost,
                missing -> hash("decoy password nobody has", missing).getBytes(StandardCharsets.UTF_8));
    }

    private static String hash(String password, int cost) {
        return new String(BCrypt.with(BCrypt.Version.VERSION_2B).hash(cost, prehash(password)), StandardCharsets.UTF_8);
    }

    private static byte[] prehash(String password) {
        try {
            String normalised = Normalizer.normalize(password, Normalizer.Form.NFKC);
            byte[] digest = MessageDigest.getInstance("SHA-384").digest(normalised.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encode(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
