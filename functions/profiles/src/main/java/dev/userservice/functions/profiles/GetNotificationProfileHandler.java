package dev.userservice.functions.profiles;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.ApiException;
import dev.userservice.http.ErrorCode;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/** PLACEHOLDER: being written; answers 404 until then. */
public final class GetNotificationProfileHandler extends HttpFunction {
    public GetNotificationProfileHandler() {
        this(System.getenv());
    }

    public GetNotificationProfileHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    GetNotificationProfileHandler(Services services) {
        super(Access.SERVICE, services.httpRuntime());
    }

    @Override
    protected Reply handle(HttpRequest request) {
        throw new ApiException(ErrorCode.NOT_FOUND);
    }
}
