package dev.userservice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import dev.userservice.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeySetAuthorityTest {
    private static final Instant READ_AT = Instant.parse("2026-12-05T20:00:00.123Z");
    private static final Instant EXPIRES_AT = READ_AT.plus(Duration.ofDays(1));

    private final String authoritySecret = KeySetAuthority.generate();
    private final KeySetAuthority authority = KeySetAuthority.of(authoritySecret);
    private final ECKey authorityKey = KeySetAuthority.publicKey(authority.publicKeyJson());
    private final String signingSet = SigningKeys.generateKeySetJson();

    @Test
    void aPublishedSetVerifiesWithTheAuthoritysPublicKeyAndHoldsThePublicKeysOnly() {
        KeySetAuthority.Published published = KeySetAuthority.verify(authority.sign(signingSet, READ_AT, EXPIRES_AT), authorityKey).orElseThrow();

        assertEquals(READ_AT, published.readAt());
        assertEquals(EXPIRES_AT, published.expiresAt());
        assertFalse(published.expiredAt(EXPIRES_AT.minusMillis(1)));
        assertTrue(published.expiredAt(EXPIRES_AT));
        List<ECKey> keys = JwkSetJson.parse(published.publicSetJson()).keys();
        assertEquals(keyIds(JwkSetJson.parse(signingSet).keys()), keyIds(keys), "every key, in the set's order");
        assertTrue(keys.stream().noneMatch(ECKey::isPrivate), "no private part is published");
        assertFalse(published.publicSetJson().contains("\"d\""));
    }

    @Test
    void aSetSignedBeforePublicationsExpiredExpiresWhenItWasRead() throws Exception {
        Map<String, Object> payload = new LinkedHashMap<>(JwkSetJson.publicSet(JwkSetJson.parse(signingSet).keys()));
        payload.put("read_at", READ_AT.toEpochMilli());
        ECKey key = JwkSetJson.parse(authoritySecret).keys().get(0);

        KeySetAuthority.Published published = KeySetAuthority.verify(CompactJws.sign(KeySetAuthority.TYPE, payload, key), authorityKey)
                .orElseThrow();

        assertEquals(READ_AT, published.expiresAt());
        assertTrue(published.expiredAt(READ_AT));

        payload.put("expires_at", "never");
        assertTrue(KeySetAuthority.verify(CompactJws.sign(KeySetAuthority.TYPE, payload, key), authorityKey).isEmpty());
    }

    @Test
    void theConfigurationCarriesThePublicKeyOnly() {
        assertFalse(authority.publicKeyJson().contains("\"d\""));
        assertFalse(KeySetAuthority.publicKey(authority.publicKeyJson()).isPrivate());
        assertTrue(KeySetAuthority.holdsKey(authoritySecret));
        assertFalse(KeySetAuthority.holdsKey(authority.publicKeyJson()), "a public key cannot sign");
        assertFalse(KeySetAuthority.holdsKey("{\"keys\":[]}"), "the new secret's placeholder");
    }

    @Test
    void aSetSignedByAnotherAuthorityIsRefused() {
        String forged = KeySetAuthority.of(KeySetAuthority.generate()).sign(SigningKeys.generateKeySetJson(), READ_AT, EXPIRES_AT);

        assertTrue(KeySetAuthority.verify(forged, authorityKey).isEmpty());
    }

    @Test
    void aSetWithAChangedPayloadIsRefused() {
        String[] parts = authority.sign(signingSet, READ_AT, EXPIRES_AT).split("\\.");
        Map<String, Object> payload = Json.parseObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        payload.put("keys", JwkSetJson.publicSet(JwkSetJson.parse(SigningKeys.generateKeySetJson()).keys()).get("keys"));
        String changed = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(Json.writeBytes(payload)) + "." + parts[2];

        assertTrue(KeySetAuthority.verify(changed, authorityKey).isEmpty());
    }

    @Test
    void anAccessTokenSignedWithTheSameKeyDoesNotPassForAPublishedSet() {
        SigningKeys authorityAsSigningKeys = new SigningKeys(() -> authoritySecret, Clock.systemUTC());
        String token = new AccessTokens(authorityAsSigningKeys, "urn:user-service", "user-service", Duration.ofMinutes(5),
                Clock.systemUTC()).issue("user", "session", Set.of(Role.USER), true).token();

        assertTrue(KeySetAuthority.verify(token, authorityKey).isEmpty(), "typed at+jwt, not " + KeySetAuthority.TYPE);
    }

    @Test
    void whatIsNotACompactJwsIsRefused() {
        assertTrue(KeySetAuthority.verify("", authorityKey).isEmpty());
        assertTrue(KeySetAuthority.verify("a.b", authorityKey).isEmpty());
        assertTrue(KeySetAuthority.verify(signingSet, authorityKey).isEmpty());
    }

    @Test
    void aConfigurationWithoutExactlyOneKeyIsRefused() {
        assertThrows(IllegalStateException.class, () -> KeySetAuthority.publicKey("{\"keys\":[]}"));
        assertThrows(IllegalStateException.class, () -> KeySetAuthority.publicKey(signingSet), "two keys");
        assertThrows(IllegalStateException.class, () -> KeySetAuthority.of(authority.publicKeyJson()), "no private key");
    }

    private static List<String> keyIds(List<ECKey> keys) {
        return keys.stream().map(ECKey::getKeyID).toList();
    }
}
