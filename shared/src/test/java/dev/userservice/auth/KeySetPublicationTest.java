package dev.userservice.auth;

import static dev.userservice.secrets.PublishedKeysTest.keyIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import dev.userservice.cache.Cache;
import dev.userservice.secrets.FileAuthoritySecret;
import dev.userservice.secrets.FileKeyStore;
import dev.userservice.secrets.PublishedKeys;
import dev.userservice.secrets.PublishedKeysTest;
import dev.userservice.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployment's and the rotation's publications, on the local runner's files and a table in memory. */
class KeySetPublicationTest {
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    @TempDir
    Path dir;

    private final PublishedKeysTest.Table table = new PublishedKeysTest.Table();

    @Test
    void theFirstDeploymentMakesTheAuthorityAndLaterOnesKeepIt() throws IOException {
        Path authorityFile = dir.resolve("key-set-authority.json");
        KeySetPublication publication = publication(authorityFile, signingKeys(SigningKeys.generateKeySetJson()));

        String publicKey = publication.deploy();
        String stored = Files.readString(authorityFile);

        assertTrue(KeySetAuthority.holdsKey(stored));
        assertEquals(publicKey, publication.deploy());
        assertEquals(stored, Files.readString(authorityFile));
    }

    @Test
    void aDeploymentPublishesTheCurrentSetForTheAuthoritysPublicKey() throws IOException {
        String signingSet = SigningKeys.generateKeySetJson();

        String publicKey = publication(dir.resolve("authority.json"), signingKeys(signingSet)).deploy();

        assertEquals(keyIds(signingSet), keyIds(published(publicKey).get()));
    }

    @Test
    void aNewDeploymentsEmptySetIsNotPublishedAndItsFirstRotationPublishes() throws IOException {
        FileKeyStore store = signingKeys("{\"keys\":[]}");
        KeySetPublication publication = publication(dir.resolve("authority.json"), store);
        String publicKey = publication.deploy();
        assertTrue(table.read().isEmpty());

        KeyRotation rotation = new KeyRotation(store, Optional.of(publication));
        STEPS.forEach(step -> rotation.step("v1", step));

        assertEquals(keyIds(store.current()), keyIds(published(publicKey).get()));
        assertEquals(2, keyIds(store.current()).size(), "the signing key and the next one");
    }

    @Test
    void eachRotationPublishesTheSetItMadeCurrent() throws IOException {
        FileKeyStore store = signingKeys(SigningKeys.generateKeySetJson());
        KeySetPublication publication = publication(dir.resolve("authority.json"), store);
        PublishedKeys verifier = published(publication.deploy());
        KeyRotation rotation = new KeyRotation(store, Optional.of(publication));

        for (String version : List.of("v2", "v3")) {
            List<String> before = keyIds(verifier.get());
            STEPS.forEach(step -> rotation.step(version, step));

            assertNotEquals(before, keyIds(verifier.get()));
            assertEquals(keyIds(store.current()), keyIds(verifier.get()));
        }
    }

    @Test
    void aFinishRetriedAfterItsPublicationFailedPublishes() throws IOException {
        FileKeyStore store = signingKeys(SigningKeys.generateKeySetJson());
        AtomicBoolean tableDown = new AtomicBoolean();
        KeySetPublication publication = new KeySetPublication(new FileAuthoritySecret(dir.resolve("authority.json")), store,
                failingWhile(tableDown), Clock.systemUTC());
        PublishedKeys verifier = published(publication.deploy());
        KeyRotation rotation = new KeyRotation(store, Optional.of(publication));

        String before = store.current();
        rotation.step("v2", "createSecret");
        rotation.step("v2", "testSecret");
        tableDown.set(true);
        assertThrows(IllegalStateException.class, () -> rotation.step("v2", "finishSecret"));
        assertEquals(before, store.current(), "not made current: its keys are not published");
        tableDown.set(false);
        rotation.step("v2", "finishSecret");

        assertEquals(keyIds(store.current()), keyIds(verifier.get()));
    }

    /**
     * A rotation made its set current and failed to publish it; the next rotation then runs, its own last
     * publication failing too. The key that signs is one verifiers have: each set is published before it signs.
     */
    @Test
    void noKeySignsBeforeVerifiersHaveItThoughPublicationsAfterTheSwitchFail() throws IOException {
        FileKeyStore files = signingKeys(SigningKeys.generateKeySetJson());
        AtomicBoolean tableDown = new AtomicBoolean();
        SigningKeyStore store = new SigningKeyStore() {
            @Override
            public String current() {
                return files.current();
            }

            @Override
            public Stage stage(String version) {
                return files.stage(version);
            }

            @Override
            public Optional<String> pending(String version) {
                return files.pending(version);
            }

            @Override
            public void putPending(String version, String keySet) {
                files.putPending(version, keySet);
            }

            /** The table fails from the moment the set is current. */
            @Override
            public void promote(String version) {
                files.promote(version);
                tableDown.set(true);
            }
        };
        KeySetPublication publication = new KeySetPublication(new FileAuthoritySecret(dir.resolve("authority.json")), store,
                failingWhile(tableDown), Clock.systemUTC());
        PublishedKeys verifier = published(publication.deploy());
        KeyRotation rotation = new KeyRotation(store, Optional.of(publication));

        for (String version : List.of("v2", "v3")) {
            tableDown.set(false);
            rotation.step(version, "createSecret");
            rotation.step(version, "testSecret");
            assertThrows(IllegalStateException.class, () -> rotation.step(version, "finishSecret"));
        }

        String signing = JwkSetJson.parse(store.current()).current().orElseThrow().getKeyID();
        assertTrue(keyIds(verifier.get()).contains(signing), () -> signing + " signs; verifiers have " + keyIds(verifier.get()));
    }

    @Test
    void eachPublicationIsSignedForADayFromItsRead() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
        KeySetPublication publication = new KeySetPublication(new FileAuthoritySecret(dir.resolve("authority.json")),
                signingKeys(SigningKeys.generateKeySetJson()), table, clock);
        ECKey authority = KeySetAuthority.publicKey(publication.deploy());
        KeySetAuthority.Published deployed = KeySetAuthority.verify(table.read().orElseThrow(), authority).orElseThrow();
        assertEquals(clock.instant().plus(Duration.ofDays(1)), deployed.expiresAt());

        clock.advance(Duration.ofHours(6));
        publication.publishCurrent();

        KeySetAuthority.Published renewed = KeySetAuthority.verify(table.read().orElseThrow(), authority).orElseThrow();
        assertEquals(clock.instant(), renewed.readAt());
        assertEquals(clock.instant().plus(Duration.ofDays(1)), renewed.expiresAt());
        assertEquals(deployed.publicSetJson(), renewed.publicSetJson(), "the same keys, signed again");
    }

    /**
     * Any function that can put items in the table could write a set read in the future, which refuses every
     * publication after it: publishing then fails, so the rotation and the schedule alarm, rather than answer as if
     * they had published. A publisher that read the keys later and won the race is no failure.
     */
    @Test
    void aPublicationRefusedForASetReadInTheFutureFailsAndOneRefusedForALaterPublicationDoesNot() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
        Path authorityFile = dir.resolve("authority.json");
        String signingSet = SigningKeys.generateKeySetJson();
        KeySetPublication publication = new KeySetPublication(new FileAuthoritySecret(authorityFile), signingKeys(signingSet), table, clock);
        publication.deploy();
        KeySetAuthority authority = KeySetAuthority.of(Files.readString(authorityFile));

        Instant later = clock.instant().plusSeconds(30);
        table.publish(authority.sign(signingSet, later, later.plus(KeySetPublication.VALIDITY)), later);
        assertFalse(publication.publishCurrent(), "a publisher that read the keys later won");

        Instant future = clock.instant().plus(Duration.ofDays(365));
        table.publish(authority.sign(signingSet, future, future.plus(KeySetPublication.VALIDITY)), future);
        IllegalStateException pinned = assertThrows(IllegalStateException.class, publication::publishCurrent);
        assertTrue(pinned.getMessage().contains("read in the future"), pinned.getMessage());

        Instant farther = future.plusSeconds(1);
        table.publish(KeySetAuthority.of(KeySetAuthority.generate()).sign(signingSet, farther, farther), farther);
        assertThrows(IllegalStateException.class, publication::publishCurrent, "a set this authority did not sign");
    }

    @Test
    void theRotationNeedsTheAuthorityMade() throws IOException {
        FileKeyStore store = signingKeys(SigningKeys.generateKeySetJson());
        KeyRotation rotation = new KeyRotation(store, Optional.of(publication(dir.resolve("never-made.json"), store)));
        rotation.step("v2", "createSecret");

        assertThrows(IllegalStateException.class, () -> rotation.step("v2", "finishSecret"));
        assertFalse(table.read().isPresent());
    }

    /** The table, refusing every publication while {@code down}, as a throttled table does. */
    private PublishedKeySetStore failingWhile(AtomicBoolean down) {
        return new PublishedKeySetStore() {
            @Override
            public Optional<String> read() {
                return table.read();
            }

            @Override
            public boolean publish(String signedSet, Instant readAt) {
                if (down.get()) {
                    throw new IllegalStateException("throttled");
                }
                return table.publish(signedSet, readAt);
            }
        };
    }

    private KeySetPublication publication(Path authorityFile, SigningKeyStore signingKeys) {
        return new KeySetPublication(new FileAuthoritySecret(authorityFile), signingKeys, table, Clock.systemUTC());
    }

    private FileKeyStore signingKeys(String set) throws IOException {
        Path file = dir.resolve("jwt-keys.json");
        Files.writeString(file, set);
        return new FileKeyStore(file);
    }

    private PublishedKeys published(String authorityPublicKey) {
        ECKey authority = KeySetAuthority.publicKey(authorityPublicKey);
        return new PublishedKeys(authority, Cache.none(), () -> table, Duration.ofMinutes(5), Clock.systemUTC());
    }
}
