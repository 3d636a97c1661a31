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
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
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
        assertEquals("access", claims.getStringClaim("token_type"));
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
                Named.of("sid not a string", claims -> claims.claim("sid", 42)),
                Named.of("no token_type", claims -> claims.claim("token_type", null)),
                Named.of("token_type of a refresh token", claims -> claims.claim("token_type", "refresh")),
                Named.of("exp beyond the lifetime it is issued for",
                        claims -> claims.expirationTime(Date.from(NOW.plus(LIFETIME).plusSeconds(1)))),
                Named.of("exp a year away", claims -> claims.expirationTime(Date.from(NOW.plus(Duration.ofDays(365))))));
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

    // ---- interoperability: the token format is standard, whoever writes or reads it

    @Test
    void issuedTokenVerifiesWithNimbusAndThePublishedKeys() throws Exception {
        String token = tokens.issue(USER_ID, SESSION_ID, Set.of(Role.USER), true).token();
        SignedJWT jwt = SignedJWT.parse(token);
        ECKey published = (ECKey) JWKSet.parse(Json.write(keys.publicJwks())).getKeyByKeyId(jwt.getHeader().getKeyID());

        assertTrue(jwt.verify(new ECDSAVerifier(published)));
        assertEquals(SESSION_ID, jwt.getJWTClaimsSet().getStringClaim("sid"));
    }

    @Test
    void tokenSignedByNimbusWithTheStoredKeyVerifies() throws Exception {
        ECKey storedKey = (ECKey) JWKSet.parse(keySet).getKeys().getFirst();

        Principal caller = tokens.verify(sign(header().build(), claims().build(), new ECDSASigner(storedKey)));

        assertEquals(USER_ID, caller.subject());
    }

    // ---- the header: exactly the one this service writes

    @Test
    void tokenSignedOverTheServicesOwnHeaderAndClaimsJsonIsAccepted() {
        // The refusals below change one thing of these JSON texts, signed with the real key.
        Principal caller = tokens.verify(signedJson(headerJson(), claimsJson(claims -> {})));

        assertEquals(USER_ID, caller.subject());
        assertEquals(Set.of(Role.USER), caller.roles());
    }

    static Stream<Named<String>> headersOtherThanTheServices() {
        return Stream.of(
                Named.of("crit naming a registered claim", "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"KID\",\"crit\":[\"exp\"],\"exp\":1}"),
                Named.of("crit naming an extension", "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"KID\",\"crit\":[\"urn:x\"],\"urn:x\":true}"),
                Named.of("crit with unencoded payload", "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"KID\",\"b64\":false,\"crit\":[\"b64\"]}"),
                Named.of("empty crit", "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"KID\",\"crit\":[]}"),
                Named.of("another member", "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"KID\",\"cty\":\"JWT\"}"),
                Named.of("alg in lower case", "{\"alg\":\"es256\",\"typ\":\"at+jwt\",\"kid\":\"KID\"}"),
                Named.of("alg with a space", "{\"alg\":\"ES256 \",\"typ\":\"at+jwt\",\"kid\":\"KID\"}"),
                Named.of("alg ES384", "{\"alg\":\"ES384\",\"typ\":\"at+jwt\",\"kid\":\"KID\"}"),
                Named.of("alg as an array", "{\"alg\":[\"ES256\"],\"typ\":\"at+jwt\",\"kid\":\"KID\"}"),
                Named.of("alg null", "{\"alg\":null,\"typ\":\"at+jwt\",\"kid\":\"KID\"}"),
                Named.of("no alg", "{\"typ\":\"at+jwt\",\"kid\":\"KID\"}"),
                Named.of("alg twice, none first", "{\"alg\":\"none\",\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"KID\"}"),
                Named.of("alg twice, none last", "{\"alg\":\"ES256\",\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"KID\"}"),
                Named.of("alg twice, same value", "{\"alg\":\"ES256\",\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"KID\"}"),
                Named.of("typ in upper case", "{\"alg\":\"ES256\",\"typ\":\"AT+JWT\",\"kid\":\"KID\"}"),
                Named.of("typ as a media type", "{\"alg\":\"ES256\",\"typ\":\"application/at+jwt\",\"kid\":\"KID\"}"),
                Named.of("typ as an array", "{\"alg\":\"ES256\",\"typ\":[\"at+jwt\"],\"kid\":\"KID\"}"),
                Named.of("typ twice", "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"typ\":\"at+jwt\",\"kid\":\"KID\"}"),
                Named.of("kid as a number", "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":42}"),
                Named.of("kid null", "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":null}"),
                Named.of("kid empty", "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"\"}"),
                Named.of("kid twice", "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"KID\",\"kid\":\"KID\"}"),
                Named.of("an array", "[\"ES256\",\"at+jwt\",\"KID\"]"),
                Named.of("not JSON", "alg=ES256"));
    }

    @ParameterizedTest
    @MethodSource("headersOtherThanTheServices")
    void headerOtherThanTheServicesIsRefusedEvenWithAGoodSignature(String header) {
        assertRefused(signedJson(header.replace("KID", key.getKeyID()), claimsJson(claims -> {})));
    }

    @Test
    void critHeaderBuiltByNimbusIsRefused() {
        JWSHeader withCrit = header().criticalParams(Set.of("urn:example:policy")).customParam("urn:example:policy", "strict").build();

        assertRefused(signed(withCrit, claims().build()));
    }

    // ---- the form: exactly three parts of canonical base64url

    @Test
    void tokenWithOtherThanThreePartsIsRefused() {
        String token = validToken();
        String[] parts = token.split("\\.");

        assertRefused(parts[0] + "." + parts[1]);
        assertRefused(token + ".");
        assertRefused(token + "." + parts[2]);
        assertRefused("." + token);
        assertRefused(parts[0] + "." + parts[1] + ".." + parts[2]);
    }

    @Test
    void paddedSignatureIsRefused() {
        String token = validToken();
        // 64 signature bytes: the padded spelling ends in "==" and decodes to the very same signature.
        String padded = token + "==";
        assertEquals(86, token.length() - token.lastIndexOf('.') - 1);

        assertRefused(padded);
        assertRefused(token + "=");
    }

    @Test
    void paddedHeaderOrPayloadIsRefusedEvenWhenSigned() {
        String header = headerJson();
        String claims = claimsJson(c -> {});

        assertRefused(signedParts(paddedBase64Url(header), base64Url(claims)));
        assertRefused(signedParts(base64Url(header), paddedBase64Url(claims)));
    }

    @Test
    void signatureWithStrayBitsInItsLastCharacterIsRefused() {
        String token = validToken();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        // The last of 86 characters carries 2 bits of the signature and 4 zero bits; setting one of those spells the
        // same signature differently, which a lenient decoder would accept.
        char last = token.charAt(token.length() - 1);
        String respelled = token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 1);
        assertTrue(java.util.Arrays.equals(
                java.util.Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)),
                java.util.Base64.getUrlDecoder().decode(respelled.substring(respelled.lastIndexOf('.') + 1))));

        assertRefused(respelled);
    }

    @Test
    void standardBase64AlphabetIsRefusedEvenWhenSigned() {
        String claims = claimsJson(c -> c.put("note", "???>>>~~~???>>>~~~"));
        String payload = java.util.Base64.getEncoder().withoutPadding().encodeToString(claims.getBytes(UTF_8));
        assertTrue(payload.contains("+") || payload.contains("/"));

        assertRefused(signedParts(base64Url(headerJson()), payload));
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "\n", "\r\n", "\t"})
    void whitespaceAnywhereInATokenIsRefused(String whitespace) {
        String token = validToken();
        int signatureStart = token.lastIndexOf('.') + 1;

        assertRefused(whitespace + token);
        assertRefused(token + whitespace);
        assertRefused(token.substring(0, signatureStart) + whitespace + token.substring(signatureStart));
        assertRefused(token.substring(0, signatureStart + 40) + whitespace + token.substring(signatureStart + 40));
        assertRefused(signedParts(base64Url(headerJson()) + whitespace, base64Url(claimsJson(c -> {}))));
    }

    // ---- the claims: no duplicates, and each of the type this service writes

    static Stream<Named<UnaryOperator<String>>> duplicatedClaims() {
        return Stream.of(
                Named.of("sub, forged first", json -> "{\"sub\":\"someone-else\"," + json.substring(1)),
                Named.of("sub, forged last", json -> json.substring(0, json.length() - 1) + ",\"sub\":\"someone-else\"}"),
                Named.of("roles, admin first", json -> "{\"roles\":[\"admin\"]," + json.substring(1)),
                Named.of("exp, later last", json -> json.substring(0, json.length() - 1) + ",\"exp\":4102444800}"),
                Named.of("the same iss twice", json -> "{\"iss\":\"" + ISSUER + "\"," + json.substring(1)),
                Named.of("inside another claim", json -> "{\"extra\":{\"a\":1,\"a\":2}," + json.substring(1)));
    }

    @ParameterizedTest
    @MethodSource("duplicatedClaims")
    void duplicateClaimIsRefusedEvenWithAGoodSignature(UnaryOperator<String> duplicate) {
        assertRefused(signedJson(headerJson(), duplicate.apply(claimsJson(claims -> {}))));
    }

    static Stream<Named<Consumer<Map<String, Object>>>> claimsOfTheWrongType() {
        long exp = NOW.plus(LIFETIME).getEpochSecond();
        long iat = NOW.getEpochSecond();
        return Stream.of(
                Named.of("iss as an array", claims -> claims.put("iss", List.of(ISSUER))),
                Named.of("iss null", claims -> claims.put("iss", null)),
                Named.of("aud as a number", claims -> claims.put("aud", 5)),
                Named.of("aud with a number in it", claims -> claims.put("aud", List.of(AUDIENCE, 5))),
                Named.of("aud nested", claims -> claims.put("aud", List.of(List.of(AUDIENCE)))),
                Named.of("aud empty", claims -> claims.put("aud", List.of())),
                Named.of("aud null", claims -> claims.put("aud", null)),
                Named.of("sub as a number", claims -> claims.put("sub", 42)),
                Named.of("sub null", claims -> claims.put("sub", null)),
                Named.of("jti as a number", claims -> claims.put("jti", 42)),
                Named.of("jti null", claims -> claims.put("jti", null)),
                Named.of("exp as a string", claims -> claims.put("exp", Long.toString(exp))),
                Named.of("exp with a fraction", claims -> claims.put("exp", new BigDecimal(exp + ".5"))),
                Named.of("exp in exponent form", claims -> claims.put("exp", (double) exp)),
                Named.of("exp beyond any instant", claims -> claims.put("exp", Long.MAX_VALUE)),
                Named.of("exp beyond a long", claims -> claims.put("exp", BigInteger.TEN.pow(30))),
                Named.of("exp as a boolean", claims -> claims.put("exp", true)),
                Named.of("exp null", claims -> claims.put("exp", null)),
                Named.of("iat as a string", claims -> claims.put("iat", Long.toString(iat))),
                Named.of("iat with a fraction", claims -> claims.put("iat", new BigDecimal(iat + ".5"))),
                Named.of("iat before any instant", claims -> claims.put("iat", Long.MIN_VALUE)),
                Named.of("iat null", claims -> claims.put("iat", null)),
                Named.of("nbf as a string", claims -> claims.put("nbf", Long.toString(iat))),
                Named.of("nbf null", claims -> claims.put("nbf", null)),
                Named.of("roles with a number in it", claims -> claims.put("roles", List.of("user", 1))),
                Named.of("roles nested", claims -> claims.put("roles", List.of(List.of("user")))),
                Named.of("roles as an object", claims -> claims.put("roles", Map.of("user", true))),
                Named.of("roles null", claims -> claims.put("roles", null)),
                Named.of("sid as an array", claims -> claims.put("sid", List.of(SESSION_ID))),
                Named.of("sid null", claims -> claims.put("sid", null)),
                Named.of("email_verified as a string", claims -> claims.put("email_verified", "true")),
                Named.of("email_verified as a number", claims -> claims.put("email_verified", 1)),
                Named.of("email_verified null", claims -> claims.put("email_verified", null)),
                Named.of("token_type as a number", claims -> claims.put("token_type", 1)),
                Named.of("token_type null", claims -> claims.put("token_type", null)));
    }

    @ParameterizedTest
    @MethodSource("claimsOfTheWrongType")
    void claimOfTheWrongTypeIsRefusedEvenWithAGoodSignature(Consumer<Map<String, Object>> change) {
        assertRefused(signedJson(headerJson(), claimsJson(change)));
    }

    @Test
    void audienceAsAnArrayOfStringsIsAccepted() {
        String token = signedJson(headerJson(), claimsJson(claims -> claims.put("aud", List.of("another-service", AUDIENCE))));

        assertEquals(USER_ID, tokens.verify(token).subject());
    }

    @Test
    void absentOptionalClaimsAreAccepted() {
        String token = signedJson(headerJson(), claimsJson(claims -> {
            claims.remove("nbf");
            claims.remove("email_verified");
        }));

        Principal caller = tokens.verify(token);

        assertEquals(false, caller.emailVerified());
    }

    // ---- the clock skew, at its edges

    @Test
    void tokenIsRefusedExactlyAtTheClockSkewAfterExpiry() {
        String token = tokens.issue(USER_ID, SESSION_ID, Set.of(Role.USER), true).token();

        assertRefused(tokensAt(NOW.plus(LIFETIME).plusSeconds(30)), token);
    }

    @Test
    void issueAndNotBeforeTimesUpToTheClockSkewAheadAreAccepted() {
        long skewAhead = NOW.plusSeconds(30).getEpochSecond();

        assertEquals(USER_ID, tokens.verify(signedJson(headerJson(), claimsJson(claims -> claims.put("iat", skewAhead)))).subject());
        assertEquals(USER_ID, tokens.verify(signedJson(headerJson(), claimsJson(claims -> claims.put("nbf", skewAhead)))).subject());
        assertRefused(signedJson(headerJson(), claimsJson(claims -> claims.put("iat", skewAhead + 1))));
        assertRefused(signedJson(headerJson(), claimsJson(claims -> claims.put("nbf", skewAhead + 1))));
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
                .claim("email_verified", true)
                .claim("token_type", "access");
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
        ServiceException refused = assertThrows(ServiceException.class, () -> verifier.verify(token));
        assertEquals(ErrorCode.UNAUTHORIZED, refused.error());
    }

    /** The header this service writes, as JSON text. */
    private String headerJson() {
        return "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"" + key.getKeyID() + "\"}";
    }

    /** The claims of {@link #claims()} as JSON text, after {@code change}. */
    private static String claimsJson(Consumer<Map<String, Object>> change) {
        Map<String, Object> claims = new LinkedHashMap<>(claims().build().toJSONObject());
        change.accept(claims);
        return Json.write(claims);
    }

    /** The JSON texts as a token signed with the real key. */
    private String signedJson(String headerJson, String claimsJson) {
        return signedParts(base64Url(headerJson), base64Url(claimsJson));
    }

    /** The parts exactly as given, signed with the real key over exactly them: only the signature is right. */
    private String signedParts(String headerPart, String payloadPart) {
        String signingInput = headerPart + "." + payloadPart;
        try {
            return signingInput + "." + new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256), signingInput.getBytes(UTF_8));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base64url with "=" padding, of the JSON text lengthened by a space if its length would need none. */
    private static String paddedBase64Url(String json) {
        String needingPadding = json.length() % 3 == 0 ? json + " " : json;
        return java.util.Base64.getUrlEncoder().encodeToString(needingPadding.getBytes(UTF_8));
    }
}
