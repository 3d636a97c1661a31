package dev.userservice.bench;

import dev.userservice.local.LocalOptions;
import dev.userservice.local.LocalService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A local service of its own for a table grown to each measured size ({@link Scale}): the warm path's and the scale
 * part's. Its template.yaml is the checkout's without the DynamoDB stream events, which the runner then does not
 * start. Every seeded item reaches the table's stream, and its consumers would read hundreds of thousands of records
 * in this JVM (about 200 a second here) long after the seed, while the handler or the route is measured, sharing the
 * machine and DynamoDB Local's one SQLite thread with it; in AWS they run elsewhere, and none of the measured
 * functions waits on them.
 */
record SeededService(LocalService service, Fixtures fixtures, Scale scale, Path template) implements AutoCloseable {
    /** A function's event that reads the table's stream: {@code Type: DynamoDB} under its {@code Events}. */
    private static final Pattern STREAM_EVENT = Pattern.compile("(?m)^(\\s+Type:\\s+)DynamoDB\\s*$");

    /** Started with the signed-up user of {@link Fixtures} in the table, the one {@link Scale} clones. */
    static SeededService start(Bench.Settings settings, LocalOptions options) throws Exception {
        String checkoutTemplate = Files.readString(settings.root().resolve("template.yaml"));
        Path template = Files.createTempFile("bench-template-without-stream-consumers", ".yaml");
        Files.writeString(template, STREAM_EVENT.matcher(checkoutTemplate).replaceAll("$1DynamoDBStreamNotRunWhileMeasuring"));
        LocalService service = LocalService.start(options.withTemplate(template));
        try {
            Fixtures fixtures = new Fixtures(service, settings.root().resolve("events"));
            fixtures.setUp();
            Scale scale = new Scale(service.functionEnvironment("GetCurrentUserFunction"), service.apiUrl(), service.redisUrl(),
                    service.redisAuthority(), fixtures.userId(), Fixtures.SAMPLE_EMAIL);
            return new SeededService(service, fixtures, scale, template);
        } catch (Exception | Error e) {
            service.close();
            Files.deleteIfExists(template);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try (service) {
            scale.close();
        } finally {
            Files.deleteIfExists(template);
        }
    }
}
