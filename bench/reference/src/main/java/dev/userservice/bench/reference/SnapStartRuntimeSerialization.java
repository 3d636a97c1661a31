package dev.userservice.bench.reference;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * The reference with SnapStart, primed as AWS's guidance has it: the samples' priming asks DynamoDB for product
 * {@code 0}, which does not exist, before the snapshot; here that request goes through the whole handler, event JSON
 * to answer JSON, so the restored copy's first request finds every code path of a miss already run. Only a hit's
 * answer (the product written as JSON) is left to it, as the service's functions leave their own answers.
 */
public class SnapStartRuntimeSerialization extends RuntimeSerialization implements Resource {
    private static final byte[] PRIMING_EVENT = """
            {"version":"2.0","routeKey":"GET /products/{id}","rawPath":"/products/0","rawQueryString":"",
             "headers":{"accept":"application/json"},"pathParameters":{"id":"0"},
             "requestContext":{"http":{"method":"GET","path":"/products/0"},"routeKey":"GET /products/{id}","stage":"$default"},
             "isBase64Encoded":false}
            """.getBytes(StandardCharsets.UTF_8);

    public SnapStartRuntimeSerialization() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws IOException {
        handleRequest(new ByteArrayInputStream(PRIMING_EVENT), OutputStream.nullOutputStream(), null);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: the client opens a new connection when its pooled one has gone stale.
    }
}
