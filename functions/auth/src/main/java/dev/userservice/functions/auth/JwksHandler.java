package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.auth.SigningKeys;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code GET /.well-known/jwks.json}: the public keys that verify access tokens: the current signing key first,
 * then the next key (published a rotation before it signs) and the previous one, as they were published (the
 * verification keys: from the table, signed by the key-set authority) at most a refresh interval ago; without an
 * authority configured, as the key store held them.
 * <pre>
 * curl localhost:3000/.well-known/jwks.json
 * </pre>
 */
public final class JwksHandler extends HttpFunction {
    /** Far shorter than the time between rotations, so a next key reaches verifiers long before it signs. */
    static final String CACHE_CONTROL = "public, max-age=300";

    private final SigningKeys keys;

    public JwksHandler() {
        this(System.getenv());
    }

    public JwksHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    JwksHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.keys = services.verificationKeys();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.standardDocument("Public signing keys", keys.publicJwks()).withHeader("Cache-Control", CACHE_CONTROL);
    }
}
