package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.userservice.http.RouteTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code template.yaml} is the single source of truth for what exists; these checks keep everything that depends
 * on it honest: the SAM schema, the handler classes, {@code openapi.yaml}, the sample events in {@code events/} and
 * the jars SAM deploys.
 */
class TemplateContractTest {
    private static final String FUNCTION = "AWS::Serverless::Function";
    private static final String FUNCTION_JAR = "target/function.jar";
    static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Path REPO = repositoryRoot();
    private static final Template TEMPLATE = Template.load(REPO.resolve("template.yaml"));
    private static JsonSchema samSchema;

    // -----------------------------------------------------------------------------------------------------------
    // a. The SAM schema, and cfn-lint where it is installed
    // -----------------------------------------------------------------------------------------------------------

    /** Every schedule is one EventBridge accepts, checked here whether or not the runner is asked to run schedules. */
    @Test
    void everyScheduleIsARateOrACron() {
        List<String> schedules = new ArrayList<>();
        TEMPLATE.resourcesOfType(FUNCTION).values().forEach(function -> Template.child(Template.properties(function), "Events")
                .values().stream().map(Template::asMap).filter(event -> "Schedule".equals(event.get("Type")))
                .forEach(event -> schedules.add(String.valueOf(Template.properties(event).get("Schedule")))));

        assertFalse(schedules.isEmpty());
        schedules.forEach(schedule -> assertTrue(schedule.startsWith("cron(") || ScheduleTrigger.rate(schedule).isPresent(), schedule));
    }

    @Test
    void templateIsValidAgainstTheSamSchema() {
        Set<ValidationMessage> errors = samSchema().validate(JSON.valueToTree(TEMPLATE.root()));

        assertTrue(errors.isEmpty(), () -> "template.yaml does not match the SAM schema:\n" + describe(errors));
    }

    @Test
    void samSchemaCheckReportsAnUnknownPropertyOnAFunction() {
        JsonNode broken = JSON.valueToTree(TEMPLATE.root());
        String function = functions().keySet().iterator().next();
        ((ObjectNode) broken.at("/Resources/" + function + "/Properties")).put("HandlerWithATypo", "Nope::handleRequest");

        Set<ValidationMessage> errors = samSchema().validate(broken);

        assertFalse(errors.isEmpty(), "A function with an unknown property passed the SAM schema check, so the check proves nothing");
        assertTrue(errors.stream().anyMatch(error -> error.getInstanceLocation().toString().contains(function)),
                () -> "The SAM schema errors do not point at " + function + ":\n" + describe(errors));
    }

    /**
     * {@code cfn-lint}, where it is installed, checks what the SAM schema cannot: every CloudFormation resource's
     * properties and the template after the SAM transform. One run lints the template and copies with a misspelled
     * property on a function, a queue and the table, which must each be reported.
     */
    @Test
    void cfnLintFindsNoErrorInTheTemplateAndReportsMisspelledProperties(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("cfn-lint"), "cfn-lint is not installed here");
        // A function's typo stops the SAM transform, after which nothing else is checked: it gets a copy of its own.
        Map<String, Map<String, String>> typosByCopy = Map.of(
                "function.json", Map.of(functions().keySet().iterator().next(), "HandlerWithATypo"),
                "queue-and-table.json", Map.of(
                        TEMPLATE.resourcesOfType("AWS::SQS::Queue").keySet().iterator().next(), "VisibilityTimeoutWithATypo",
                        TEMPLATE.resourcesOfType("AWS::DynamoDB::Table").keySet().iterator().next(), "BillingModeWithATypo"));
        List<String> command = new ArrayList<>(List.of("cfn-lint", "--format", "parseable", "--", REPO.resolve("template.yaml").toString()));
        for (var copy : typosByCopy.entrySet()) {
            JsonNode broken = JSON.valueToTree(TEMPLATE.root());
            copy.getValue().forEach((resource, typo) -> ((ObjectNode) broken.at("/Resources/" + resource + "/Properties")).put(typo, "x"));
            JSON.writeValue(dir.resolve(copy.getKey()).toFile(), broken);
            command.add(dir.resolve(copy.getKey()).toString());
        }

        Process lint = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        lint.waitFor();

        // parseable: file:line:column:end line:end column:rule:message; errors are the rules starting with E
        List<String> errors = lines.stream().filter(line -> line.split(":", 7).length == 7 && line.split(":", 7)[5].startsWith("E")).toList();
        assertEquals(List.of(), errors.stream().filter(line -> line.contains("template.yaml")).toList(), "cfn-lint errors in template.yaml");
        typosByCopy.forEach((copy, typos) -> typos.forEach((resource, typo) ->
                assertTrue(errors.stream().anyMatch(line -> line.contains(copy) && line.contains(typo)),
                        () -> "cfn-lint did not report " + typo + " on " + resource + ":\n" + String.join("\n", lines))));
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }

    // -----------------------------------------------------------------------------------------------------------
    // b. Handlers
    // -----------------------------------------------------------------------------------------------------------

    @Test
    void everyFunctionHandlerIsARequestStreamHandlerOnTheClasspath() {
        List<String> problems = new ArrayList<>();
        functions().forEach((id, function) -> {
            String handler = string(property(function, "Handler"));
            if (handler == null || !handler.contains("::")) {
                problems.add(id + ": Handler '" + handler + "' is not class::method");
                return;
            }
            String className = handler.substring(0, handler.indexOf("::"));
            String methodName = handler.substring(handler.indexOf("::") + 2);
            Class<?> type;
            try {
                type = Class.forName(className, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                problems.add(id + ": handler class " + className + " does not exist");
                return;
            }
            if (!RequestStreamHandler.class.isAssignableFrom(type)) {
                problems.add(id + ": " + className + " does not implement " + RequestStreamHandler.class.getName());
            }
            if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                problems.add(id + ": " + className + " is abstract; Lambda cannot instantiate it");
            }
            if (Arrays.stream(type.getMethods()).map(Method::getName).noneMatch(methodName::equals)) {
                problems.add(id + ": " + className + " has no public method " + methodName);
            }
        });

        assertTrue(problems.isEmpty(), () -> "Handlers named in template.yaml:\n  " + String.join("\n  ", problems));
    }

    @Test
    void everyHandlerClassInTheFunctionModulesIsDeployedByTheTemplate() {
        Set<String> deployed = functions().values().stream()
                .map(function -> string(property(function, "Handler")))
                .filter(handler -> handler != null && handler.contains("::"))
                .map(handler -> handler.substring(0, handler.indexOf("::")))
                .collect(Collectors.toSet());
        Set<String> handlers = handlerClassesInSources();

        assertFalse(handlers.isEmpty(), "No handler classes found under " + REPO.resolve("functions"));
        Set<String> undeployed = new TreeSet<>(handlers);
        undeployed.removeAll(deployed);
        assertTrue(undeployed.isEmpty(), () -> "Handler classes no function of template.yaml names: " + undeployed);
    }

    // -----------------------------------------------------------------------------------------------------------
    // c. Routes and openapi.yaml
    // -----------------------------------------------------------------------------------------------------------

    @Test
    void templateRoutesAndOpenApiOperationsAreTheSame() {
        Set<String> templateRoutes = new TreeSet<>(templateRoutes().keySet());
        Set<String> openApiRoutes = new TreeSet<>(openApiOperations().keySet());

        Set<String> missingFromOpenApi = new TreeSet<>(templateRoutes);
        missingFromOpenApi.removeAll(openApiRoutes);
        Set<String> missingFromTemplate = new TreeSet<>(openApiRoutes);
        missingFromTemplate.removeAll(templateRoutes);
        assertTrue(missingFromOpenApi.isEmpty() && missingFromTemplate.isEmpty(), () ->
                "template.yaml and openapi.yaml describe different routes."
                        + "\n  in template.yaml, missing from openapi.yaml: " + missingFromOpenApi
                        + "\n  in openapi.yaml, missing from template.yaml: " + missingFromTemplate);
    }

    @Test
    void everyOpenApiOperationNamesTheFunctionThatServesItsRoute() {
        List<String> problems = functionNamingProblems(openApiOperations());

        assertTrue(problems.isEmpty(), () -> "openapi.yaml operations:\n  " + String.join("\n  ", problems));
    }

    /** The check above covers every operation, deprecated aliases too: each loses its x-function in turn. */
    @Test
    void functionNamingCheckReportsAnOperationWithoutItsFunction() {
        Map<String, Map<String, Object>> operations = openApiOperations();
        List<String> deprecated = operations.entrySet().stream()
                .filter(operation -> Boolean.TRUE.equals(operation.getValue().get("deprecated"))).map(Map.Entry::getKey).toList();
        assertFalse(deprecated.isEmpty(), "openapi.yaml has no deprecated alias operation to take the x-function from");

        List<String> unreported = new ArrayList<>();
        operations.forEach((route, operation) -> {
            Object function = operation.remove("x-function");
            if (functionNamingProblems(operations).stream().noneMatch(problem -> problem.startsWith(route + ": x-function"))) {
                unreported.add(route);
            }
            operation.put("x-function", function);
        });

        assertEquals(List.of(), unreported, "Operations whose missing x-function the check does not report");
    }

    /**
     * A client retrying with the same {@code Idempotency-Key} expects the first answer back; on a route that ignores
     * the key it runs again (a refresh token spent twice ends the session). So an operation lists the header exactly
     * when its function's handler overrides {@code HttpFunction.replaysRetries}, which only routes that replay do.
     */
    @Test
    @SuppressWarnings("unchecked")
    void anOperationListsTheIdempotencyKeyExactlyWhenItsHandlerReplaysRetries() {
        List<String> problems = new ArrayList<>();
        openApiOperations().forEach((route, operation) -> {
            boolean listed = ((List<Map<String, Object>>) operation.getOrDefault("parameters", List.of())).stream()
                    .anyMatch(parameter -> "#/components/parameters/IdempotencyKey".equals(parameter.get("$ref")));
            String handler = string(property(functions().get((String) operation.get("x-function")), "Handler"));
            boolean replays;
            try {
                replays = Arrays.stream(Class.forName(handler.substring(0, handler.indexOf("::")), false, getClass().getClassLoader())
                        .getDeclaredMethods()).anyMatch(method -> method.getName().equals("replaysRetries"));
            } catch (ClassNotFoundException e) {
                throw new AssertionError(handler, e);
            }
            if (listed != replays) {
                problems.add(route + (listed ? ": lists Idempotency-Key, but " : ": does not list Idempotency-Key, but ") + handler
                        + (replays ? " replays retries" : " ignores the header"));
            }
        });

        assertEquals(List.of(), problems);
    }

    /** Each operation's x-function is the template function serving its route, and starts its unique operationId. */
    private static List<String> functionNamingProblems(Map<String, Map<String, Object>> operations) {
        Map<String, String> functionByRoute = templateRoutes();
        List<String> problems = new ArrayList<>();
        Set<String> operationIds = new TreeSet<>();
        operations.forEach((route, operation) -> {
            Object function = operation.get("x-function");
            String expected = functionByRoute.get(route);
            if (!(function instanceof String name) || !functions().containsKey(name)) {
                problems.add(route + ": x-function is " + function + ", which is no function of template.yaml"
                        + (expected == null ? "" : " (it serves the route with " + expected + ")"));
            } else if (expected != null && !expected.equals(name)) {
                problems.add(route + ": x-function is " + function + ", but template.yaml serves it with " + expected);
            }
            Object operationId = operation.get("operationId");
            if (!(operationId instanceof String id) || !(function instanceof String name) || !id.startsWith(name)) {
                problems.add(route + ": operationId " + operationId + " does not start with its x-function " + function);
            } else if (!operationIds.add(id)) {
                problems.add(route + ": operationId " + id + " is used twice");
            }
        });
        return problems;
    }

    // -----------------------------------------------------------------------------------------------------------
    // d. Sample events
    // -----------------------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyFunctionHasASampleEventThatMatchesItsRoutes() {
        return functions().keySet().stream().map(id -> DynamicTest.dynamicTest(id + " has events/" + eventFileName(id), () -> {
            Path file = REPO.resolve("events").resolve(eventFileName(id));
            assertTrue(Files.isRegularFile(file), () -> id + " has no sample event " + REPO.relativize(file));
            JsonNode event = readJson(file);
            assertTrue(event.isObject(), () -> file + " is not a JSON object");

            Map<String, String> routes = httpRoutes(functions().get(id));
            if (routes.isEmpty()) {
                return;
            }
            assertEquals("2.0", event.path("version").asText(), () -> file + " is not an HTTP API payload format 2.0 event");
            String routeKey = event.path("routeKey").asText();
            assertTrue(routes.containsKey(routeKey), () -> file + ": routeKey '" + routeKey + "' is none of " + id + "'s routes " + routes.keySet());
            assertEquals(routeKey, event.path("requestContext").path("routeKey").asText(), () -> file + ": requestContext.routeKey differs from routeKey");
            if (routeKey.equals(RouteTable.DEFAULT_ROUTE)) {
                return; // any method and path reach the catch-all
            }
            String method = routeKey.substring(0, routeKey.indexOf(' '));
            Pattern path = pathPattern(routeKey.substring(routeKey.indexOf(' ') + 1));
            assertEquals(method, event.path("requestContext").path("http").path("method").asText(), () -> file + ": requestContext.http.method does not match " + routeKey);
            assertTrue(path.matcher(event.path("rawPath").asText()).matches(), () -> file + ": rawPath does not match " + routeKey);
            assertTrue(path.matcher(event.path("requestContext").path("http").path("path").asText()).matches(),
                    () -> file + ": requestContext.http.path does not match " + routeKey);
            if (event.has("body") && !event.path("isBase64Encoded").asBoolean(false)) {
                assertTrue(readJson(event.path("body").asText(), file + " body").isObject(), () -> file + ": body is not a JSON object");
            }
        }));
    }

    @Test
    void envJsonGivesEveryFunctionStringParameters() {
        JsonNode env = readJson(REPO.resolve("events/env.json"));
        JsonNode parameters = env.path("Parameters");

        assertTrue(parameters.isObject() && !parameters.isEmpty(), "events/env.json has no \"Parameters\" object for all functions");
        parameters.properties().forEach(entry ->
                assertTrue(entry.getValue().isTextual(), () -> "events/env.json: " + entry.getKey() + " is not a string"));
    }

    // -----------------------------------------------------------------------------------------------------------
    // e. Packaging
    // -----------------------------------------------------------------------------------------------------------

    @Test
    void everyFunctionDeploysTheJarOfAnExistingModuleThatHoldsItsHandler() {
        List<String> problems = new ArrayList<>();
        functions().forEach((id, function) -> {
            String codeUri = string(property(function, "CodeUri"));
            if (codeUri == null || !codeUri.endsWith("/" + FUNCTION_JAR)) {
                problems.add(id + ": CodeUri '" + codeUri + "' is not <module>/" + FUNCTION_JAR);
                return;
            }
            Path module = REPO.resolve(codeUri.substring(0, codeUri.length() - FUNCTION_JAR.length() - 1)).normalize();
            if (!module.startsWith(REPO) || !Files.isRegularFile(module.resolve("pom.xml"))) {
                problems.add(id + ": CodeUri '" + codeUri + "' names no module of this repository");
                return;
            }
            String handler = string(property(function, "Handler"));
            if (handler != null && handler.contains("::")) {
                String source = handler.substring(0, handler.indexOf("::")).replace('.', '/') + ".java";
                if (!Files.isRegularFile(module.resolve("src/main/java").resolve(source))) {
                    problems.add(id + ": its handler's source is not in " + REPO.relativize(module) + ", whose jar it deploys");
                }
            }
        });

        assertTrue(problems.isEmpty(), () -> "Function packages:\n  " + String.join("\n  ", problems));
    }

    @Test
    void everyFunctionJarCarriesSharedsMetadataProvidersAndServiceMetadataForTheThreeServicesItCallsOnly() throws IOException {
        // The SDK's own providers build the metadata of every AWS service, and of every region, at the first client.
        List<String> providers = List.of("software/amazon/awssdk/regions/GeneratedServiceMetadataProvider.class",
                "software/amazon/awssdk/regions/GeneratedRegionMetadataProvider.class");
        Set<String> expected = Set.of("DynamodbServiceMetadata.class", "SqsServiceMetadata.class", "SecretsmanagerServiceMetadata.class");
        List<Path> jars = functionJars();
        Assumptions.assumeFalse(jars.isEmpty(), "no function jar built yet (./mvnw package builds them)");
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (String provider : providers) {
                    assertArrayEquals(Files.readAllBytes(REPO.resolve("shared/target/classes").resolve(provider)),
                            zip.getInputStream(zip.getEntry(provider)).readAllBytes(), jar + " carries the SDK's " + provider);
                }
                Set<String> metadata = zip.stream().map(ZipEntry::getName)
                        .filter(name -> name.startsWith("software/amazon/awssdk/regions/servicemetadata/") && name.endsWith(".class"))
                        .map(name -> name.substring(name.lastIndexOf('/') + 1))
                        .collect(Collectors.toSet());
                assertEquals(expected, metadata, jar + ": service metadata classes");
            }
        }
    }

    @Test
    void everyFunctionJarCarriesOnlyTheUrlConnectionHttpClient() throws IOException {
        // Chosen by measurement (docs/performance.md): the others cost classes, memory and megabytes at every start.
        List<String> otherClients = List.of("software/amazon/awssdk/http/apache/", "software/amazon/awssdk/http/nio/netty/",
                "software/amazon/awssdk/http/crt/", "io/netty/", "org/apache/http/", "software/amazon/awssdk/crt/");
        List<Path> jars = functionJars();
        Assumptions.assumeFalse(jars.isEmpty(), "no function jar built yet (./mvnw package builds them)");
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                assertTrue(zip.getEntry("software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class") != null,
                        jar + " has no URL-connection HTTP client");
                List<String> found = zip.stream().map(ZipEntry::getName)
                        .filter(name -> otherClients.stream().anyMatch(name::startsWith)).limit(5).toList();
                assertTrue(found.isEmpty(), () -> jar + " carries another HTTP client: " + found);
            }
        }
    }

    private static List<Path> functionJars() throws IOException {
        try (var modules = Files.list(REPO.resolve("functions"))) {
            return modules.map(module -> module.resolve(FUNCTION_JAR)).filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void everyFunctionTellsSamNotToBuildIt() {
        List<String> building = new ArrayList<>();
        functions().forEach((id, function) -> {
            Object metadata = function.get("Metadata");
            Object skipBuild = metadata instanceof Map<?, ?> map ? map.get("SkipBuild") : null;
            if (!Boolean.TRUE.equals(skipBuild) && !"true".equalsIgnoreCase(String.valueOf(skipBuild))) {
                building.add(id);
            }
        });

        assertTrue(building.isEmpty(), () -> "Functions without Metadata: SkipBuild: True (sam build cannot build this "
                + "multi-module project; Maven builds the jars): " + building);
    }

    // -----------------------------------------------------------------------------------------------------------
    // f. Versions and logs (SamTransformTest checks what they become after the SAM transform)
    // -----------------------------------------------------------------------------------------------------------

    @Test
    void everyFunctionsVersionFollowsTheDeploymentFingerprint() {
        List<String> unversioned = new ArrayList<>();
        functions().forEach((id, function) -> {
            if (!Map.of("Ref", "DeploymentFingerprint").equals(property(function, "AutoPublishCodeSha256"))) {
                unversioned.add(id);
            }
        });

        assertTrue(unversioned.isEmpty(), () -> "Functions whose AutoPublishCodeSha256 is not !Ref DeploymentFingerprint, so a "
                + "deploy that changes only a parameter leaves their live alias on the old configuration: " + unversioned);
    }

    /** A custom resource whose function never answers holds the stack for CloudFormation's default hour. */
    @Test
    void everyCustomResourceGivesUpWithinTenMinutes() {
        Map<String, Map<String, Object>> custom = new java.util.TreeMap<>();
        TEMPLATE.resources().forEach((id, resource) -> {
            if (String.valueOf(resource.get("Type")).startsWith("Custom::")) {
                custom.put(id, Template.properties(resource));
            }
        });

        assertFalse(custom.isEmpty(), "the key-set authority is a custom resource");
        custom.forEach((id, properties) -> assertTrue(properties.get("ServiceTimeout") instanceof Number timeout
                && timeout.intValue() <= 600, () -> id + ": ServiceTimeout is " + properties.get("ServiceTimeout")));
    }

    @Test
    void everyFunctionLogsToItsOwnLogGroup() {
        List<String> problems = new ArrayList<>();
        functions().forEach((id, function) -> {
            Object group = Template.child(Template.properties(function), "LoggingConfig").get("LogGroup");
            if (!Map.of("Ref", id + "Logs").equals(group)) {
                problems.add(id + ": LoggingConfig.LogGroup is " + group + ", not !Ref " + id + "Logs");
            } else if (!"AWS::Logs::LogGroup".equals(TEMPLATE.resources().getOrDefault(id + "Logs", Map.of()).get("Type"))) {
                problems.add(id + ": " + id + "Logs is no AWS::Logs::LogGroup");
            }
        });

        assertTrue(problems.isEmpty(), () -> "Function logs (Lambda's own group would never expire):\n  " + String.join("\n  ", problems));
    }

    /**
     * The stream consumer's filter is written in the template, the types it reads in the code: a type the filter left
     * out would never be counted, or its change never forget a cached view, and nothing else would show it.
     */
    @Test
    void theTableChangesFilterPassesEveryItemTypeItsReadersConsume() {
        Map<String, Object> stream = Template.properties(Template.child(Template.child(Template.properties(
                functions().get("TableChangesFunction")), "Events"), "Changed"));
        Map<String, Set<String>> typesByImage = new TreeMap<>();
        for (Object filter : (List<?>) Template.child(stream, "FilterCriteria").get("Filters")) {
            Map<String, Object> pattern = dev.userservice.json.Json.parseObject((String) Template.asMap(filter).get("Pattern"));
            Template.child(pattern, "dynamodb").forEach((image, attributes) -> {
                List<?> types = (List<?>) Template.child(Template.asMap(attributes), "type").get("S");
                typesByImage.computeIfAbsent(image, any -> new TreeSet<>()).addAll(types.stream().map(String::valueOf).toList());
            });
        }
        Set<String> consumed = new TreeSet<>(dev.userservice.health.CounterChange.COUNTED_TYPES);
        consumed.addAll(dev.userservice.users.CachedViewSources.ITEM_TYPES);
        consumed.add(dev.userservice.triggers.StreamHeartbeat.ITEM_TYPE);

        assertEquals(consumed, typesByImage.get("NewImage"), "the types whose new image passes");
        assertTrue(typesByImage.get("OldImage").containsAll(dev.userservice.users.CachedViewSources.ITEM_TYPES),
                "a removed item's old image passes, so its user's views are forgotten: " + typesByImage.get("OldImage"));
    }

    /**
     * StreamHeartbeatAlarm counts on every consumer of the table's stream being invoked by each heartbeat written; a
     * heartbeat's removal by TTL, a day later, is nothing to either of them and must not invoke them for nothing.
     */
    @Test
    void everyStreamConsumerIsPassedAHeartbeatsInsertAndNotItsRemoval() {
        Map<String, Object> inserted = Map.of("eventName", "INSERT", "dynamodb", Map.of("NewImage", heartbeatImage()));
        Map<String, Object> expired = Map.of("eventName", "REMOVE", "dynamodb", Map.of("OldImage", heartbeatImage()));
        Map<String, List<Boolean>> passed = new TreeMap<>();
        functions().forEach((id, function) -> Template.child(Template.properties(function), "Events").values().forEach(value -> {
            Map<String, Object> event = Template.asMap(value);
            if ("DynamoDB".equals(event.get("Type"))) {
                List<Map<String, Object>> patterns = ((List<?>) Template.child(Template.properties(event), "FilterCriteria")
                        .getOrDefault("Filters", List.of())).stream()
                        .map(filter -> dev.userservice.json.Json.parseObject((String) Template.asMap(filter).get("Pattern"))).toList();
                passed.put(id, Stream.of(inserted, expired).map(record -> patterns.isEmpty()
                        || patterns.stream().anyMatch(pattern -> StreamTrigger.EventPattern.matches(pattern, record))).toList());
            }
        }));

        assertEquals(Map.of("OutboxPublisherFunction", List.of(true, false), "TableChangesFunction", List.of(true, false)), passed,
                "each stream consumer: whether a heartbeat's insert passes its filters, and whether its removal does");
    }

    private static Map<String, Object> heartbeatImage() {
        return Map.of("pk", Map.of("S", "HEARTBEAT"), "sk", Map.of("S", "2026-11-23T03:15:00Z"),
                "type", Map.of("S", dev.userservice.triggers.StreamHeartbeat.ITEM_TYPE), "expires_at", Map.of("N", "1795922100"));
    }

    /**
     * Lambda needs a queue's messages to stay invisible for as long as a batch may be collected and worked on, and
     * counsels six times the function's timeout plus its batching window: a shorter visibility lets a message come
     * back while its first receive is still being worked on, and counts a receive it did not fail.
     */
    @Test
    void everyConsumedQueueHidesAMessageForSixTimesItsConsumersTimeoutPlusItsBatchingWindow() {
        List<String> problems = new ArrayList<>();
        int consumed = 0;
        for (Map.Entry<String, Map<String, Object>> function : functions().entrySet()) {
            int timeout = Template.integer(property(function.getValue(), "Timeout"), 3);
            for (Object event : Template.child(Template.properties(function.getValue()), "Events").values()) {
                Map<String, Object> source = Template.asMap(event);
                if (!"SQS".equals(source.get("Type"))) {
                    continue;
                }
                consumed++;
                Map<String, Object> properties = Template.properties(source);
                String queue = (String) ((List<?>) Template.child(properties, "Queue").get("Fn::GetAtt")).getFirst();
                int window = Template.integer(properties.get("MaximumBatchingWindowInSeconds"), 0);
                int visibility = Template.integer(Template.properties(TEMPLATE.resources().get(queue)).get("VisibilityTimeout"), 30);
                if (visibility < 6 * timeout + window) {
                    problems.add(queue + ": VisibilityTimeout " + visibility + " < 6 x " + function.getKey() + "'s Timeout "
                            + timeout + " + MaximumBatchingWindowInSeconds " + window);
                }
            }
        }

        assertTrue(consumed >= 2, "the notification-status and account-erasure queues are consumed");
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    // -----------------------------------------------------------------------------------------------------------
    // Reading the template, openapi.yaml and the sources
    // -----------------------------------------------------------------------------------------------------------

    private static Map<String, Map<String, Object>> functions() {
        Map<String, Map<String, Object>> functions = TEMPLATE.resourcesOfType(FUNCTION);
        assertFalse(functions.isEmpty(), "template.yaml has no " + FUNCTION);
        return functions;
    }

    /** A function property, or the one Globals gives every function. */
    @SuppressWarnings("unchecked")
    private static Object property(Map<String, Object> function, String name) {
        Object own = Template.properties(function).get(name);
        if (own != null) {
            return own;
        }
        Object globals = TEMPLATE.section("Globals").get("Function");
        return globals instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(name) : null;
    }

    @Test
    void theRoutesTheCatchAllFunctionReadsAreTheTemplatesRoutes() throws IOException {
        Set<String> parsed = new TreeSet<>();
        functions().values().forEach(function -> parsed.addAll(httpRoutes(function).keySet()));

        Set<String> read = new TreeSet<>();
        RouteTable.httpApiRoutes(Files.readString(REPO.resolve("template.yaml"))).forEach(route -> read.add(route.routeKey()));

        assertEquals(parsed, read, "RouteNotFoundHandler's reading of template.yaml differs from a full YAML parse");
    }

    /** "METHOD /path" of every HttpApi event, and the function that serves it. */
    private static Map<String, String> templateRoutes() {
        Map<String, String> routes = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        functions().forEach((id, function) -> httpRoutes(function).keySet().forEach(route -> {
            if (route.equals(RouteTable.DEFAULT_ROUTE)) {
                return; // the catch-all answers 404 and 405; it is no operation of the API
            }
            if (routes.put(route, id) != null) {
                duplicates.add(route);
            }
        }));
        assertTrue(duplicates.isEmpty(), () -> "Routes served by two functions in template.yaml: " + duplicates);
        return routes;
    }

    /** One function's HttpApi routes ("METHOD /path"), keyed to their event names. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> httpRoutes(Map<String, Object> function) {
        Map<String, String> routes = new LinkedHashMap<>();
        Object events = Template.properties(function).get("Events");
        if (events instanceof Map<?, ?> byName) {
            byName.forEach((name, event) -> {
                Map<String, Object> definition = (Map<String, Object>) event;
                if ("HttpApi".equals(definition.get("Type"))) {
                    Map<String, Object> properties = (Map<String, Object>) definition.getOrDefault("Properties", Map.of());
                    String method = String.valueOf(properties.get("Method")).toUpperCase(Locale.ROOT);
                    String path = String.valueOf(properties.get("Path"));
                    routes.put(path.equals(RouteTable.DEFAULT_ROUTE) ? path : method + " " + path, String.valueOf(name));
                }
            });
        }
        return routes;
    }

    /** "METHOD /path" of every operation of openapi.yaml. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> openApiOperations() {
        Path file = REPO.resolve("openapi.yaml");
        assertTrue(Files.isRegularFile(file), "openapi.yaml is missing beside template.yaml");
        Map<String, Object> document;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            document = new Yaml().load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Map<String, Object>> operations = new TreeMap<>();
        Map<String, Object> paths = (Map<String, Object>) document.getOrDefault("paths", Map.of());
        paths.forEach((path, item) -> ((Map<String, Object>) item).forEach((key, operation) -> {
            if (HTTP_METHODS.contains(key)) {
                operations.put(key.toUpperCase(Locale.ROOT) + " " + path, (Map<String, Object>) operation);
            }
        }));
        return operations;
    }

    /**
     * Concrete handler classes of the function modules, read from their sources: a top-level class that extends
     * {@code HttpFunction} or implements {@code RequestStreamHandler}.
     */
    private static Set<String> handlerClassesInSources() {
        Set<String> handlers = new TreeSet<>();
        Pattern packageDeclaration = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
        try (Stream<Path> modules = Files.list(REPO.resolve("functions"))) {
            for (Path sources : modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(sources)) {
                    for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                        String source = Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", "");
                        String name = file.getFileName().toString().replaceFirst("\\.java$", "");
                        Matcher declaration = Pattern.compile("(?m)^([\\w\\s-]*)\\bclass\\s+" + name + "\\b([^{]*)\\{").matcher(source);
                        if (!declaration.find() || declaration.group(1).contains("abstract")) {
                            continue;
                        }
                        String header = declaration.group(2);
                        if (header.matches("(?s).*\\bextends\\s+([\\w.]+\\.)?HttpFunction\\b.*")
                                || header.matches("(?s).*\\bimplements\\b.*\\bRequestStreamHandler\\b.*")) {
                            Matcher pkg = packageDeclaration.matcher(source);
                            handlers.add(pkg.find() ? pkg.group(1) + "." + name : name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return handlers;
    }

    /** {@code GetCurrentUserFunction} → {@code get-current-user.json}. */
    static String eventFileName(String functionId) {
        String base = functionId.endsWith("Function") ? functionId.substring(0, functionId.length() - "Function".length()) : functionId;
        return base.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([A-Z])([A-Z][a-z])", "$1-$2").toLowerCase(Locale.ROOT) + ".json";
    }

    /** A route's path as a pattern for concrete paths: {@code {id}} is one segment, {@code {proxy+}} the rest. */
    private static Pattern pathPattern(String routePath) {
        StringBuilder pattern = new StringBuilder();
        Matcher parameter = Pattern.compile("\\{[^}/]+}").matcher(routePath);
        int last = 0;
        while (parameter.find()) {
            pattern.append(Pattern.quote(routePath.substring(last, parameter.start())));
            pattern.append(parameter.group().endsWith("+}") ? ".+" : "[^/]+");
            last = parameter.end();
        }
        pattern.append(Pattern.quote(routePath.substring(last)));
        return Pattern.compile(pattern.toString());
    }

    /** AWS SAM's published schema, kept in the repository (see src/test/resources/sam/README.md). */
    private static synchronized JsonSchema samSchema() {
        if (samSchema == null) {
            try (InputStream in = TemplateContractTest.class.getResourceAsStream("/sam/sam.schema.json")) {
                assertTrue(in != null, "src/test/resources/sam/sam.schema.json is missing");
                samSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return samSchema;
    }

    private static String describe(Set<ValidationMessage> errors) {
        return errors.stream().map(error -> "  " + error.getInstanceLocation() + ": " + error.getMessage())
                .sorted().limit(30).collect(Collectors.joining("\n"));
    }

    private static JsonNode readJson(Path file) {
        try {
            return readJson(Files.readString(file), REPO.relativize(file).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readJson(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return fail(what + " is not valid JSON: " + e.getMessage());
        }
    }

    private static String string(Object value) {
        return value instanceof String text ? text : null;
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
