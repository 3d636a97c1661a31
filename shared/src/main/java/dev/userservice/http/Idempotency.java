package dev.userservice.http;

import dev.userservice.auth.Principal;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code Idempotency-Key} on the POST routes that opt in ({@link HttpFunction#replaysRetries}): the same key with the
 * same request within 24 hours answers the first response again and does nothing twice; the same key with another
 * request, or while the first is still running, is refused with 409 {@code idempotency_conflict}.
 *
 * <p>A key belongs to whoever could have sent the first request, so nobody else can read its answer or block it:
 * on an authenticated route to the caller (a user's session, or a service client) and the request's path; on a
 * public route, where anyone may send any key, to the request itself (path, query and body), so a stranger's
 * request under the same key is simply another record. A stored response is encrypted with a key derived from the
 * whole request, so only a client repeating that exact request can read it back. Every claim is a write to the
 * table, and on a public route anyone may send one: there each counts against its client IP's allowance first.
 */
public final class Idempotency {
    public static final Duration RETENTION = Duration.ofHours(24);
    /** Longer than any function's timeout, so a live request is never taken over. */
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final int MAX_KEY_LENGTH = 128;
    private static final int NONCE_BYTES = 12;

    private final IdempotencyStore store;
    private final Clock clock;
    /** Counts a public route's claim against the client IP's allowance; throws (429) over it. */
    private final Consumer<String> countPublicClaim;
    private final SecureRandom random = new SecureRandom();

    public Idempotency(IdempotencyStore store, Clock clock, Consumer<String> countPublicClaim) {
        this.store = store;
        this.clock = clock;
        this.countPublicClaim = countPublicClaim;
    }

    public HttpResponse execute(HttpRequest request, String key, Supplier<HttpResponse> action) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw ServiceException.validation("Idempotency-Key", "must be 1 to 128 printable ASCII characters");
        }
        String scope = request.routeKey() + "\n" + request.path() + "\n" + callerOf(request.principal()) + "\n" + key;
        byte[] requestDigest = sha256(scope.getBytes(StandardCharsets.UTF_8), canonicalQuery(request), request.body());
        // No caller on a public route: the body scopes the key there, so a guessed key never meets the owner's request.
        String id = base64(request.principal() == null
                ? sha256(bytes("public id"), requestDigest)
                : sha256(bytes("id"), scope.getBytes(StandardCharsets.UTF_8)));
        String fingerprint = base64(sha256(bytes("fingerprint"), requestDigest));
        byte[] encryptionKey = sha256(bytes("encryption"), requestDigest);

        if (request.principal() == null) {
            countPublicClaim.accept(request.sourceIp());
        }
        Instant now = clock.instant();
        IdempotencyStore.Claim claim = store.claim(id, fingerprint, now, now.plus(LEASE), now.plus(RETENTION));
        if (claim instanceof IdempotencyStore.Existing existing) {
            if (!existing.fingerprint().equals(fingerprint) || existing.response() == null) {
                throw new ServiceException(ErrorCode.IDEMPOTENCY_CONFLICT);
            }
            return replay(decrypt(encryptionKey, existing.response()), request);
        }
        HttpResponse response;
        try {
            response = action.get();
        } catch (RuntimeException e) {
            release(id).ifPresent(e::addSuppressed);
            throw e;
        }
        // Nothing was done, or it may be done on a retry: a server failure, a limit the client must wait out, or a
        // body of another media type, which the key's fingerprint does not see (it covers the body, not its headers).
        if (response.status() >= 500 || response.status() == ErrorCode.RATE_LIMITED.status()
                || response.status() == ErrorCode.UNSUPPORTED_MEDIA_TYPE.status()) {
            release(id);
        } else {
            try {
                store.complete(id, encrypt(encryptionKey, Json.writeBytes(stored(response))));
            } catch (RuntimeException e) {
                // The action is done: its answer goes back, or the client would take a failure and repeat it. A
                // retry meets the record in progress (409) until its lease runs out, and then runs again.
                Log.error("idempotent response not stored", Map.of("status", response.status()), e);
            }
        }
        return response;
    }

    /**
     * Frees the key, so a retry runs the action again. Should the table fail to, the answer or failure stands all the
     * same (it is what happened): a retry meets the record in progress (409) until its lease runs out, and then runs.
     */
    private Optional<RuntimeException> release(String id) {
        try {
            store.release(id);
            return Optional.empty();
        } catch (RuntimeException e) {
            Log.error("idempotency key not released; a retry waits out its lease", Map.of(), e);
            return Optional.of(e);
        }
    }

    private static Map<String, Object> stored(HttpResponse response) {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.remove("X-Request-Id");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", response.status());
        json.put("headers", headers);
        json.put("body", response.body());
        json.put("error", response.error());
        return json;
    }

    @SuppressWarnings("unchecked")
    private static HttpResponse replay(byte[] plaintext, HttpRequest request) {
        Map<String, Object> json = Json.parseObject(new String(plaintext, StandardCharsets.UTF_8));
        Map<String, String> headers = new LinkedHashMap<>((Map<String, String>) json.get("headers"));
        headers.put("X-Request-Id", request.requestId());
        headers.put("Idempotent-Replayed", "true");
        return new HttpResponse(((Number) json.get("status")).intValue(), headers, (String) json.get("body"), (String) json.get("error"));
    }

    private static byte[] canonicalQuery(HttpRequest request) {
        return Json.writeBytes(new TreeMap<>(request.query()));
    }

    private byte[] encrypt(byte[] key, byte[] plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    private static byte[] decrypt(byte[] key, byte[] stored) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, stored, 0, NONCE_BYTES));
            return cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            // Same fingerprint but unreadable: another request's record; never replay it.
            throw new ServiceException(ErrorCode.IDEMPOTENCY_CONFLICT);
        }
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(ByteBuffer.allocate(4).putInt(part.length).array());
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String label) {
        return label.getBytes(StandardCharsets.UTF_8);
    }

    private static String base64(byte[] value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    /** A user's session (a retry comes from the session that sent the first request), or a service client. */
    private static String callerOf(Principal principal) {
        if (principal == null) {
            return "-";
        }
        return principal.sessionId() == null ? principal.subject() : principal.subject() + "\n" + principal.sessionId();
    }
}
