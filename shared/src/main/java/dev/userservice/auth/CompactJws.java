package dev.userservice.auth;

import static java.nio.charset.StandardCharsets.US_ASCII;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import dev.userservice.json.Json;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A JWS in compact serialization (RFC 7515 §7.1) signed with ES256, with the one header this service writes: the
 * algorithm, a type ({@code typ}) naming what the payload is, and the signing key's id. Nimbus does the cryptography
 * over the signing input; the header and payload JSON and the base64url around them are ours, because nimbus's own
 * parsing and serialization go through its shaded Gson, whose setup costs a cold start some 150 classes.
 *
 * <p>Reading is strict about form and leaves meaning to the caller: exactly three parts, each canonical base64url
 * without padding or whitespace, and a header that is one JSON object without duplicate members. The payload is
 * parsed only once the signature checks out, and its JSON must be an object without duplicate members too.
 */
final class CompactJws {
    /** The {@code alg} of every token this class signs or verifies. */
    private static final String ALGORITHM = JWSAlgorithm.ES256.getName();
    /** The whole header this service writes; any other member ({@code crit}, {@code jwk}, ...) is refused. */
    private static final Set<String> HEADER_MEMBERS = Set.of("alg", "typ", "kid");
    /** What nimbus's signer and verifier need to know of a header: only the algorithm. */
    private static final JWSHeader ES256 = new JWSHeader(JWSAlgorithm.ES256);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final Map<String, Object> header;
    private final byte[] signingInput;
    private final String payloadPart;
    private final Base64URL signature;

    private CompactJws(Map<String, Object> header, byte[] signingInput, String payloadPart, Base64URL signature) {
        this.header = header;
        this.signingInput = signingInput;
        this.payloadPart = payloadPart;
        this.signature = signature;
    }

    /** The compact form of {@code payload}, typed {@code type}, signed with ES256 by {@code key} under its id. */
    static String sign(String type, Map<String, Object> payload, ECKey key) throws JOSEException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", ALGORITHM);
        header.put("typ", type);
        header.put("kid", key.getKeyID());
        String signingInput = ENCODER.encodeToString(Json.writeBytes(header)) + "." + ENCODER.encodeToString(Json.writeBytes(payload));
        return signingInput + "." + new ECDSASigner(key).sign(ES256, signingInput.getBytes(US_ASCII));
    }

    /** The token split into its parts and its header read, if it has the form of a compact JWS. */
    static Optional<CompactJws> parse(String token) {
        int firstDot = token.indexOf('.');
        int secondDot = token.indexOf('.', firstDot + 1);
        if (firstDot < 0 || secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            return Optional.empty();
        }
        String headerPart = token.substring(0, firstDot);
        String payloadPart = token.substring(firstDot + 1, secondDot);
        String signaturePart = token.substring(secondDot + 1);
        if (!isCanonicalBase64Url(headerPart) || !isCanonicalBase64Url(payloadPart) || !isCanonicalBase64Url(signaturePart)) {
            return Optional.empty();
        }
        return jsonObject(DECODER.decode(headerPart)).map(header -> new CompactJws(
                header, token.substring(0, secondDot).getBytes(US_ASCII), payloadPart, new Base64URL(signaturePart)));
    }

    /**
     * The id of the key that signed it, if its header is exactly the one {@link #sign} writes for {@code type}:
     * ES256, that type and a key id, and no other member.
     */
    Optional<String> keyId(String type) {
        if (header.keySet().equals(HEADER_MEMBERS) && ALGORITHM.equals(header.get("alg")) && type.equals(header.get("typ"))
                && header.get("kid") instanceof String keyId) {
            return Optional.of(keyId);
        }
        return Optional.empty();
    }

    /** The payload as a JSON object, if {@code key} made the signature; before that it is not even parsed. */
    Optional<Map<String, Object>> payloadVerifiedWith(ECKey key) throws JOSEException {
        if (!new ECDSAVerifier(key.toECPublicKey()).verify(ES256, signingInput, signature)) {
            return Optional.empty();
        }
        return jsonObject(DECODER.decode(payloadPart));
    }

    /**
     * Whether {@code part} is base64url exactly as an encoder writes it: the URL-safe alphabet only, no padding, and
     * no stray bits in the last character (the JDK's decoder accepts padding and ignores those bits, so one value
     * would have several spellings).
     */
    private static boolean isCanonicalBase64Url(String part) {
        try {
            return ENCODER.encodeToString(DECODER.decode(part)).equals(part);
        } catch (IllegalArgumentException notBase64Url) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> jsonObject(byte[] json) {
        try {
            return Json.parse(json) instanceof Map<?, ?> object ? Optional.of((Map<String, Object>) object) : Optional.empty();
        } catch (Json.MalformedJsonException e) {
            return Optional.empty();
        }
    }
}
