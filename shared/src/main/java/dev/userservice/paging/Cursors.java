package dev.userservice.paging;

import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.auth.SecureTokens;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-checked cursors for the contract's unbounded lists ({@code ?cursor=}, {@code meta.next_cursor}).
 * A cursor is {@code base64url(nonce) "." base64url(AES-256-GCM of the position's JSON)}, the name of the listing
 * authenticated with it, so a cursor of one list (or of another deployment) is refused by every other list. The
 * position is sealed, not only signed: a search stops where its last index page did, and that place may be an account
 * the caller is not shown (a private name), whose key a readable cursor would give away.
 *
 * <p>The secrets come from the caller (the service's are {@code auth.CursorSecrets}): the first seals, any opens. A
 * cursor sealed under a secret that has since been dropped is refused with 400 and the client starts the listing
 * over, which is acceptable for a position that is only useful for minutes.
 */
public final class Cursors {
    public static final int DEFAULT_LIMIT = 20;
    /** The earlier services' name for {@code ?limit=}, read as it on every paged list, page- or cursor-paged. */
    public static final String PAGE_SIZE = "page_size";
    public static final int MAX_LIMIT = 100;
    /**
     * Longer than any cursor this service issues (the longest, a filtered user listing's, holds an email and an email
     * prefix of up to 254 characters each: some 4,300 characters when both are written escaped); longer input is
     * refused before any work.
     */
    public static final int MAX_LENGTH = 6144;
    private static final String FIELD = "cursor";
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Supplier<List<byte[]>> secrets;

    /** {@code secrets}: the one that seals first, then any others a cursor may have been sealed with. */
    public Cursors(Supplier<List<byte[]>> secrets) {
        this.secrets = secrets;
    }

    /** One page of an unbounded list and its {@code meta}: {@code {"limit", "has_next", "next_cursor"}}. */
    public record Page(List<?> items, int limit, Optional<String> nextCursor) {
        public Map<String, Object> meta() {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("limit", limit);
            meta.put("has_next", nextCursor.isPresent());
            meta.put("next_cursor", nextCursor.orElse(null));
            return meta;
        }
    }

    /** The cursor that resumes {@code listing} after {@code position}. */
    public String seal(String listing, Map<String, Object> position) {
        byte[] nonce = SecureTokens.randomBytes(NONCE_BYTES);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, secrets.get().getFirst(), listing, nonce).doFinal(Json.writeBytes(position));
            return ENCODER.encodeToString(nonce) + "." + ENCODER.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * The position a cursor of {@code listing} names; 400 {@code validation_failed} on {@code cursor} for one that
     * was altered, belongs to another list, was sealed with another key, or is not a cursor at all.
     */
    public Map<String, Object> open(String listing, String cursor) {
        int dot = cursor.indexOf('.');
        if (cursor.length() > MAX_LENGTH || dot <= 0 || dot != cursor.lastIndexOf('.')) {
            throw invalid();
        }
        try {
            byte[] nonce = Base64.getUrlDecoder().decode(cursor.substring(0, dot));
            if (nonce.length != NONCE_BYTES) {
                throw invalid();
            }
            byte[] sealed = Base64.getUrlDecoder().decode(cursor.substring(dot + 1));
            byte[] json = null;
            for (byte[] secret : secrets.get()) {
                try {
                    json = cipher(Cipher.DECRYPT_MODE, secret, listing, nonce).doFinal(sealed);
                    break;
                } catch (AEADBadTagException sealedUnderAnotherKey) {
                    // the next secret, if any
                }
            }
            if (json == null || !(Json.parse(json) instanceof Map<?, ?> map)) {
                throw invalid();
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            return typed;
        } catch (IllegalArgumentException | Json.MalformedJsonException e) {
            throw invalid();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** A {@code ?limit=} value: a whole number from 1 to {@value #MAX_LIMIT}; a parser for {@code Fields}. */
    public static int limit(String text) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("must be a whole number from 1 to " + MAX_LIMIT);
        }
        int limit = Integer.parseInt(text);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("must be a whole number from 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    /** The refusal of a cursor that is not valid here, from any cause: the client starts the listing over. */
    public static ServiceException invalid() {
        return ServiceException.validation(FIELD, "is not a valid cursor for this list; start again without it");
    }

    /** AES-GCM under a key of its own derived from the secret, with the listing's name as authenticated data. */
    private static Cipher cipher(int mode, byte[] secret, String listing, byte[] nonce) throws GeneralSecurityException {
        Mac derivation = Mac.getInstance("HmacSHA256");
        derivation.init(new SecretKeySpec(secret, "HmacSHA256"));
        byte[] key = derivation.doFinal("list cursors v2".getBytes(StandardCharsets.US_ASCII));
        Cipher cipher = Cipher.getInstance(CIPHER);
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(listing.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
