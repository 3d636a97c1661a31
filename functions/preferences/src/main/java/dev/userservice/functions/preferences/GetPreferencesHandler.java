package dev.userservice.functions.preferences;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.ApiException;
import dev.userservice.http.ErrorCode;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/** PLACEHOLDER: being written; answers 404 until then. */
public final class GetPreferencesHandler extends HttpFunction {
    public GetPreferencesHandler() {
        this(System.getenv());
    }

    public GetPreferencesHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    GetPreferencesHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
    }

    @Override
    protected Reply handle(HttpRequest request) {
        throw new ApiException(ErrorCode.NOT_FOUND);
    }
}
