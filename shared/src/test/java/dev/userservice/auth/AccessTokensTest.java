package dev.userservice.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.userservice.http.ApiException;
import dev.userservice.http.ErrorCode;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessTokensTest {
    private static final Instant NOW = Instant.parse("2025-01-15T10:00:00Z");
    private static final String ISSUER = "https://users.example.com";
    private static final String AUDIENCE = "user-service";
    private static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final String USER_ID = "5f0c2f4e-8a51-4a57-9d8e-3b1f6a0c9e21";
    private static final String SESSION_ID = "9a1b2c3d-0000-4000-8000-00000000abcd";

    private final String keySet = SigningKeys.generateKeySetJson();
    private final SigningKeys keys = new SigningKeys(() -> keySet, Clock.fixed(NOW, ZoneOffset.UTC));
    private final ECKey key = keys.signingKey();
    private final AccessTokens tokens = tokensAt(NOW);

    // ---- what is accepted

    @Test
    void issuedTokenVerifiesAsItsCaller() {
        String token = tokens.issue(USER_ID, SESSION_ID, Set.of(Role.USER), true).token();

        Principal caller = tokens.verify(token);

        assertEquals(USER_ID, caller.subject());
        assertEquals(SESSION_ID, caller.sessionId());
        assertEquals(Set.of(Role.USER), caller.roles());
        assertEquals(true, caller.emailVerified());
        assertEquals(NOW.plus(LIFETIME), caller.expiresAt());
        assertTrue(caller.isUser());
    }

    @Test
    void issuedTokenCarriesTheContractsHeaderAndClaims() throws ParseException {
        AccessTokens.Issued issued = tokens.issue(USER_ID, SESSION_ID, Set.of(Role.ADMIN, Role.USER), false);

        SignedJWT jwt = SignedJWT.parse(issued.token());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();

        assertEquals(LIFETIME, issued.lifetime());
        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        assertEquals(new JOSEObjectType("at+jwt"), jwt.getHeader().getType());
        assertEquals(key.getKeyID(), jwt.getHeader().getKeyID());
        assertEquals(ISSUER, claims.getIssuer());
        assertEquals(List.of(AUDIENCE), claims.getAudience());
        assertEquals(USER_ID, claims.getSubject());
        assertEquals(SESSION_ID, claims.getStringClaim("sid"));
        assertEquals(List.of("admin", "user"), claims.getStringListClaim("roles"));
        assertEquals(false, claims.getBooleanClaim("email_verified"));
        assertEquals(Date.from(NOW), claims.getIssueTime());
        assertEquals(Date.from(NOW.plus(LIFETIME)), claims.getExpirationTime());
        assertTrue(claims.getJWTID() != null && !claims.getJWTID().isBlank());
    }

    @Test
    void everyIssuedTokenHasItsOwnId() {
        Principal first = tokens.verify(tokens.issue(USER_ID, SESSION_ID, Set.of(Role.USER), true).token());
        Principal second = tokens.verify(tokens.issue(USER_ID, SESSION_ID, Set.of(Role.USER), true).token());

        assertNotEquals(first.tokenId(), second.tokenId());
    }

    @Test
    void serviceTokenWithoutASessionVerifies() {
        String token = tokens.issue("notification-pipeline", null, Set.of(Role.SERVICE), false).token();

        Principal caller = tokens.verify(token);

        assertEquals("notification-pipeline", caller.subject());
        assertEquals(null, caller.sessionId());
        assertTrue(caller.isService());
    }

    @Test
    void handCraftedTokenOfTheRightShapeIsAccepted() {
        // The refusals below each change one thing of this token, so each fails for the reason it names.
        Principal caller = tokens.verify(signed(header().build(), claims().build()));

        assertEquals(USER_ID, caller.subject());
    }

    @Test
    void tokenIsStillAcceptedWithinTheClockSkewAfterExpiry() {
        String token = tokens.issue(USER_ID, SESSION_ID, Set.of(Role.USER), true).token();

        Principal caller = tokensAt(NOW.plus(LIFETIME).plusSeconds(29)).verify(token);

        assertEquals(USER_ID, caller.subject());
    }

    // ---- algorithm and key confusion

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
    void unsignedTokenWithAlgNoneIsRefused(String alg) throws ParseException {
        String unsignedHeader = "{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\",\"kid\":\"" + key.getKeyID() + "\"}";
        String payload = claims().build().toString();
        String unsigned = base64Url(unsignedHeader) + "." + base64Url(payload) + ".";

        assertRefused(unsigned);
        assertRefused(unsigned + validToken().split("\\.")[2]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512"})
    void hmacSignedWithThePublicKeyAsSecretIsRefused(String alg) throws JOSEException {
        JWSHeader hmacHeader = new JWSHeader.Builder(JWSAlgorithm.parse(alg)).keyID(key.getKeyID()).type(AccessTokens.TYPE).build();
        List<byte[]> publicKeyForms = List.of(
                key.toECPublicKey().getEncoded(),
                key.toPublicJWK().toJSONString().getBytes(UTF_8),
                keys.publicJwks().toString().getBytes(UTF_8));

        for (byte[] secret : publicKeyForms) {
            assertRefused(sign(hmacHeader, claims().build(), new MACSigner(secret)));
        }
    }

    @Test
    void attackersKeyEmbeddedAsJwkIsNotTrusted() throws JOSEException {
        ECKey attacker = foreignKey(key.getKeyID());
        JWSHeader forged = header().jwk(attacker.toPublicJWK()).build();

        assertRefused(sign(forged, claims().build(), new ECDSASigner(attacker)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jwk", "jku", "x5u", "x5c"})
    void keyLocatingHeadersAreRefusedEvenWithAGoodSignature(String parameter) {
        // Signed with the real key (and jwk naming the real key), so only the rule against these headers refuses it.
        JWSHeader.Builder header = header();
        switch (parameter) {
            case "jwk" -> header.jwk(key.toPublicJWK());
            case "jku" -> header.jwkURL(URI.create("https://attacker.example/jwks.json"));
            case "x5u" -> header.x509CertURL(URI.create("https://attacker.example/cert.pem"));
            case "x5c" -> header.x509CertChain(List.of(Base64.encode("not really a certificate")));
            default -> throw new IllegalArgumentException(parameter);
        }

        assertRefused(signed(header.build(), claims().build()));
    }

    @Test
    void unknownKidIsRefused() {
        assertRefused(signed(header().keyID("a-key-nobody-published").build(), claims().build()));
    }

    @Test
    void missingKidIsRefused() {
        assertRefused(signed(new JWSHeader.Builder(JWSAlgorithm.ES256).type(AccessTokens.TYPE).build(), claims().build()));
    }

    @Test
    void tokenSignedByAnotherKeyUnderTheSameKidIsRefused() throws JOSEException {
        ECKey impostor = foreignKey(key.getKeyID());

        assertRefused(sign(header().build(), claims().build(), new ECDSASigner(impostor)));
    }

    // ---- claims

    @Test
    void foreignIssuerIsRefused() {
        assertRefused(signed(claims().issuer("https://evil.example.com").build()));
    }

    @Test
    void foreignAudienceIsRefused() {
        assertRefused(signed(claims().audience("another-service").build()));
    }

    @Test
    void missingAudienceIsRefused() {
        assertRefused(signed(claims().audience((String) null).build()));
    }

    @Test
    void expiredTokenIsRefused() {
        String token = tokens.issue(USER_ID, SESSION_ID, Set.of(Role.USER), true).token();

        assertRefused(tokensAt(NOW.plus(LIFETIME).plusSeconds(31)), token);
    }

    @Test
    void tokenBeforeItsNotBeforeTimeIsRefused() {
        assertRefused(signed(claims().notBeforeTime(Date.from(NOW.plusSeconds(120))).build()));
    }

    @Test
    void tokenIssuedInTheFutureIsRefused() {
        assertRefused(signed(claims().issueTime(Date.from(NOW.plusSeconds(120))).build()));
    }

    static Stream<Named<UnaryOperator<JWTClaimsSet.Builder>>> incompleteClaims() {
        return Stream.of(
                Named.of("no sub", claims -> claims.subject(null)),
                Named.of("blank sub", claims -> claims.subject(" ")),
                Named.of("no jti", claims -> claims.jwtID(null)),
                Named.of("no exp", claims -> claims.expirationTime(null)),
                Named.of("no iat", claims -> claims.issueTime(null)),
                Named.of("no roles", claims -> claims.claim("roles", null)),
                Named.of("empty roles", claims -> claims.claim("roles", List.of())),
                Named.of("unknown role", claims -> claims.claim("roles", List.of("root"))),
                Named.of("roles as a string", claims -> claims.claim("roles", "admin")),
                Named.of("user without a session", claims -> claims.claim("sid", null)),
                Named.of("sid not a string", claims -> claims.claim("sid", 42)));
    }

    @ParameterizedTest
    @MethodSource("incompleteClaims")
    void signedTokenWithoutWhatAnAccessTokenNeedsIsRefused(UnaryOperator<JWTClaimsSet.Builder> change) {
        assertRefused(signed(change.apply(claims()).build()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "\"text\"", "null", "{", "{\"exp\":\"tomorrow\"}", "{\"aud\":{\"x\":1}}", "not json at all"})
    void signedPayloadThatIsNotAClaimsSetIsRefused(String payload) throws JOSEException {
        JWSObject object = new JWSObject(header().build(), new Payload(payload));
        object.sign(new ECDSASigner(key));

        assertRefused(object.serialize());
    }

    // ---- other kinds of token

    @Test
    void tokenWithoutTypIsRefused() {
        assertRefused(signed(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims().build()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", "refresh+jwt", "JOSE", "application/jwt", "id_token"})
    void tokenOfAnotherTypeIsRefused(String type) {
        assertRefused(signed(header().type(new JOSEObjectType(type)).build(), claims().build()));
    }

    @Test
    void refreshTokenPresentedAsAccessTokenIsRefused() {
        assertRefused(SecureTokens.newToken());
    }

    // ---- tampering and garbage

    @Test
    void tamperedPayloadIsRefused() throws ParseException {
        String[] parts = validToken().split("\\.");
        String elevated = claims().claim("roles", List.of("admin")).build().toString();

        assertRefused(parts[0] + "." + base64Url(elevated) + "." + parts[2]);
    }

    @Test
    void tamperedSignatureIsRefused() {
        String token = validToken();
        char last = token.charAt(token.length() - 10);

        assertRefused(token.substring(0, token.length() - 10) + (last == 'A' ? 'B' : 'A') + token.substring(token.length() - 9));
    }

    @Test
    void strippedSignatureIsRefused() {
        String token = validToken();

        assertRefused(token.substring(0, token.lastIndexOf('.') + 1));
    }

    static Stream<String> garbage() {
        return Stream.of("", " ", "garbage", "a.b.c", "..", "...", "a.b.c.d.e", "Bearer x.y.z", "eyJhbGciOiJFUzI1NiJ9..",
                "eyJ.eyJ.eyJ", "!!!.???.***", "e30.e30.e30", "W10.e30.", base64Url("{\"alg\":\"ES256\"}") + ".%%%.AAAA",
                "\u0000\u0001\u0002", "🔐.🔐.🔐");
    }

    @ParameterizedTest
    @MethodSource("garbage")
    void garbageIsRefused(String token) {
        assertRefused(token);
    }

    @Test
    void tokenOfModestSizeWithPaddingIsAccepted() {
        assertEquals(USER_ID, tokens.verify(padded(4 * 1024)).subject());
    }

    @Test
    void tokenOver8KiBIsRefusedBeforeItIsParsed() {
        String token = padded(9 * 1024);

        assertTrue(token.length() > 8 * 1024);
        assertRefused(token);
    }

    // ---- helpers

    private AccessTokens tokensAt(Instant instant) {
        return new AccessTokens(keys, ISSUER, AUDIENCE, LIFETIME, Clock.fixed(instant, ZoneOffset.UTC));
    }

    /** The header this service puts on its tokens. */
    private JWSHeader.Builder header() {
        return new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(AccessTokens.TYPE);
    }

    /** The claims this service puts in a user's token issued now. */
    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(USER_ID)
                .jwtID("3f8a1c2e-0000-4000-8000-000000000001")
                .issueTime(Date.from(NOW))
                .notBeforeTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(LIFETIME)))
                .claim("sid", SESSION_ID)
                .claim("roles", List.of("user"))
                .claim("email_verified", true);
    }

    private String validToken() {
        return signed(header().build(), claims().build());
    }

    private String signed(JWTClaimsSet claims) {
        return signed(header().build(), claims);
    }

    /** Signed with this service's real signing key. */
    private String signed(JWSHeader header, JWTClaimsSet claims) {
        try {
            return sign(header, claims, new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private String padded(int padding) {
        return signed(claims().claim("padding", "x".repeat(padding)).build());
    }

    /** A fresh key pair no one published, under the given kid. */
    private static ECKey foreignKey(String keyId) {
        try {
            ECKey generated = ECKey.parse(JWKSet.parse(SigningKeys.generateKeySetJson()).getKeys().getFirst().toJSONObject());
            return new ECKey.Builder(generated).keyID(keyId).build();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(String json) {
        return Base64URL.encode(json.getBytes(UTF_8)).toString();
    }

    private void assertRefused(String token) {
        assertRefused(tokens, token);
    }

    /** Refused the one way the contract allows: 401 unauthorized, never another exception. */
    private static void assertRefused(AccessTokens verifier, String token) {
        ApiException refused = assertThrows(ApiException.class, () -> verifier.verify(token));
        assertEquals(ErrorCode.UNAUTHORIZED, refused.error());
    }
}
