package dev.userservice.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of the design, read from the compiled classes of {@code shared} and every function module:
 * handlers reach domain services, domain services reach ports (interfaces in domain terms), adapters implement
 * them, and the kernel sits below everything knowing no domain. No package depends on itself through another.
 * The classes are read from the modules' {@code target/classes}, not the test class path, which holds each module
 * once as a directory or a jar depending on how far Maven has built it.
 */
class ArchitectureTest {
    /** Below everything: request plumbing, errors, JSON, validation, configuration and the like. */
    private static final String[] KERNEL = packages("http", "errors", "json", "validation", "logging", "paging",
            "concurrency", "metrics", "snapstart", "triggers", "auth");
    /** The rules: what users, sessions, devices, preferences and notifications are and may do. */
    private static final String[] DOMAIN = packages("users", "accounts", "sessions", "devices", "preferences",
            "profiles", "notifications", "events", "health", "ratelimit");
    /** What talks to AWS, Redis and Lambda. */
    private static final String[] ADAPTERS = packages("store", "aws", "cache", "sqs", "secrets");
    /** AWS's and Redis's clients. */
    private static final String[] CLIENTS = {"software.amazon.awssdk..", "redis.clients.."};
    /** Lambda's runtime interface: a handler may read its invocation's context (time left, request id). */
    private static final String LAMBDA_RUNTIME = "com.amazonaws..";
    private static final String HANDLERS = "dev.userservice.functions..";

    private static JavaClasses classes;

    @BeforeAll
    static void readCompiledClasses() {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> folders;
        try (Stream<Path> modules = Files.list(root.resolve("functions"))) {
            folders = Stream.concat(Stream.of(root.resolve("shared")), modules.sorted())
                    .map(module -> module.resolve("target/classes"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        folders.forEach(folder -> assertTrue(Files.isDirectory(folder), folder + " is not built"));
        classes = new ClassFileImporter().importPaths(folders);
    }

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        check(slices().matching("dev.userservice.(**)").should().beFreeOfCycles());
    }

    @Test
    void theKernelKnowsNoDomainAndNoAdapter() {
        check(noClasses().that().resideInAnyPackage(KERNEL)
                .should().dependOnClassesThat().resideInAnyPackage(concat(DOMAIN, ADAPTERS, HANDLERS)));
    }

    @Test
    void theDomainKnowsNeitherHttpNorStorageNorAws() {
        check(noClasses().that().resideInAnyPackage(DOMAIN)
                .should().dependOnClassesThat().resideInAnyPackage(concat(packages("http", "store", "aws"),
                        CLIENTS, LAMBDA_RUNTIME, HANDLERS)));
    }

    @Test
    void handlersReachServicesNotAdaptersOrClients() {
        check(noClasses().that().resideInAPackage(HANDLERS)
                .should().dependOnClassesThat().resideInAnyPackage(concat(ADAPTERS, CLIENTS)));
    }

    @Test
    void adaptersServeNoHandler() {
        check(noClasses().that().resideInAnyPackage(ADAPTERS)
                .should().dependOnClassesThat().resideInAPackage(HANDLERS));
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }

    private static String[] packages(String... names) {
        return Stream.of(names).map(name -> "dev.userservice." + name + "..").toArray(String[]::new);
    }

    private static String[] concat(Object... groups) {
        return Stream.of(groups)
                .flatMap(group -> group instanceof String[] many ? Stream.of(many) : Stream.of((String) group))
                .toArray(String[]::new);
    }
}
