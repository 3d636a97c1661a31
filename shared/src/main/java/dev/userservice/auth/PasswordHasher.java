package dev.userservice.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Base64;

/**
 * bcrypt without its 72-byte limit: the password (NFKC-normalised, so the same characters typed differently
 * match) is first reduced with SHA-384 and base64-encoded to 64 ASCII bytes, which bcrypt reads whole. Every
 * character of a 256-character password counts, and no NUL byte can cut the input short.
 */
public final class PasswordHasher {
    private final int cost;
    private volatile byte[] decoyHash;

    public PasswordHasher(int cost) {
        this.cost = cost;
    }

    public String hash(String password) {
        return new String(BCrypt.with(BCrypt.Version.VERSION_2B).hash(cost, prehash(password)), StandardCharsets.UTF_8);
    }

    public boolean verify(String password, String hash) {
        return BCrypt.verifyer().verify(prehash(password), hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /**
     * Spends the time a real check would, for logins with an unknown email, so their answer takes as long as a
     * wrong password's and does not tell which emails are registered.
     */
    public void verifyDecoy(String password) {
        byte[] decoy = decoyHash;
        if (decoy == null) {
            decoy = hash("decoy password nobody has").getBytes(StandardCharsets.UTF_8);
            decoyHash = decoy;
        }
        BCrypt.verifyer().verify(prehash(password), decoy);
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
