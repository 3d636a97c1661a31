package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
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

    // -----------------------------------------------------------------------------------------------------------
    // The cache's network: only the functions that use Redis are in the VPC, and they reach AWS through endpoints
    // -----------------------------------------------------------------------------------------------------------

    /** The functions that never touch the cache, so stay outside the VPC; every other function uses it. */
    private static final Set<String> WITHOUT_CACHE = Set.of("RouteNotFoundFunction", "JwksFunction", "OpenIdConfigurationFunction",
            "OutboxPublisherFunction", "AccountEraserFunction", "KeyRotationFunction");
    private static final Map<String, String> CACHE_ON = Map.of("EnableCache", "true", "VpcId", "vpc-0123456789abcdef0",
            "SubnetIds", "subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb", "RouteTableIds", "rtb-0cccccccccccccccc");

    @Test
    void withTheCacheOnlyTheFunctionsThatUseItAreInTheVpcAndHaveItsUrl() {
        Deployed stack = Deployed.with(CACHE_ON);

        Set<String> expected = new TreeSet<>(stack.functions().keySet());
        expected.removeAll(WITHOUT_CACHE);
        assertEquals(36, expected.size(), "42 functions, 6 without the cache");
        assertEquals(expected, stack.functionsWith("VpcConfig"), "functions in the VPC");
        assertEquals(expected, stack.functionsWith("Environment", "Variables", "REDIS_URL"), "functions given REDIS_URL");
    }

    @Test
    void withoutTheCacheNoFunctionIsInTheVpcAndNoNetworkResourceExists() {
        Deployed stack = Deployed.with(Map.of());

        assertEquals(Set.of(), stack.functionsWith("VpcConfig"), "functions in a VPC");
        assertEquals(Set.of(), stack.functionsWith("Environment", "Variables", "REDIS_URL"), "functions given REDIS_URL");
        assertEquals(Set.of(), stack.existing("AWS::EC2::VPCEndpoint").keySet(), "VPC endpoints");
        assertEquals(Set.of(), stack.existing("AWS::EC2::SecurityGroup").keySet(), "security groups");
    }

    @Test
    void everyServiceTheFunctionsInTheVpcCallHasAnEndpointThere() {
        Deployed stack = Deployed.with(CACHE_ON);
        Map<String, JsonNode> endpoints = stack.existing("AWS::EC2::VPCEndpoint");

        Set<String> called = new TreeSet<>();
        stack.functionsWith("VpcConfig").forEach(function -> called.addAll(stack.servicesCalledBy(function)));
        assertTrue(called.containsAll(Set.of("dynamodb", "sqs", "secretsmanager")), () -> "services called from the VPC: " + called);
        Map<String, JsonNode> byService = new TreeMap<>();
        endpoints.values().forEach(endpoint -> {
            String service = endpoint.path("Properties").path("ServiceName").path("Fn::Sub").asText();
            byService.put(service.substring(service.lastIndexOf('.') + 1), endpoint.path("Properties"));
        });
        assertEquals(called, byService.keySet(), "the services called from the VPC and those with an endpoint there");

        JsonNode dynamoDb = byService.get("dynamodb");
        assertEquals("Gateway", dynamoDb.path("VpcEndpointType").asText(), "DynamoDB's endpoint type");
        assertEquals("RouteTableIds", dynamoDb.path("RouteTableIds").path("Ref").asText(), "DynamoDB's endpoint's route tables");
        byService.forEach((service, endpoint) -> {
            assertEquals("VpcId", endpoint.path("VpcId").path("Ref").asText(), service + " endpoint's VPC");
            if (!service.equals("dynamodb")) {
                assertEquals("Interface", endpoint.path("VpcEndpointType").asText(), service + " endpoint's type");
                assertTrue(endpoint.path("PrivateDnsEnabled").asBoolean(), service + ": without private DNS the SDK's default endpoint is not the VPC's");
                assertEquals("SubnetIds", endpoint.path("SubnetIds").path("Ref").asText(), service + " endpoint's subnets");
                String group = endpoint.path("SecurityGroupIds").path(0).path("Ref").asText();
                JsonNode ingress = stack.template().path("Resources").path(group).path("Properties").path("SecurityGroupIngress").path(0);
                assertEquals(443, ingress.path("FromPort").asInt(), service + " endpoint's security group opens HTTPS");
                assertEquals("FunctionSecurityGroup", ingress.path("SourceSecurityGroupId").path("Ref").asText(),
                        service + " endpoint's security group is open to the functions");
            }
        });
    }

    @Test
    void theRulesRefuseACacheWithoutItsNetwork() {
        assertEquals(List.of(), Deployed.with(Map.of()).refusals(), "the defaults");
        assertEquals(List.of(), Deployed.with(CACHE_ON).refusals(), "a cache with its network");
        assertEquals(List.of(), Deployed.with(withChanged(CACHE_ON, "CreateVpcEndpoints", "false", "RouteTableIds", "")).refusals(),
                "a cache in a VPC with endpoints of its own");
        for (String missing : List.of("VpcId", "SubnetIds", "RouteTableIds")) {
            List<String> refusals = Deployed.with(withChanged(CACHE_ON, missing, "")).refusals();
            assertEquals(1, refusals.size(), () -> "EnableCache=true without " + missing + ": " + refusals);
            assertTrue(refusals.getFirst().contains(missing), () -> "the refusal names " + missing + ": " + refusals);
        }
    }

    private static Map<String, String> withChanged(Map<String, String> parameters, String... changes) {
        Map<String, String> changed = new HashMap<>(parameters);
        for (int i = 0; i < changes.length; i += 2) {
            changed.put(changes[i], changes[i + 1]);
        }
        return changed;
    }

    /**
     * A transformed template with parameter values, read as CloudFormation would deploy it: conditions, rules and
     * {@code Fn::If} evaluated, {@code AWS::NoValue} taken away.
     */
    private record Deployed(JsonNode template, Map<String, String> parameters) {
        static Deployed with(Map<String, String> given) {
            Map<String, String> values = new TreeMap<>(DEPLOYED);
            values.putAll(given);
            JsonNode template = SamTransform.of(REPO, values);
            template.path("Parameters").properties().forEach(parameter ->
                    values.putIfAbsent(parameter.getKey(), parameter.getValue().path("Default").asText("")));
            return new Deployed(template, values);
        }

        Map<String, JsonNode> functions() {
            return SamTransform.resourcesOfType(template, "AWS::Lambda::Function");
        }

        /** The resources of a type that exist with these parameters (their Condition holds). */
        Map<String, JsonNode> existing(String type) {
            Map<String, JsonNode> existing = new TreeMap<>(SamTransform.resourcesOfType(template, type));
            existing.values().removeIf(resource -> resource.has("Condition") && !condition(resource.path("Condition").asText()));
            return existing;
        }

        /** The functions whose property at this path has a value once deployed. */
        Set<String> functionsWith(String... path) {
            Set<String> having = new TreeSet<>();
            functions().forEach((id, function) -> {
                Optional<JsonNode> value = Optional.of(function.path("Properties"));
                for (String step : path) {
                    value = value.flatMap(this::deployed).map(node -> node.path(step)).filter(node -> !node.isMissingNode());
                }
                if (value.flatMap(this::deployed).isPresent()) {
                    having.add(id);
                }
            });
            return having;
        }

        /** The service prefixes of the actions the function's role allows (its own policies, not the managed ones). */
        Set<String> servicesCalledBy(String function) {
            String role = functions().get(function).path("Properties").path("Role").path("Fn::GetAtt").path(0).asText();
            Set<String> services = new TreeSet<>();
            template.path("Resources").path(role).path("Properties").path("Policies").forEach(policy ->
                    policy.path("PolicyDocument").path("Statement").forEach(statement -> {
                        JsonNode actions = statement.path("Action");
                        (actions.isArray() ? StreamSupport.stream(actions.spliterator(), false) : Stream.of(actions))
                                .map(action -> action.asText().substring(0, action.asText().indexOf(':')))
                                .forEach(services::add);
                    }));
            return services;
        }

        /** The assertion descriptions of the rules that refuse these parameters. */
        List<String> refusals() {
            List<String> refusals = new ArrayList<>();
            template.path("Rules").forEach(rule -> {
                if (!rule.has("RuleCondition") || truth(rule.path("RuleCondition"))) {
                    rule.path("Assertions").forEach(assertion -> {
                        if (!truth(assertion.path("Assert"))) {
                            refusals.add(assertion.path("AssertDescription").asText());
                        }
                    });
                }
            });
            return refusals;
        }

        /** The value as deployed: the branch of an Fn::If its condition picks, nothing for AWS::NoValue. */
        private Optional<JsonNode> deployed(JsonNode value) {
            if (value.has("Fn::If")) {
                JsonNode branches = value.path("Fn::If");
                return deployed(branches.path(condition(branches.path(0).asText()) ? 1 : 2));
            }
            return value.path("Ref").asText().equals("AWS::NoValue") ? Optional.empty() : Optional.of(value);
        }

        private boolean condition(String name) {
            return truth(template.path("Conditions").path(name));
        }

        private boolean truth(JsonNode expression) {
            var function = expression.properties().iterator().next();
            JsonNode arguments = function.getValue();
            return switch (function.getKey()) {
                case "Fn::Equals" -> text(arguments.path(0)).equals(text(arguments.path(1)));
                case "Fn::Not" -> !truth(arguments.path(0));
                case "Fn::And" -> StreamSupport.stream(arguments.spliterator(), false).allMatch(this::truth);
                case "Fn::Or" -> StreamSupport.stream(arguments.spliterator(), false).anyMatch(this::truth);
                case "Condition" -> condition(arguments.asText());
                case "Fn::EachMemberEquals" -> List.of(text(arguments.path(0)).split(",", -1)).stream()
                        .allMatch(member -> member.equals(text(arguments.path(1))));
                default -> throw new AssertionError("no evaluation of " + function.getKey() + " here");
            };
        }

        private String text(JsonNode value) {
            return value.has("Ref") ? parameters.getOrDefault(value.path("Ref").asText(), "") : value.asText();
        }
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
