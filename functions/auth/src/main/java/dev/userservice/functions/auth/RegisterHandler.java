package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.accounts.RegistrationRequest;
import dev.userservice.accounts.RegistrationService;
import dev.userservice.auth.PasswordPolicy;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.Client;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/register} (and {@code POST /api/v1/users}): creates an account and signs it in.
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/register -H 'Content-Type: application/json' \
 *   -d '{"email":"alice@example.com","password":"lilac tractor honey window","name":"Alice"}'
 * </pre>
 */
public final class RegisterHandler extends HttpFunction {
    private final RegistrationService registrations;
    private final PasswordPolicy passwordPolicy;

    public RegisterHandler() {
        this(System.getenv());
    }

    public RegisterHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    RegisterHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.registrations = services.registrationService();
        this.passwordPolicy = services.passwordPolicy();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        RegistrationRequest registration = RegistrationRequest.read(request.jsonObject(), passwordPolicy);
        Client client = new Client(request.sourceIp(), request.userAgent());
        Reply tokens = Reply.created("User registered", registrations.register(registration, client)).notCached();
        return SimpleJwtRoutes.answer(request, tokens);
    }
}
