package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userservice.auth.KeySetPublication;
import dev.userservice.devices.DeviceService;
import dev.userservice.preferences.PreferencesService;
import dev.userservice.profiles.NotificationProfiles;
import dev.userservice.users.UserService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * What CloudFormation deploys: {@code template.yaml} after the SAM transform, with the parameter values of a real
 * stack. What the template says as text (see {@link TemplateContractTest}) is not always what it becomes: SAM names
 * versions, merges Globals and creates the roles.
 */
class SamTransformTest {
    private static final Path REPO = TemplateContractTest.repositoryRoot();
    /** The template's Java functions, each with a version (the Python keep-alive is a plain Lambda function). */
    private static final int SERVERLESS_FUNCTIONS = Template.load(REPO.resolve("template.yaml")).resourcesOfType("AWS::Serverless::Function").size();
    private static final JsonNode JSON_MISSING = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    /** A deployment's parameters. */
    private static final Map<String, String> DEPLOYED = Map.of(
            "TokenIssuer", "urn:user-service", "TokenAudience", "user-service", "BcryptCost", "11", "EnableCache", "false");

    // -----------------------------------------------------------------------------------------------------------
    // Versions: the live alias follows every change of code or configuration
    // -----------------------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> aDeployThatChangesOnlyOneParameterPublishesANewVersionOfEveryFunction() {
        Map<String, String> before = versions(SamTransform.deployed(REPO, DEPLOYED));
        assertEquals(SERVERLESS_FUNCTIONS, before.size(), "one version per function");
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
                "the same jars and parameters must name the same versions, or every deploy publishes a new one of each function");
    }

    /** Kept versions count against the region's code storage: a deploy that retained each would fill it in some 140 deploys. */
    @Test
    void aReplacedVersionIsDeleted() {
        Map<String, JsonNode> versions = SamTransform.resourcesOfType(SamTransform.of(REPO, DEPLOYED), "AWS::Lambda::Version");

        assertFalse(versions.isEmpty(), "no versions");
        versions.forEach((id, version) -> assertEquals("Delete", version.path("DeletionPolicy").asText(), () -> id + " is kept when replaced"));
    }

    /** SAM names a version without the function's timeout, handler or network: an edit of those alone needs the fingerprint. */
    @Test
    void aChangeToTheTemplateAloneChangesTheFingerprint(@TempDir Path copy) throws IOException {
        copyDeployableStack(copy);
        String before = SamTransform.deployed(copy, DEPLOYED).get("DeploymentFingerprint");
        String template = Files.readString(copy.resolve("template.yaml"));
        String longerTimeout = template.replaceFirst("(?m)^    Timeout: 10$", "    Timeout: 11");
        assertNotEquals(template, longerTimeout, "Globals' Timeout: 10 is where this test expects it");
        Files.writeString(copy.resolve("template.yaml"), longerTimeout);

        assertNotEquals(before, SamTransform.deployed(copy, DEPLOYED).get("DeploymentFingerprint"));
    }

    /** Replacing the key-set authority needs its custom resource to run again on an otherwise unchanged stack. */
    @Test
    void aRepublishChangesTheFingerprintThoughNothingElseDid() {
        String unchanged = SamTransform.deployed(REPO, DEPLOYED).get("DeploymentFingerprint");

        assertNotEquals(unchanged, SamTransform.deployed(REPO, DEPLOYED, "--republish").get("DeploymentFingerprint"));
    }

    @Test
    void everyServiceFunctionReportsTheServiceVersionParameter() {
        Deployed stack = Deployed.with(Map.of());
        Set<String> serviceFunctions = new TreeSet<>(stack.functions().keySet());
        serviceFunctions.remove("KeepAliveFunction");

        assertEquals(serviceFunctions, stack.functionsNaming("ServiceVersion"), "functions whose SERVICE_VERSION is the parameter");
    }

    /**
     * {@code /health} reports the checkout's version; a new commit that changes neither a jar nor the template gets no
     * new version of any function, since the version stays out of the fingerprint.
     */
    @Test
    void aDeployPassesTheCheckoutsVersionOutsideTheFingerprint(@TempDir Path copy) throws IOException {
        copyDeployableStack(copy);
        git(copy, "init", "-q");
        git(copy, "add", "-A");
        git(copy, "commit", "-q", "-m", "first");
        String fingerprint = SamTransform.deployed(copy, DEPLOYED).get("DeploymentFingerprint");

        Map<String, String> first = deployedParameters(copy, DEPLOYED);
        git(copy, "commit", "-q", "--allow-empty", "-m", "documentation only");
        Map<String, String> second = deployedParameters(copy, DEPLOYED);

        assertEquals(git(copy, "rev-parse", "--short", "HEAD~1"), first.get("ServiceVersion"));
        assertEquals(git(copy, "rev-parse", "--short", "HEAD"), second.get("ServiceVersion"));
        assertEquals(fingerprint, first.get("DeploymentFingerprint"));
        assertEquals(fingerprint, second.get("DeploymentFingerprint"), "a new version name alone publishes no function");
    }

    @Test
    void aDeployOutsideAGitCheckoutReportsTheFingerprintAndAGivenVersionWins(@TempDir Path copy) throws IOException {
        copyDeployableStack(copy);

        Map<String, String> unversioned = deployedParameters(copy, DEPLOYED);
        assertEquals(unversioned.get("DeploymentFingerprint").substring(0, 12), unversioned.get("ServiceVersion"));

        Map<String, String> given = new TreeMap<>(DEPLOYED);
        given.put("ServiceVersion", "2.4.0");
        Map<String, String> versioned = deployedParameters(copy, given);
        assertEquals("2.4.0", versioned.get("ServiceVersion"));
        assertEquals(unversioned.get("DeploymentFingerprint"), versioned.get("DeploymentFingerprint"),
                "a version given publishes nothing by itself either");
    }

    /** What ./deploy needs: the script, its configuration, the template and a built jar. */
    private static void copyDeployableStack(Path copy) throws IOException {
        for (String file : List.of("deploy", "samconfig.toml", "template.yaml")) {
            Files.copy(REPO.resolve(file), copy.resolve(file));
        }
        Path jar = copy.resolve("functions/users/target/function.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "a jar");
    }

    /**
     * A plain {@code ./deploy} gives sam deploy no parameter but its own two, so every other keeps the value the stack
     * has: a list in samconfig.toml would undo a parameter changed since (the cache turned on, deleted again).
     */
    @Test
    void aPlainDeploySendsOnlyTheVersionAndTheFingerprint(@TempDir Path copy) throws IOException {
        copyDeployableStack(copy);

        assertEquals(Set.of("DeploymentFingerprint", "ServiceVersion"), passedParameters(SamTransform.samDeployArguments(copy)).keySet());
    }

    /** A guided deploy saves every parameter in samconfig.toml: they are sent again, but its saved version and fingerprint are not. */
    @Test
    void aGuidedDeploysSavedParametersAreSentWithThisDeploysVersionAndFingerprint(@TempDir Path copy) throws IOException {
        copyDeployableStack(copy);
        Path config = copy.resolve("samconfig.toml");
        Files.writeString(config, Files.readString(config).replace("tags = ",
                "parameter_overrides = \"EnableCache=\\\"true\\\" ServiceVersion=\\\"0.1.0\\\" DeploymentFingerprint=\\\"saved\\\"\"\ntags = "));

        Map<String, String> passed = passedParameters(SamTransform.samDeployArguments(copy));

        assertEquals("true", passed.get("EnableCache"));
        assertNotEquals("0.1.0", passed.get("ServiceVersion"));
        assertEquals(SamTransform.deployed(copy, Map.of("EnableCache", "true")).get("DeploymentFingerprint"), passed.get("DeploymentFingerprint"));
    }

    /** The parameter values ./deploy hands sam deploy, by name. */
    private static Map<String, String> deployedParameters(Path repository, Map<String, String> parameters) {
        return passedParameters(SamTransform.samDeployArguments(repository, "--parameter-overrides", SamTransform.overrides(parameters)));
    }

    private static Map<String, String> passedParameters(List<String> arguments) {
        assertEquals("deploy", arguments.get(0));
        String passed = arguments.get(arguments.indexOf("--parameter-overrides") + 1);
        Map<String, String> values = new TreeMap<>();
        for (String pair : passed.strip().split(" +")) {
            values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1).replace("\"", ""));
        }
        return values;
    }

    private static String git(Path repository, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=test", "-c", "user.email=test@example.com",
                "-c", "commit.gpgsign=false"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(repository.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        try {
            assertEquals(0, process.waitFor(), () -> String.join(" ", command) + ": " + output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return output;
    }

    // -----------------------------------------------------------------------------------------------------------
    // The cache's network: only the functions that use Redis are in the VPC, and they reach AWS through endpoints
    // -----------------------------------------------------------------------------------------------------------

    /**
     * The functions that never touch the cache, so stay outside the VPC; every other function uses it (sessions, rate
     * limits, cached views, or forgetting those after a write). The keep-alive is Python and calls only Lambda.
     */
    private static final Set<String> WITHOUT_CACHE = Set.of("RouteNotFoundFunction", "JwksFunction", "OpenIdConfigurationFunction",
            "OutboxPublisherFunction", "AccountEraserFunction", "KeyRotationFunction", "KeySetAuthorityFunction", "PublishKeySetFunction",
            "KeepAliveFunction", "PagesFunction", "ServiceInfoFunction", "StreamHeartbeatFunction");
    private static final Map<String, String> CACHE_ON = Map.of("EnableCache", "true", "VpcId", "vpc-0123456789abcdef0",
            "SubnetIds", "subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb", "RouteTableIds", "rtb-0cccccccccccccccc");

    @Test
    void withTheCacheOnlyTheFunctionsThatUseItAreInTheVpcAndHaveItsUrl() {
        Deployed stack = Deployed.with(CACHE_ON);

        Set<String> expected = new TreeSet<>(stack.functions().keySet());
        expected.removeAll(WITHOUT_CACHE);
        assertEquals(SERVERLESS_FUNCTIONS + 1 - WITHOUT_CACHE.size(), expected.size(), "the functions, with the keep-alive, less those without the cache");
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

    /** A VPC with endpoints of its own must admit the functions: the stack names their group for that rule. */
    @Test
    void aStackWithoutEndpointsOfItsOwnNamesTheFunctionsGroup() {
        Deployed stack = Deployed.with(withChanged(CACHE_ON, "CreateVpcEndpoints", "false", "RouteTableIds", ""));

        assertEquals(Map.of(), stack.existing("AWS::EC2::VPCEndpoint"));
        assertEquals("FunctionSecurityGroup", stack.template().path("Outputs").path("FunctionSecurityGroupId").path("Value").path("Ref").asText());
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

    // -----------------------------------------------------------------------------------------------------------
    // Operations: logs that expire, alarms that reach someone, secrets that outlive the stack, snapshots that live
    // -----------------------------------------------------------------------------------------------------------

    @Test
    void everyFunctionLogsToAGroupOfItsOwnKeptLogRetentionDays() {
        Deployed stack = Deployed.with(Map.of());
        Map<String, JsonNode> groups = stack.existing("AWS::Logs::LogGroup");

        Set<String> used = new TreeSet<>();
        stack.functions().forEach((id, function) -> {
            JsonNode logging = function.path("Properties").path("LoggingConfig");
            String group = logging.path("LogGroup").path("Ref").asText();
            assertTrue(groups.containsKey(group), () -> id + " logs to " + logging.path("LogGroup") + ", no log group of the stack, "
                    + "so Lambda makes /aws/lambda/<name>, which never expires");
            assertTrue(used.add(group), () -> id + " shares its log group " + group);
            assertEquals("LogRetentionDays", groups.get(group).path("Properties").path("RetentionInDays").path("Ref").asText(),
                    () -> group + "'s retention");
            assertEquals("INFO", logging.path("SystemLogLevel").asText("INFO"),
                    () -> id + ": platform lines below INFO are hidden, among them the report of a SnapStart restore's time");
        });
    }

    /**
     * The local runner allows a function no action its role in AWS lacks: the policy templates SAM expands are
     * compared with the runner's reading of them, so a call that passes locally cannot be denied after a deploy.
     */
    @Test
    void theRunnerAllowsNoActionTheDeployedRoleLacks() {
        JsonNode transformed = SamTransform.of(REPO, Map.of());
        Map<String, JsonNode> roles = SamTransform.resourcesOfType(transformed, "AWS::IAM::Role");
        Template.load(REPO.resolve("template.yaml")).resourcesOfType("AWS::Serverless::Function").forEach((id, function) -> {
            IamPolicy local = IamPolicy.of(id, Template.properties(function));
            Set<String> deployed = new TreeSet<>();
            roles.getOrDefault(id + "Role", JSON_MISSING).path("Properties").path("Policies").forEach(policy ->
                    policy.path("PolicyDocument").path("Statement").forEach(statement -> {
                        if (!statement.path("Effect").asText().equals("Allow")) {
                            return;
                        }
                        JsonNode action = statement.path("Action");
                        if (action.isArray()) {
                            action.forEach(each -> deployed.add(each.asText()));
                        } else {
                            deployed.add(action.asText());
                        }
                    }));
            List<String> extra = local.allowedActions().stream().filter(action -> !deployed.contains(action)).toList();
            assertEquals(List.of(), extra, () -> id + ": allowed locally, not by its role in AWS " + deployed);
        });
    }

    /**
     * The secrets, the table and the queues where failures wait hold the only copy of what they hold. Not the cursor
     * secret: losing it costs the cursors then in use a 400, and a retained one would outlive every deleted stack.
     */
    @Test
    void whatHoldsTheOnlyCopyOfSomethingOutlivesTheStack() {
        Deployed stack = Deployed.with(Map.of());
        Map<String, JsonNode> kept = new TreeMap<>(stack.existing("AWS::SecretsManager::Secret"));
        assertTrue(kept.remove("CursorSecret") != null);
        kept.putAll(stack.existing("AWS::DynamoDB::Table"));
        stack.existing("AWS::SQS::Queue").forEach((id, queue) -> {
            if (id.endsWith("DeadLetterQueue") || id.endsWith("FailuresQueue")) {
                kept.put(id, queue);
            }
        });

        assertEquals(Set.of("AccountErasureDeadLetterQueue", "NotificationStatusDeadLetterQueue", "OutboxFailuresQueue", "Table",
                "UserEventsDeadLetterQueue"), new TreeSet<>(kept.keySet().stream().filter(id -> !id.endsWith("Secret")).toList()));
        kept.forEach((id, resource) -> {
            assertEquals("Retain", resource.path("DeletionPolicy").asText(), () -> id + " is deleted with the stack");
            assertEquals("Retain", resource.path("UpdateReplacePolicy").asText(), () -> id + " is deleted when replaced");
        });
        assertTrue(kept.get("Table").path("Properties").path("DeletionProtectionEnabled").asBoolean(), "a delete-table call is refused");
    }

    /**
     * A stream record is given up on only just before the stream drops it: earlier, a publisher an hour behind (throttled,
     * or behind a record being retried) would drop every event of that hour unpublished; later (or never, -1), the
     * stream trims it first and Lambda sends no failure record, so nobody hears of it.
     */
    @Test
    void everyStreamConsumerGivesARecordUpJustBeforeTheStreamDropsIt() {
        Map<String, Integer> maximumAges = new TreeMap<>();
        Deployed.with(CACHE_ON).existing("AWS::Lambda::EventSourceMapping").forEach((id, mapping) -> {
            if (mapping.path("Properties").path("EventSourceArn").path("Fn::GetAtt").path(1).asText().equals("StreamArn")) {
                maximumAges.put(id, mapping.path("Properties").path("MaximumRecordAgeInSeconds").asInt(-1));
            }
        });
        assertEquals(2, maximumAges.size(), () -> "the stream's consumers: " + maximumAges);
        maximumAges.forEach((id, age) -> assertTrue(age >= 82_800 && age < 86_400, () -> id + " gives records up at " + age + " s"));
    }

    /**
     * The table changes consumer waits at a record whose forget Redis did not confirm, until it gives the record up:
     * every cached view must have expired by then, or a view the record made stale would outlive it.
     */
    @Test
    void everyCachedViewExpiresBeforeTheTableChangesConsumerGivesARecordUp() {
        JsonNode mapping = Deployed.with(CACHE_ON).existing("AWS::Lambda::EventSourceMapping").entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("TableChangesFunction"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
        Duration givenUpAfter = Duration.ofSeconds(mapping.path("Properties").path("MaximumRecordAgeInSeconds").asLong());

        for (Duration ttl : List.of(UserService.CACHE_TTL, PreferencesService.CACHE_TTL, DeviceService.LIST_CACHE_TTL,
                NotificationProfiles.INPUTS_TTL)) {
            assertTrue(ttl.compareTo(givenUpAfter) < 0, () -> ttl + " outlives a record given up after " + givenUpAfter);
        }
    }

    /**
     * The consumers' kernels (QueueFunction, StreamFunction) name their failures only in a partial batch response,
     * which Lambda reads only with ReportBatchItemFailures: without it every failed message or record would count
     * as done. The runner honours the response either way, so only this check would see the line go missing.
     */
    @Test
    void everyQueueAndStreamConsumerReportsItsBatchItemFailures() {
        Map<String, JsonNode> mappings = Deployed.with(CACHE_ON).existing("AWS::Lambda::EventSourceMapping");
        assertFalse(mappings.isEmpty());
        mappings.forEach((id, mapping) -> {
            JsonNode types = mapping.path("Properties").path("FunctionResponseTypes");
            assertTrue(types.isArray() && types.toString().contains("\"ReportBatchItemFailures\""), () -> id + ": " + types);
        });
    }

    /**
     * SAM gives each queue or stream consumer the AWS managed policy of its kind of source, which allows reading (and,
     * for queues, deleting) every queue or every table stream of the account. A consumer must be held to its own source
     * by a deny on every other: otherwise a fault or a compromised dependency in one function could drain another
     * team's queue. The mapping's own source is what the deny leaves out.
     */
    @Test
    void everyConsumerReadsOnlyItsOwnQueueOrStream() {
        Map<String, List<String>> dataActions = Map.of(
                "AWSLambdaSQSQueueExecutionRole", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
                "AWSLambdaDynamoDBExecutionRole", List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"));
        Deployed stack = Deployed.with(CACHE_ON);
        List<String> unbounded = new ArrayList<>();
        Set<String> heldToTheirSource = new TreeSet<>();
        stack.existing("AWS::Lambda::EventSourceMapping").forEach((id, mapping) -> {
            String function = stack.functionOf(mapping.path("Properties").path("FunctionName")).orElseThrow();
            JsonNode role = stack.roleOf(function);
            JsonNode source = mapping.path("Properties").path("EventSourceArn");
            dataActions.forEach((managed, actions) -> {
                if (!role.path("ManagedPolicyArns").toString().contains("/" + managed + "\"")) {
                    return;
                }
                boolean denied = stack.statementsOf(role).anyMatch(statement -> statement.path("Effect").asText().equals("Deny")
                        && statement.path("NotResource").equals(source)
                        && StreamSupport.stream(statement.path("Action").spliterator(), false).map(JsonNode::asText).toList().containsAll(actions));
                if (denied) {
                    heldToTheirSource.add(id);
                } else {
                    unbounded.add(function + " (" + managed + ") reads beyond " + source);
                }
            });
        });

        assertEquals(List.of(), unbounded);
        assertEquals(4, heldToTheirSource.size(), () -> "the two queue consumers and the stream's two: " + heldToTheirSource);
    }

    /** Every event must go out: the publisher parks what it can never publish itself, and retries everything else. */
    @Test
    void theOutboxsPublisherRetriesARecordUntilTheStreamDropsIt() {
        JsonNode outbox = Deployed.with(Map.of()).existing("AWS::Lambda::EventSourceMapping").get("OutboxPublisherFunctionOutbox");

        assertEquals(-1, outbox.path("Properties").path("MaximumRetryAttempts").asInt());
    }

    /** A queue's consumer scales with the queue up to a cap, so a burst cannot take the concurrency the API needs. */
    @Test
    void everyQueueConsumerHasAConcurrencyCap() {
        Map<String, JsonNode> fromQueues = new TreeMap<>();
        Deployed.with(Map.of()).existing("AWS::Lambda::EventSourceMapping").forEach((id, mapping) -> {
            if (mapping.path("Properties").path("EventSourceArn").path("Fn::GetAtt").path(0).asText().endsWith("Queue")) {
                fromQueues.put(id, mapping);
            }
        });
        assertFalse(fromQueues.isEmpty(), "no queue consumers found");
        List<String> uncapped = fromQueues.entrySet().stream()
                .filter(mapping -> !mapping.getValue().path("Properties").path("ScalingConfig").has("MaximumConcurrency"))
                .map(Map.Entry::getKey).toList();

        assertEquals(List.of(), uncapped);
    }

    /**
     * The key-set authority's private key is read by the three functions that publish, and its public key is in every
     * other Java function's configuration; the custom resource's own function lacks it, since it answers it (and the
     * keep-alive, Python, checks no token).
     */
    @Test
    void onlyThePublishersCanReadTheKeySetAuthorityAndEveryOtherFunctionHasItsPublicKey() {
        Deployed stack = Deployed.with(Map.of());

        assertEquals(Set.of("KeyRotationFunction", "KeySetAuthorityFunction", "PublishKeySetFunction"),
                stack.functionsAllowedOn("KeySetAuthoritySecret"));
        Set<String> others = new TreeSet<>(stack.functions().keySet());
        others.removeAll(Set.of("KeySetAuthorityFunction", "KeepAliveFunction"));
        assertEquals(others, stack.functionsWith("Environment", "Variables", "KEY_SET_AUTHORITY"));
    }

    /**
     * Only the functions that sign (access tokens, the published verification keys) and the rotation can read the
     * signing keys, and only they are told where those are: every other function checks tokens with the published
     * keys and primes with a key of its own (Services.accessTokenOfNobody), so a function that only verifies cannot
     * mint a token. The listings, whose public search takes any text, seal their cursors with a secret of their own.
     */
    @Test
    void onlyTheFunctionsThatSignCanReadTheSigningKeys() {
        Deployed stack = Deployed.with(Map.of());
        Set<String> signers = Set.of("RegisterFunction", "LoginFunction", "RefreshFunction", "ServiceTokenFunction",
                "KeyRotationFunction", "KeySetAuthorityFunction", "PublishKeySetFunction");
        Set<String> listings = Set.of("ListUsersFunction", "SearchUsersFunction", "NotificationHistoryFunction");

        assertEquals(signers, stack.functionsAllowedOn("SigningKeySecret"));
        assertEquals(signers, stack.functionsWith("Environment", "Variables", "JWT_KEYS_SECRET_ARN"));
        assertEquals(listings, stack.functionsAllowedOn("CursorSecret"));
        assertEquals(listings, stack.functionsWith("Environment", "Variables", "CURSOR_SECRET_ARN"));
    }

    /**
     * A function is told where a secret is (a variable naming it) exactly when its role may read it: a function that
     * names a secret it may not read fails in AWS only, since locally the runner hands over files and inline values.
     */
    @Test
    void everyFunctionMayReadTheSecretsItIsToldOfAndNoOther() {
        Deployed stack = Deployed.with(Map.of());

        for (String secret : stack.existing("AWS::SecretsManager::Secret").keySet()) {
            assertEquals(stack.functionsAllowedOn(secret), stack.functionsNaming(secret), secret);
        }
    }

    @Test
    void everyAlarmNotifiesATopicWhetherOrNotOneIsGiven() {
        for (Map<String, String> parameters : List.of(Map.<String, String>of(), Map.of("AlarmTopicArn", "arn:aws:sns:us-east-1:123456789012:ops"))) {
            Deployed stack = Deployed.with(parameters);
            Map<String, JsonNode> alarms = stack.existing("AWS::CloudWatch::Alarm");
            assertFalse(alarms.isEmpty(), "no alarms");
            alarms.forEach((id, alarm) -> {
                List<JsonNode> actions = new ArrayList<>();
                alarm.path("Properties").path("AlarmActions").forEach(action -> stack.deployed(action).ifPresent(actions::add));
                assertEquals(1, actions.size(), () -> id + " notifies " + actions + " with " + parameters);
                JsonNode action = actions.getFirst();
                if (parameters.isEmpty()) {
                    assertTrue(stack.existing("AWS::SNS::Topic").containsKey(action.path("Ref").asText()),
                            () -> id + " notifies " + action + ", no topic of the stack");
                } else {
                    assertEquals("AlarmTopicArn", action.path("Ref").asText(), () -> id + " ignores the given topic");
                }
            });
        }
    }

    /**
     * The API's server errors page by their share of the requests, counted from ten of them: a count alone pages a busy
     * stack for the odd failed cold start, a share alone pages a quiet one for a single failure.
     */
    @Test
    void theApisServerErrorsAlarmOnTheirShareOfRequestsCountedFromTen() {
        JsonNode alarm = Deployed.with(Map.of()).existing("AWS::CloudWatch::Alarm").get("ApiServerErrorsAlarm").path("Properties");
        Map<String, String> metricOf = new TreeMap<>();
        List<String> returned = new ArrayList<>();
        alarm.path("Metrics").forEach(metric -> {
            if (metric.has("MetricStat")) {
                JsonNode watched = metric.path("MetricStat").path("Metric");
                assertEquals("HttpApi", watched.path("Dimensions").path(0).path("Value").path("Ref").asText(), metric.toString());
                metricOf.put(metric.path("Id").asText(), watched.path("Namespace").asText() + " " + watched.path("MetricName").asText());
            }
            if (metric.path("ReturnData").asBoolean()) {
                returned.add(metric.path("Expression").asText());
            }
        });
        assertEquals(Map.of("errors", "AWS/ApiGateway 5xx", "requests", "AWS/ApiGateway Count"), metricOf);
        assertEquals(1, returned.size(), alarm.toString());
        assertEquals("GreaterThanThreshold", alarm.path("ComparisonOperator").asText());
        double threshold = alarm.path("Threshold").asDouble();

        record Minutes(double errors, double requests, boolean pages) {}
        for (Minutes five : List.of(new Minutes(9, 9, false), new Minutes(10, 10, true), new Minutes(10, 100_000, false),
                new Minutes(300, 300_000, false), new Minutes(301, 300_000, true), new Minutes(10, 5_000, true))) {
            double value = SamTransform.metricMath(returned.getFirst(), Map.of("errors", five.errors(), "requests", five.requests()));
            assertEquals(five.pages(), value > threshold, () -> five + " gives " + value + " against " + threshold);
        }
    }

    @Test
    void everyPartThatCanFailUnseenIsWatched() {
        Deployed stack = Deployed.with(Map.of());
        Set<String> watched = stack.watchedMetrics();

        assertTrue(watched.contains("AWS/ApiGateway 5xx HttpApi"), () -> "the API's 5xx answers are not watched: " + watched);
        assertTrue(watched.contains("AWS/Lambda Throttles"), () -> "throttled invocations are not watched: " + watched);
        assertTrue(watched.containsAll(Set.of("AWS/DynamoDB ReadThrottleEvents Table", "AWS/DynamoDB WriteThrottleEvents Table")),
                () -> "the table's throttles are not watched: " + watched);
        assertTrue(Deployed.with(CACHE_ON).watchedMetrics().contains("AWS/ElastiCache ThrottledCmds Cache"),
                "the cache's throttled commands are not watched");
        List<String> unwatched = new ArrayList<>();
        stack.functionsCalledBy(Set.of("AWS::Lambda::EventSourceMapping", "AWS::Events::Rule", "AWS::SecretsManager::RotationSchedule"))
                .forEach(function -> {
                    if (!watched.contains("AWS/Lambda Errors " + function)) {
                        unwatched.add(function + " Errors");
                    }
                });
        stack.functionsCalledBy(Set.of("AWS::Lambda::EventSourceMapping")).stream()
                .filter(function -> stack.streamConsumers().contains(function))
                .forEach(function -> {
                    if (!watched.contains("AWS/Lambda IteratorAge " + function)) {
                        unwatched.add(function + " IteratorAge");
                    }
                });
        // A dead-letter queue is watched for its first message and, since that alarm then stays on, for its oldest's age.
        Set<String> deadLetters = new TreeSet<>(Set.of("OutboxFailuresQueue"));
        stack.existing("AWS::SQS::Queue").values().forEach(queue -> deadLetters.add(
                queue.path("Properties").path("RedrivePolicy").path("deadLetterTargetArn").path("Fn::GetAtt").path(0).asText()));
        deadLetters.remove("");
        assertEquals(4, deadLetters.size(), deadLetters::toString);
        deadLetters.forEach(queue -> List.of("ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage").forEach(metric -> {
            if (!watched.contains("AWS/SQS " + metric + " " + queue)) {
                unwatched.add(queue + " " + metric);
            }
        }));
        assertTrue(unwatched.isEmpty(), () -> "Failures nobody hears of (no client sees them): " + unwatched);
        assertTrue(stack.streamConsumers().size() >= 2, "the stream's two consumers, the outbox's publisher and the counters");
    }

    /**
     * DynamoDB Streams throttles a shard read by more than two processes at once, and each event source mapping on the
     * stream is one: a third consumer takes its records from a queue, as the account eraser does.
     */
    @Test
    void noMoreThanTwoReadersShareTheTablesStream() {
        Deployed stack = Deployed.with(CACHE_ON);

        assertEquals(List.of("OutboxPublisherFunction", "TableChangesFunction"), stack.streamReaders().stream().sorted().toList());
    }

    /**
     * A stream mapping starts at TRIM_HORIZON, so that a new stack misses nothing; a mapping replaced on a deployed
     * stack (its logical id, the function's id and the event's name, changed) starts there too and reads the last 24
     * hours again: every event published again past the queue's five minutes of deduplication, its token mails sent
     * again. Their ids are pinned here; changing one needs the procedure in docs/deploying.md.
     */
    @Test
    void theStreamMappingsKeepTheirLogicalIds() {
        Set<String> mappings = new TreeSet<>();
        Deployed.with(CACHE_ON).existing("AWS::Lambda::EventSourceMapping").forEach((id, mapping) -> {
            if (mapping.path("Properties").path("EventSourceArn").path("Fn::GetAtt").path(1).asText().equals("StreamArn")) {
                mappings.add(id + " " + mapping.path("Properties").path("StartingPosition").asText());
            }
        });

        assertEquals(Set.of("OutboxPublisherFunctionOutbox TRIM_HORIZON", "TableChangesFunctionChanged TRIM_HORIZON"), mappings);
    }

    @Test
    void noSnapStartVersionGoesUncalledForFourteenDays() {
        Deployed stack = Deployed.with(Map.of());
        Set<String> routed = stack.functionsInvokableBy("apigateway.amazonaws.com");

        List<String> problems = new ArrayList<>();
        stack.functions().forEach((id, function) -> {
            boolean snapStart = "PublishedVersions".equals(function.path("Properties").path("SnapStart").path("ApplyOn").asText());
            if (snapStart && !routed.contains(id)) {
                problems.add(id + " has SnapStart but no route: the keep-alive's request is an HTTP one");
            }
        });
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
        JsonNode schedule = stack.existing("AWS::Events::Rule").values().stream()
                .filter(rule -> rule.path("Properties").path("Targets").path(0).path("Arn").path("Fn::GetAtt").path(0).asText().equals("KeepAliveFunction"))
                .findFirst().orElseThrow(() -> new AssertionError("no schedule calls KeepAliveFunction"));
        String rate = schedule.path("Properties").path("ScheduleExpression").asText();
        assertTrue(rate.matches("rate\\(([1-9]|1[0-3]) days?\\)"), () -> "the keep-alive runs " + rate + ", not within 14 days");
    }

    /** The keep-alive may call the stack's functions by their tag, but never those that make an admin or handle the keys. */
    @Test
    void theKeepAliveCannotInvokeTheAdminPromotionOrTheKeyFunctions() {
        JsonNode role = Deployed.with(Map.of()).existing("AWS::IAM::Role").get("KeepAliveRole");
        Set<String> denied = new TreeSet<>();
        role.path("Properties").path("Policies").forEach(policy -> policy.path("PolicyDocument").path("Statement").forEach(statement -> {
            if (statement.path("Effect").asText().equals("Deny") && statement.path("Action").asText().equals("lambda:InvokeFunction")) {
                statement.path("Resource").forEach(resource -> denied.add(resource.toString()));
            }
        }));

        for (String function : List.of("PromoteAdminFunction", "KeyRotationFunction", "KeySetAuthorityFunction")) {
            assertTrue(denied.stream().anyMatch(resource -> resource.contains("\"" + function + "\"") && !resource.contains(":*")),
                    () -> function + " is not denied: " + denied);
            assertTrue(denied.stream().anyMatch(resource -> resource.contains(function + ".Arn}:*")),
                    () -> function + "'s versions and aliases are not denied: " + denied);
        }
    }

    /**
     * The functions trust the cache's published set only until its signed expiry (KeySetPublication.VALIDITY): the
     * schedule that signs it again must run often enough to miss a few runs, or every cold start reads the table.
     */
    @Test
    void theVerificationKeysArePublishedAgainAtLeastThreeTimesWithinTheirValidity() {
        Deployed stack = Deployed.with(Map.of());
        JsonNode schedule = Optional.ofNullable(stack.existing("AWS::Events::Rule").get("PublishKeySetFunctionEverySixHours"))
                .orElseThrow(() -> new AssertionError("no schedule calls PublishKeySetFunction"));
        assertEquals("PublishKeySetFunctionAliaslive", schedule.path("Properties").path("Targets").path(0).path("Arn").path("Ref").asText(),
                schedule.toString());
        Duration every = every(schedule);

        assertTrue(every.multipliedBy(3).compareTo(KeySetPublication.VALIDITY) < 0,
                () -> "published every " + every + ", valid for " + KeySetPublication.VALIDITY);
        assertEquals("ENABLED", schedule.path("Properties").path("State").asText("ENABLED"));
    }

    /**
     * A consumer whose event source mapping is disabled is never invoked and reports no IteratorAge, while the stream
     * trims what it did not read after 24 hours: every consumer's invocations are watched, no data counting as none,
     * over a period in which the heartbeat invokes each several times, so that one beat lost does not page.
     */
    @Test
    void aStreamConsumerNotInvokedWhileTheHeartbeatBeatsPages() {
        Deployed stack = Deployed.with(Map.of());
        JsonNode alarm = Optional.ofNullable(stack.existing("AWS::CloudWatch::Alarm").get("StreamHeartbeatAlarm"))
                .orElseThrow(() -> new AssertionError("no StreamHeartbeatAlarm")).path("Properties");
        Set<String> watched = new TreeSet<>();
        Set<Duration> periods = new TreeSet<>();
        alarm.path("Metrics").forEach(metric -> {
            JsonNode stat = metric.path("MetricStat");
            if (!stat.isMissingNode()) {
                assertEquals("AWS/Lambda Invocations Sum", stat.path("Metric").path("Namespace").asText() + " "
                        + stat.path("Metric").path("MetricName").asText() + " " + stat.path("Stat").asText(), metric.toString());
                watched.add(stat.path("Metric").path("Dimensions").path(0).path("Value").path("Ref").asText());
                periods.add(Duration.ofSeconds(stat.path("Period").asLong()));
            }
        });
        JsonNode schedule = Optional.ofNullable(stack.existing("AWS::Events::Rule").get("StreamHeartbeatFunctionEveryQuarterHour"))
                .orElseThrow(() -> new AssertionError("no schedule calls StreamHeartbeatFunction"));
        Duration beat = every(schedule);
        Duration period = periods.iterator().next();

        assertEquals(stack.streamConsumers(), watched, "the consumers whose invocations are watched");
        assertEquals(1, periods.size(), periods::toString);
        assertEquals("breaching", alarm.path("TreatMissingData").asText(), "no invocation reports no data, which is the silence watched");
        assertEquals("LessThanThreshold 1", alarm.path("ComparisonOperator").asText() + " " + alarm.path("Threshold").asInt());
        assertTrue(beat.multipliedBy(3).compareTo(period) <= 0, () -> "a beat every " + beat + ", an alarm over " + period);
        assertTrue(period.multipliedBy(alarm.path("EvaluationPeriods").asInt()).compareTo(Duration.ofHours(6)) <= 0,
                "heard while the stream still holds most of what was not read");
        assertEquals("StreamHeartbeatFunctionAliaslive", schedule.path("Properties").path("Targets").path(0).path("Arn").path("Ref").asText());
        assertEquals("ENABLED", schedule.path("Properties").path("State").asText("ENABLED"));
        assertEquals(List.of("Allow dynamodb:PutItem {\"Fn::GetAtt\":[\"Table\",\"Arn\"]}"),
                stack.statementsOf(stack.roleOf("StreamHeartbeatFunction")).map(statement -> statement.path("Effect").asText()
                        + " " + statement.path("Action").asText() + " " + statement.path("Resource")).toList(),
                "it writes its beats and nothing else");
    }

    /** How often a schedule's {@code rate(...)} runs. */
    private static Duration every(JsonNode schedule) {
        Matcher rate = Pattern.compile("rate\\((\\d+) (minute|hour|day)s?\\)")
                .matcher(schedule.path("Properties").path("ScheduleExpression").asText());
        assertTrue(rate.matches(), schedule.toString());
        return Duration.of(Long.parseLong(rate.group(1)), switch (rate.group(2)) {
            case "minute" -> ChronoUnit.MINUTES;
            case "hour" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        });
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

        /** The role a function runs as. */
        JsonNode roleOf(String function) {
            String role = functions().get(function).path("Properties").path("Role").path("Fn::GetAtt").path(0).asText();
            return template.path("Resources").path(role).path("Properties");
        }

        /** The statements of a role's own policies (not the managed ones). */
        Stream<JsonNode> statementsOf(JsonNode role) {
            return StreamSupport.stream(role.path("Policies").spliterator(), false)
                    .flatMap(policy -> StreamSupport.stream(policy.path("PolicyDocument").path("Statement").spliterator(), false));
        }

        /** The service prefixes of the actions the function's role allows (its own policies, not the managed ones). */
        Set<String> servicesCalledBy(String function) {
            Set<String> services = new TreeSet<>();
            statementsOf(roleOf(function)).filter(statement -> statement.path("Effect").asText().equals("Allow")).forEach(statement -> {
                JsonNode actions = statement.path("Action");
                (actions.isArray() ? StreamSupport.stream(actions.spliterator(), false) : Stream.of(actions))
                        .map(action -> action.asText().substring(0, action.asText().indexOf(':')))
                        .forEach(services::add);
            });
            return services;
        }

        /**
         * The functions whose role has a statement on {@code resource} (its {@code Ref}, as it is or inside the
         * {@code Fn::Sub} of a SAM policy template), alone or in a list.
         */
        Set<String> functionsAllowedOn(String resource) {
            Set<String> allowed = new TreeSet<>();
            functions().keySet().forEach(id -> statementsOf(roleOf(id)).forEach(statement -> {
                JsonNode resources = statement.path("Resource");
                (resources.isArray() ? StreamSupport.stream(resources.spliterator(), false) : Stream.of(resources))
                        .filter(named -> named.findValuesAsText("Ref").contains(resource))
                        .findAny().ifPresent(named -> allowed.add(id));
            }));
            return allowed;
        }

        /** The functions with a variable whose value is {@code resource} (its {@code Ref}). */
        Set<String> functionsNaming(String resource) {
            Set<String> naming = new TreeSet<>();
            functions().forEach((id, function) -> function.path("Properties").path("Environment").path("Variables")
                    .forEach(value -> {
                        if (value.path("Ref").asText().equals(resource)) {
                            naming.add(id);
                        }
                    }));
            return naming;
        }

        /** "namespace metric [dimension value]" of every metric an existing alarm watches, alone or in its math. */
        Set<String> watchedMetrics() {
            Set<String> watched = new TreeSet<>();
            existing("AWS::CloudWatch::Alarm").values().forEach(alarm -> {
                JsonNode properties = alarm.path("Properties");
                List<JsonNode> metrics = new ArrayList<>(List.of(properties));
                properties.path("Metrics").forEach(metric -> metrics.add(metric.path("MetricStat").path("Metric")));
                metrics.stream().filter(metric -> metric.has("MetricName")).forEach(metric -> {
                    StringBuilder name = new StringBuilder(metric.path("Namespace").asText() + " " + metric.path("MetricName").asText());
                    // A dimension's value names its resource: Ref X, or Fn::GetAtt [X, QueueName].
                    metric.path("Dimensions").forEach(dimension -> name.append(' ').append(dimension.path("Value").has("Fn::GetAtt")
                            ? dimension.path("Value").path("Fn::GetAtt").path(0).asText() : dimension.path("Value").path("Ref").asText()));
                    watched.add(name.toString());
                });
            });
            return watched;
        }

        /** The functions an existing resource of these types invokes (through their live alias or directly). */
        Set<String> functionsCalledBy(Set<String> types) {
            Set<String> called = new TreeSet<>();
            types.forEach(type -> existing(type).values().forEach(resource -> {
                JsonNode properties = resource.path("Properties");
                List<JsonNode> targets = new ArrayList<>(List.of(properties.path("FunctionName"), properties.path("RotationLambdaARN")));
                properties.path("Targets").forEach(target -> targets.add(target.path("Arn")));
                targets.forEach(target -> functionOf(target).ifPresent(called::add));
            }));
            return called;
        }

        /** The functions a service principal may invoke. */
        Set<String> functionsInvokableBy(String principal) {
            Set<String> invokable = new TreeSet<>();
            existing("AWS::Lambda::Permission").values().stream()
                    .filter(permission -> permission.path("Properties").path("Principal").asText().equals(principal))
                    .forEach(permission -> functionOf(permission.path("Properties").path("FunctionName")).ifPresent(invokable::add));
            return invokable;
        }

        /** The functions whose event source mapping reads the table's stream. */
        Set<String> streamConsumers() {
            return new TreeSet<>(streamReaders());
        }

        /** The function of each event source mapping that reads the table's stream: each mapping is one reader. */
        List<String> streamReaders() {
            List<String> readers = new ArrayList<>();
            existing("AWS::Lambda::EventSourceMapping").values().forEach(mapping -> {
                JsonNode source = mapping.path("Properties").path("EventSourceArn").path("Fn::GetAtt");
                if (source.path(1).asText().equals("StreamArn")) {
                    functionOf(mapping.path("Properties").path("FunctionName")).ifPresent(readers::add);
                }
            });
            return readers;
        }

        Optional<String> functionOf(JsonNode reference) {
            String id = reference.has("Ref") ? reference.path("Ref").asText() : reference.path("Fn::GetAtt").path(0).asText();
            JsonNode resource = template.path("Resources").path(id);
            if (resource.path("Type").asText().equals("AWS::Lambda::Alias")) {
                return functionOf(resource.path("Properties").path("FunctionName"));
            }
            return resource.path("Type").asText().equals("AWS::Lambda::Function") ? Optional.of(id) : Optional.empty();
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
        Optional<JsonNode> deployed(JsonNode value) {
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
}
