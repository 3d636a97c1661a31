package dev.userservice.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.ECKey;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Issues and verifies access tokens: JWTs signed with ES256 under a {@code kid}, typed {@code at+jwt} (RFC 9068)
 * so no other kind of token passes for one. Verification accepts exactly what this service issues and refuses
 * everything else with 401 {@code unauthorized}: other algorithms ({@code none}, HMAC), embedded or remote keys
 * ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}), critical extensions ({@code crit}) or any other header
 * member, unknown keys, other spellings of a token (padding, whitespace, duplicate JSON members; see
 * {@link CompactJws}), foreign issuers or audiences, claims of another type than this service writes, a
 * {@code token_type} other than its own, and tokens outside their lifetime or living longer than it issues them for
 * (a lowered {@code ACCESS_TOKEN_TTL_SECONDS} holds for tokens issued before it too).
 */
public final class AccessTokens {
    public static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final int MAX_TOKEN_LENGTH = 8 * 1024;
    private static final String TOKEN_TYPE = "access";

    private final Supplier<SigningKeys> signing;
    private final Function<String, Optional<ECKey>> verificationKey;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Clock clock;

    /** Tokens signed and verified with the same keys, as where the keys are not published. */
    public AccessTokens(SigningKeys keys, String issuer, String audience, Duration lifetime, Clock clock) {
        this(() -> keys, keys::verificationKey, issuer, audience, lifetime, clock);
    }

    /**
     * Tokens signed with the private keys and verified with the key {@code verificationKey} finds by its id, among
     * the published ones ({@code secrets.PublishedKeys}) in a deployment. The private keys are asked for at their
     * first use, so a function that only verifies never reads them.
     */
    public AccessTokens(Supplier<SigningKeys> signing, Function<String, Optional<ECKey>> verificationKey, String issuer,
            String audience, Duration lifetime, Clock clock) {
        this.signing = signing;
        this.verificationKey = verificationKey;
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A signed access token and how long it lives. */
    public record Issued(String token, Duration lifetime) {
        /** Every component but token, which the generated text would print wherever the record is logged. */
        @Override
        public String toString() {
            return "Issued[token=<redacted>, lifetime=" + lifetime + "]";
        }
    }

    public Issued issue(String subject, String sessionId, Set<Role> roles, boolean emailVerified) {
        ECKey key = signing.get().signingKey();
        Instant now = clock.instant();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("sub", subject);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plus(lifetime).getEpochSecond());
        claims.put("roles", roles.stream().map(Role::claim).sorted().toList());
        claims.put("email_verified", emailVerified);
        // Simple JWT, with which the earlier Django services' peers check tokens, refuses one without its type.
        claims.put("token_type", TOKEN_TYPE);
        if (sessionId != null) {
            claims.put("sid", sessionId);
        }
        try {
            return new Issued(CompactJws.sign(TYPE.getType(), claims, key), lifetime);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign an access token", e);
        }
    }

    /** The token's caller, if this service issued it and it is still within its lifetime; sessions are checked elsewhere. */
    public Principal verify(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw refused();
        }
        CompactJws jws = CompactJws.parse(token).orElseThrow(AccessTokens::refused);
        String keyId = jws.keyId(TYPE.getType()).orElseThrow(AccessTokens::refused);
        ECKey key = verificationKey.apply(keyId).orElseThrow(AccessTokens::refused);
        try {
            return principalOf(jws.payloadVerifiedWith(key).orElseThrow(AccessTokens::refused));
        } catch (JOSEException e) {
            throw refused();
        }
    }

    private Principal principalOf(Map<String, Object> claims) {
        Instant now = clock.instant();
        Instant expiry = numericDate(claims, "exp");
        Instant issuedAt = numericDate(claims, "iat");
        String subject = required(claims, "sub", String.class);
        if (!issuer.equals(required(claims, "iss", String.class))
                || !audiences(claims).contains(audience)
                || subject.isBlank()
                || !expiry.isAfter(now.minus(CLOCK_SKEW))
                || issuedAt.isAfter(now.plus(CLOCK_SKEW))
                || expiry.isAfter(issuedAt.plus(lifetime))
                || !TOKEN_TYPE.equals(required(claims, "token_type", String.class))
                || (claims.containsKey("nbf") && numericDate(claims, "nbf").isAfter(now.plus(CLOCK_SKEW)))) {
            throw refused();
        }
        Set<Role> roles = roles(claims);
        String sessionId = optional(claims, "sid", String.class, null);
        if (sessionId == null && !roles.equals(EnumSet.of(Role.SERVICE))) {
            throw refused();
        }
        boolean emailVerified = optional(claims, "email_verified", Boolean.class, false);
        return new Principal(subject, sessionId, Set.copyOf(roles), emailVerified, required(claims, "jti", String.class), expiry);
    }

    /** {@code aud} as RFC 7519 allows it: one string or an array of strings. */
    private static List<String> audiences(Map<String, Object> claims) {
        return claims.get("aud") instanceof String single ? List.of(single) : strings(required(claims, "aud", List.class));
    }

    private static Set<Role> roles(Map<String, Object> claims) {
        List<String> names = strings(required(claims, "roles", List.class));
        if (names.isEmpty()) {
            throw refused();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            roles.add(Role.fromClaim(name).orElseThrow(AccessTokens::refused));
        }
        return roles;
    }

    /** The items of a JSON array that holds only strings; any other item is refused. */
    private static List<String> strings(List<?> array) {
        List<String> strings = new ArrayList<>(array.size());
        for (Object item : array) {
            if (!(item instanceof String string)) {
                throw refused();
            }
            strings.add(string);
        }
        return strings;
    }

    /** A NumericDate claim as this service writes it: whole seconds since the epoch. */
    private static Instant numericDate(Map<String, Object> claims, String name) {
        long seconds = required(claims, name, Long.class);
        try {
            return Instant.ofEpochSecond(seconds);
        } catch (DateTimeException beyondInstantsRange) {
            throw refused();
        }
    }

    private static <T> T required(Map<String, Object> claims, String name, Class<T> type) {
        Object value = claims.get(name);
        if (!type.isInstance(value)) {
            throw refused();
        }
        return type.cast(value);
    }

    /** {@code whenAbsent} if the claim is absent; present with another type (JSON null included) it is refused. */
    private static <T> T optional(Map<String, Object> claims, String name, Class<T> type, T whenAbsent) {
        return claims.containsKey(name) ? required(claims, name, type) : whenAbsent;
    }

    private static ServiceException refused() {
        return new ServiceException(ErrorCode.UNAUTHORIZED, "The access token is invalid or has expired");
    }
}
