package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What CloudFormation deploys: {@code template.yaml} after the SAM transform, with the parameter values of a real
 * stack. What the template says as text (see {@link TemplateContractTest}) is not always what it becomes: SAM names
 * versions, merges Globals and creates the roles.
 */
class SamTransformTest {
    private static final Path REPO = repositoryRoot();
    /** The parameters of samconfig.toml. */
    private static final Map<String, String> DEPLOYED = Map.of(
            "TokenIssuer", "urn:user-service", "TokenAudience", "user-service", "BcryptCost", "11", "EnableCache", "false");

    // -----------------------------------------------------------------------------------------------------------
    // Versions: the live alias follows every change of code or configuration
    // -----------------------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> aDeployThatChangesOnlyOneParameterPublishesANewVersionOfEveryFunction() {
        Map<String, String> before = versions(SamTransform.deployed(REPO, DEPLOYED));
        assertEquals(42, before.size(), "one version per function");
        return Stream.of(Map.entry("TokenIssuer", "https://users.example.com"), Map.entry("TokenAudience", "other-audience"),
                Map.entry("BcryptCost", "12")).map(change -> DynamicTest.dynamicTest(change.getKey(), () -> {
                    Map<String, String> changed = new HashMap<>(DEPLOYED);
                    changed.put(change.getKey(), change.getValue());

                    Map<String, String> after = versions(SamTransform.deployed(REPO, changed));

                    List<String> unchanged = SamTransform.unchanged(before, after);
                    assertTrue(unchanged.isEmpty(), () -> "After changing only " + change.getKey() + ", these functions keep "
                            + "their version, so their live alias keeps the old configuration: " + unchanged);
                }));
    }

    @Test
    void aDeployThatChangesNothingKeepsEveryVersion() {
        assertEquals(versions(SamTransform.deployed(REPO, DEPLOYED)), versions(SamTransform.deployed(REPO, new TreeMap<>(DEPLOYED))),
                "the same jars and parameters must name the same versions, or every deploy publishes 42 new ones");
    }

    /** Each function's version resource: function logical id to version logical id. */
    private static Map<String, String> versions(Map<String, String> parameters) {
        JsonNode template = SamTransform.of(REPO, parameters);
        Map<String, String> versions = new TreeMap<>();
        SamTransform.resourcesOfType(template, "AWS::Lambda::Version").forEach((id, version) ->
                versions.put(version.path("Properties").path("FunctionName").path("Ref").asText(), id));
        assertFalse(versions.isEmpty(), "the transformed template has no AWS::Lambda::Version");
        return versions;
    }

    /** The directory of template.yaml: the parent of this module (local/), found from the working directory. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isDirectory(dir.resolve("local"))) {
                return dir;
            }
        }
        throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
