package dev.userservice.auth;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.Base64URL;
import dev.userservice.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The service's ES256 keys as a JWK set (RFC 7517 §5), read and written with the service's own JSON rather than
 * nimbus's {@code JWKSet}, whose JSON goes through its shaded Gson (some 150 classes at cold start). The members
 * are the ones nimbus writes for these keys, so sets stored before and after read the same either way. The stored
 * set may name its next key in a top-level {@value #NEXT_KEY_ID} member (see {@link SigningKeys}); readers that
 * do not know it, nimbus's among them, ignore it.
 */
final class JwkSetJson {
    static final String NEXT_KEY_ID = "next_kid";

    private JwkSetJson() {}

    /**
     * A stored set: its keys in order, and the id of the key published ahead of its use, if it names one. The
     * first key signs unless it is that next key; the next key is the named one, when it can sign; every other key
     * only verifies.
     */
    record StoredSet(List<ECKey> keys, Optional<String> nextKeyId) {
        Optional<ECKey> current() {
            return keys.stream().findFirst().filter(key -> key.isPrivate() && !isNext(key));
        }

        Optional<ECKey> next() {
            return keys.stream().filter(this::isNext).filter(ECKey::isPrivate).findFirst();
        }

        /** The keys that only verify: neither the current nor the next key. */
        List<ECKey> previous() {
            Optional<ECKey> current = current();
            return keys.stream().filter(key -> !isNext(key) && current.map(signing -> signing != key).orElse(true)).toList();
        }

        private boolean isNext(ECKey key) {
            return nextKeyId.filter(key.getKeyID()::equals).isPresent();
        }

        /** The keys' ids, not the keys: a private key's own text holds its secret. */
        @Override
        public String toString() {
            return "StoredSet[keys=" + keys.stream().map(ECKey::getKeyID).toList() + ", nextKeyId=" + nextKeyId + "]";
        }
    }

    /**
     * The set's P-256 EC keys that have a key id, in their order (other keys are skipped, as this service never
     * uses them), and the id of its next key if it names one.
     *
     * @throws IllegalStateException if the text is not a JWK set or one of those keys is malformed; the message
     *     never quotes the text, which holds private keys
     */
    static StoredSet parse(String setJson) {
        Map<String, Object> set = object(setJson);
        Object next = set.get(NEXT_KEY_ID);
        if (next != null && !(next instanceof String)) {
            throw invalid("its \"" + NEXT_KEY_ID + "\" is not a string");
        }
        return new StoredSet(keys(set), Optional.ofNullable((String) next));
    }

    private static Map<String, Object> object(String setJson) {
        try {
            return Json.parseObject(setJson);
        } catch (Json.MalformedJsonException e) {
            throw invalid("it is not a JSON object");
        }
    }

    private static List<ECKey> keys(Map<String, Object> set) {
        if (!(set.get("keys") instanceof List<?> members)) {
            throw invalid("it has no \"keys\" array");
        }
        List<ECKey> keys = new ArrayList<>();
        for (Object member : members) {
            if (!(member instanceof Map<?, ?> key)) {
                throw invalid("a key is not a JSON object");
            }
            if ("EC".equals(key.get("kty")) && Curve.P_256.getName().equals(key.get("crv")) && key.get("kid") instanceof String keyId) {
                keys.add(ecKey(key, keyId));
            }
        }
        return List.copyOf(keys);
    }

    /** The set with each key's private part and the id of its next key (if it has one), as the secret stores it. */
    static String write(List<ECKey> keys, String nextKeyId) {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("keys", members(keys, true));
        if (nextKeyId != null) {
            set.put(NEXT_KEY_ID, nextKeyId);
        }
        return Json.write(set);
    }

    /** The set without any private part, as {@code /.well-known/jwks.json} publishes it. */
    static Map<String, Object> publicSet(List<ECKey> keys) {
        return Map.of("keys", members(keys, false));
    }

    private static ECKey ecKey(Map<?, ?> key, String keyId) {
        ECKey.Builder builder = new ECKey.Builder(Curve.P_256, base64Url(key, "x"), base64Url(key, "y")).keyID(keyId);
        if (key.containsKey("d")) {
            builder.d(base64Url(key, "d"));
        }
        if (key.containsKey("use")) {
            builder.keyUse(new KeyUse(string(key, "use")));
        }
        if (key.containsKey("alg")) {
            builder.algorithm(new Algorithm(string(key, "alg")));
        }
        if (key.containsKey("iat")) {
            if (!(key.get("iat") instanceof Long seconds)) {
                throw invalid("a key's \"iat\" is not a whole number of seconds");
            }
            builder.issueTime(Date.from(Instant.ofEpochSecond(seconds)));
        }
        try {
            return builder.build();
        } catch (IllegalStateException e) {
            // Nimbus refuses a point off the curve and a private scalar that does not fit it.
            throw invalid("a key is not a valid P-256 key");
        }
    }

    private static List<Map<String, Object>> members(List<ECKey> keys, boolean withPrivateParts) {
        List<Map<String, Object>> members = new ArrayList<>(keys.size());
        for (ECKey key : keys) {
            members.add(members(key, withPrivateParts));
        }
        return members;
    }

    private static Map<String, Object> members(ECKey key, boolean withPrivatePart) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("kty", key.getKeyType().getValue());
        members.put("crv", key.getCurve().getName());
        members.put("kid", key.getKeyID());
        if (key.getKeyUse() != null) {
            members.put("use", key.getKeyUse().getValue());
        }
        if (key.getAlgorithm() != null) {
            members.put("alg", key.getAlgorithm().getName());
        }
        if (key.getIssueTime() != null) {
            members.put("iat", key.getIssueTime().toInstant().getEpochSecond());
        }
        members.put("x", key.getX().toString());
        members.put("y", key.getY().toString());
        if (withPrivatePart && key.isPrivate()) {
            members.put("d", key.getD().toString());
        }
        return members;
    }

    private static Base64URL base64Url(Map<?, ?> key, String member) {
        return new Base64URL(string(key, member));
    }

    private static String string(Map<?, ?> key, String member) {
        if (!(key.get(member) instanceof String value)) {
            throw invalid("a key's \"" + member + "\" is not a string");
        }
        return value;
    }

    private static IllegalStateException invalid(String reason) {
        return new IllegalStateException("The JWT key set is not a valid JWK set: " + reason);
    }
}
