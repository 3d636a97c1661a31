package dev.userservice.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.userservice.http.ApiException;
import dev.userservice.http.ErrorCode;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and verifies access tokens: JWTs signed with ES256 under a {@code kid}, typed {@code at+jwt} (RFC 9068)
 * so no other kind of token passes for one. Verification accepts exactly what this service issues and refuses
 * everything else with 401 {@code unauthorized}: other algorithms ({@code none}, HMAC), embedded or remote keys
 * ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}), unknown keys, foreign issuers or audiences, and tokens
 * outside their lifetime.
 */
public final class AccessTokens {
    public static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final int MAX_TOKEN_LENGTH = 8 * 1024;

    private final SigningKeys keys;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Clock clock;

    public AccessTokens(SigningKeys keys, String issuer, String audience, Duration lifetime, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A signed access token and how long it lives. */
    public record Issued(String token, Duration lifetime) {}

    public Issued issue(String subject, String sessionId, Set<Role> roles, boolean emailVerified) {
        ECKey key = keys.signingKey();
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(subject)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim("roles", roles.stream().map(Role::claim).sorted().toList())
                .claim("email_verified", emailVerified);
        if (sessionId != null) {
            claims.claim("sid", sessionId);
        }
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(TYPE).build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign an access token", e);
        }
        return new Issued(jwt.serialize(), lifetime);
    }

    /** The token's caller, if this service issued it and it is still within its lifetime; sessions are checked elsewhere. */
    public Principal verify(String token) {
        try {
            if (token.length() > MAX_TOKEN_LENGTH) {
                throw refused();
            }
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader header = jwt.getHeader();
            if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())
                    || !TYPE.equals(header.getType())
                    || header.getJWK() != null
                    || header.getJWKURL() != null
                    || header.getX509CertURL() != null
                    || header.getX509CertChain() != null
                    || header.getKeyID() == null) {
                throw refused();
            }
            ECKey key = keys.verificationKey(header.getKeyID()).orElseThrow(AccessTokens::refused);
            if (!jwt.verify(new ECDSAVerifier(key.toECPublicKey()))) {
                throw refused();
            }
            return principalOf(jwt.getJWTClaimsSet());
        } catch (ParseException | JOSEException | ClassCastException | IllegalArgumentException e) {
            throw refused();
        }
    }

    private Principal principalOf(JWTClaimsSet claims) throws ParseException {
        Instant now = clock.instant();
        Date expiry = claims.getExpirationTime();
        Date notBefore = claims.getNotBeforeTime();
        Date issuedAt = claims.getIssueTime();
        if (!issuer.equals(claims.getIssuer())
                || claims.getAudience() == null || !claims.getAudience().contains(audience)
                || claims.getSubject() == null || claims.getSubject().isBlank()
                || claims.getJWTID() == null
                || expiry == null || !expiry.toInstant().plus(CLOCK_SKEW).isAfter(now)
                || issuedAt == null || issuedAt.toInstant().isAfter(now.plus(CLOCK_SKEW))
                || (notBefore != null && notBefore.toInstant().isAfter(now.plus(CLOCK_SKEW)))) {
            throw refused();
        }
        List<String> roleClaims = claims.getStringListClaim("roles");
        if (roleClaims == null || roleClaims.isEmpty()) {
            throw refused();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String claim : roleClaims) {
            roles.add(Role.fromClaim(claim).orElseThrow(AccessTokens::refused));
        }
        String sessionId = claims.getStringClaim("sid");
        if (sessionId == null && !roles.equals(EnumSet.of(Role.SERVICE))) {
            throw refused();
        }
        Boolean emailVerified = claims.getBooleanClaim("email_verified");
        return new Principal(claims.getSubject(), sessionId, Set.copyOf(roles), Boolean.TRUE.equals(emailVerified),
                claims.getJWTID(), expiry.toInstant());
    }

    private static ApiException refused() {
        return new ApiException(ErrorCode.UNAUTHORIZED, "The access token is invalid or has expired");
    }
}
