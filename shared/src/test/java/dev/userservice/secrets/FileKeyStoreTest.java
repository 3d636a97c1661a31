package dev.userservice.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.KeyRotation;
import dev.userservice.auth.SigningKeyStore.Stage;
import dev.userservice.auth.SigningKeys;
import dev.userservice.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local runner's key store: the rotation protocol really rotates the key file, and every step repeats safely. */
class FileKeyStoreTest {
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    @TempDir
    Path dir;

    private Path keyFile() throws IOException {
        Path file = dir.resolve("jwt-keys.json");
        Files.writeString(file, SigningKeys.generateKeySetJson());
        return file;
    }

    @Test
    void aFullRotationReplacesTheKeyFileWithTheRotatedSetAndLeavesNothingBeside() throws IOException {
        Path file = keyFile();
        String before = Files.readString(file);
        KeyRotation rotation = new KeyRotation(new FileKeyStore(file), Optional.empty());

        STEPS.forEach(step -> rotation.step("v2", step));

        String after = Files.readString(file);
        assertNotEquals(before, after);
        assertEquals(Json.parseObject(before).get("next_kid"), firstKid(after), "the published next key now signs");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("jwt-keys.json", "jwt-keys.json.version"), files.map(path -> path.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void everyStepRepeatedChangesNothingMore() throws IOException {
        Path file = keyFile();
        FileKeyStore store = new FileKeyStore(file);
        KeyRotation rotation = new KeyRotation(store, Optional.empty());

        rotation.step("v2", "createSecret");
        String pending = store.pending("v2").orElseThrow();
        rotation.step("v2", "createSecret");
        assertEquals(pending, store.pending("v2").orElseThrow());
        rotation.step("v2", "testSecret");
        rotation.step("v2", "finishSecret");
        rotation.step("v2", "finishSecret");
        rotation.step("v2", "createSecret");

        assertEquals(pending, Files.readString(file));
        assertEquals(Stage.CURRENT, store.stage("v2"));
    }

    /** The finish died between replacing the key file and recording the version: its retry finishes the rotation. */
    @Test
    void aFinishThatDiedBeforeRecordingTheVersionIsFinishedByItsRetry() throws IOException {
        Path file = keyFile();
        FileKeyStore store = new FileKeyStore(file);
        KeyRotation rotation = new KeyRotation(store, Optional.empty());
        rotation.step("v2", "createSecret");
        rotation.step("v2", "testSecret");
        String pending = store.pending("v2").orElseThrow();
        Path versionFile = dir.resolve("jwt-keys.json.version");
        Files.createDirectory(versionFile); // where the version file goes: writing it fails
        Files.writeString(versionFile.resolve("blocker"), "");

        assertThrows(RuntimeException.class, () -> store.promote("v2")); // the finish's own promotion, dying half way
        Files.delete(versionFile.resolve("blocker"));
        Files.delete(versionFile);
        rotation.step("v2", "finishSecret");

        assertEquals(pending, Files.readString(file));
        assertEquals(Stage.CURRENT, store.stage("v2"));
    }

    @Test
    void aVersionNotCurrentIsARotationBegunHere() throws IOException {
        FileKeyStore store = new FileKeyStore(keyFile());

        assertEquals(Stage.PENDING, store.stage("6f1c2b7e-3d9a-4c58-9e21-8b4a0f7d2c15"));
        assertFalse(store.pending("6f1c2b7e-3d9a-4c58-9e21-8b4a0f7d2c15").isPresent());
    }

    @Test
    void aVersionIdThatIsNoFileNameIsRefused() throws IOException {
        FileKeyStore store = new FileKeyStore(keyFile());

        assertThrows(IllegalArgumentException.class, () -> store.putPending("../../etc/x", "{}"));
        assertThrows(IllegalArgumentException.class, () -> store.stage("a/b"));
    }

    @Test
    void finishingARotationThatStoredNoSetFails() throws IOException {
        Path file = keyFile();
        String before = Files.readString(file);

        assertThrows(IllegalStateException.class, () -> new KeyRotation(new FileKeyStore(file), Optional.empty()).step("v2", "finishSecret"));
        assertEquals(before, Files.readString(file));
        assertTrue(new FileKeyStore(file).stage("v2") == Stage.PENDING);
    }

    @SuppressWarnings("unchecked")
    private static String firstKid(String set) {
        return (String) ((List<java.util.Map<String, Object>>) Json.parseObject(set).get("keys")).getFirst().get("kid");
    }
}
