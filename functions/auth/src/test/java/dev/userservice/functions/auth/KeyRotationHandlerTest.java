package dev.userservice.functions.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import dev.userservice.auth.KeyRotation;
import dev.userservice.auth.SigningKeys;
import dev.userservice.json.Json;
import dev.userservice.secrets.SecretsManagerKeyStore;
import dev.userservice.snapstart.Wiring;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageRequest;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageResponse;

/**
 * The rotation protocol against an in-memory model of a secret's versions and staging labels, behaving as Secrets
 * Manager documents it: rotation starts by creating the new version id labelled AWSPENDING with no value yet.
 */
class KeyRotationHandlerTest {
    private static final String SECRET = "jwt-keys";

    private static KeyRotationHandler handler(FakeSecrets secrets) {
        return new KeyRotationHandler(new KeyRotation(new SecretsManagerKeyStore(secrets, SECRET), Optional.empty()), Wiring.none());
    }

    @Test
    void firstRotationOfAnEmptySetCreatesASigningKeyAndPublishesTheNextOne() {
        FakeSecrets secrets = new FakeSecrets("{\"keys\":[]}");
        rotateFully(secrets, "v2");

        String current = secrets.current();
        assertTrue(SigningKeys.canSign(current));
        assertTrue(SigningKeys.publishesNextKey(current));
        assertEquals(2, keyIds(current).size());
    }

    @Test
    void rotationSignsWithThePublishedNextKeyAndKeepsThePreviousOne() {
        String initial = SigningKeys.generateKeySetJson();
        FakeSecrets secrets = new FakeSecrets(initial);
        rotateFully(secrets, "v2");
        List<String> afterOne = keyIds(secrets.current());
        rotateFully(secrets, "v3");

        List<String> afterTwo = keyIds(secrets.current());
        assertEquals(3, afterTwo.size(), "the signing key, the next one and the one before");
        assertEquals(afterOne.get(1), afterTwo.getFirst(), "the next key of the first rotation signs after the second");
        assertTrue(!afterTwo.contains(keyIds(initial).getFirst()), "the oldest key is dropped");
    }

    @Test
    void theSampleRotationEventCreatesThePendingKeySet() throws Exception {
        byte[] sample = Files.readAllBytes(Path.of("../../events/key-rotation.json"));
        String token = (String) Json.parseObject(new String(sample, StandardCharsets.UTF_8))
                .get("ClientRequestToken");
        FakeSecrets secrets = new FakeSecrets(SigningKeys.generateKeySetJson());
        secrets.startRotation(token);

        handler(secrets).handleRequest(new ByteArrayInputStream(sample), new ByteArrayOutputStream(), null);

        assertTrue(SigningKeys.canSign(secrets.pending()), "the sample's createSecret step stored a new key set");
    }

    @Test
    void repeatingAStepChangesNothing() {
        FakeSecrets secrets = new FakeSecrets(SigningKeys.generateKeySetJson());
        KeyRotationHandler handler = handler(secrets);
        secrets.startRotation("v2");
        handler.rotate("v2", "createSecret");
        String pending = secrets.values.get("v2");
        handler.rotate("v2", "createSecret");
        assertEquals(pending, secrets.values.get("v2"));

        handler.rotate("v2", "testSecret");
        handler.rotate("v2", "finishSecret");
        handler.rotate("v2", "finishSecret");
        assertEquals(pending, secrets.current());
    }

    @Test
    void aVersionNotStagedForRotationIsRefused() {
        FakeSecrets secrets = new FakeSecrets(SigningKeys.generateKeySetJson());
        assertThrows(IllegalStateException.class, () -> handler(secrets).rotate("unknown", "createSecret"));
    }

    @Test
    void aPendingSetThatCannotSignFailsTheTest() {
        FakeSecrets secrets = new FakeSecrets(SigningKeys.generateKeySetJson());
        secrets.startRotation("v2");
        secrets.values.put("v2", "{\"keys\":[]}");
        assertThrows(IllegalStateException.class, () -> handler(secrets).rotate("v2", "testSecret"));
    }

    @Test
    void aPendingSetThatPublishesNoNextKeyFailsTheTest() {
        FakeSecrets secrets = new FakeSecrets(SigningKeys.generateKeySetJson());
        secrets.startRotation("v2");
        Map<String, Object> withoutNext = new LinkedHashMap<>(Json.parseObject(SigningKeys.generateKeySetJson()));
        withoutNext.remove("next_kid");
        secrets.values.put("v2", Json.write(withoutNext));
        assertThrows(IllegalStateException.class, () -> handler(secrets).rotate("v2", "testSecret"));
    }

    private static void rotateFully(FakeSecrets secrets, String token) {
        KeyRotationHandler handler = handler(secrets);
        secrets.startRotation(token);
        String before = secrets.current();
        for (String step : List.of("createSecret", "setSecret", "testSecret", "finishSecret")) {
            handler.rotate(token, step);
        }
        assertNotEquals(before, secrets.current());
    }

    private static List<String> keyIds(String set) {
        try {
            return JWKSet.parse(set).getKeys().stream().map(key -> key.getKeyID()).toList();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    /** One secret's versions, values and staging labels. */
    private static final class FakeSecrets implements SecretsManagerClient {
        final Map<String, String> values = new HashMap<>();
        final Map<String, List<String>> stages = new LinkedHashMap<>();

        FakeSecrets(String initial) {
            values.put("v1", initial);
            stages.put("v1", new ArrayList<>(List.of("AWSCURRENT")));
        }

        void startRotation(String token) {
            stages.put(token, new ArrayList<>(List.of("AWSPENDING")));
        }

        String current() {
            return values.get(versionWith("AWSCURRENT"));
        }

        String pending() {
            return values.get(versionWith("AWSPENDING"));
        }

        private String versionWith(String stage) {
            return stages.entrySet().stream().filter(entry -> entry.getValue().contains(stage))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
        }

        @Override
        public DescribeSecretResponse describeSecret(Consumer<DescribeSecretRequest.Builder> request) {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            stages.forEach((version, labels) -> copy.put(version, List.copyOf(labels)));
            return DescribeSecretResponse.builder().rotationEnabled(true).versionIdsToStages(copy).build();
        }

        @Override
        public GetSecretValueResponse getSecretValue(Consumer<GetSecretValueRequest.Builder> consumer) {
            GetSecretValueRequest request = GetSecretValueRequest.builder().applyMutation(consumer).build();
            String version = request.versionId() != null ? request.versionId() : versionWith(request.versionStage());
            if (version == null || !values.containsKey(version)
                    || (request.versionStage() != null && !stages.get(version).contains(request.versionStage()))) {
                throw ResourceNotFoundException.builder().message("no such version").build();
            }
            return GetSecretValueResponse.builder().versionId(version).secretString(values.get(version)).build();
        }

        @Override
        public PutSecretValueResponse putSecretValue(Consumer<PutSecretValueRequest.Builder> consumer) {
            PutSecretValueRequest request = PutSecretValueRequest.builder().applyMutation(consumer).build();
            values.put(request.clientRequestToken(), request.secretString());
            stages.put(request.clientRequestToken(), new ArrayList<>(request.versionStages()));
            return PutSecretValueResponse.builder().build();
        }

        @Override
        public UpdateSecretVersionStageResponse updateSecretVersionStage(Consumer<UpdateSecretVersionStageRequest.Builder> consumer) {
            UpdateSecretVersionStageRequest request = UpdateSecretVersionStageRequest.builder().applyMutation(consumer).build();
            if (request.removeFromVersionId() != null) {
                stages.get(request.removeFromVersionId()).remove(request.versionStage());
            }
            stages.get(request.moveToVersionId()).add(request.versionStage());
            // Secrets Manager moves AWSPREVIOUS along and clears AWSPENDING once the new version is current.
            stages.get(request.moveToVersionId()).remove("AWSPENDING");
            return UpdateSecretVersionStageResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "secretsmanager";
        }

        @Override
        public void close() {}
    }
}
