package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.ApiException;
import dev.userservice.http.ErrorCode;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/** PLACEHOLDER: being written; answers 404 until then. */
public final class ListUsersHandler extends HttpFunction {
    public ListUsersHandler() {
        this(System.getenv());
    }

    public ListUsersHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    ListUsersHandler(Services services) {
        super(Access.ADMIN, services.httpRuntime());
    }

    @Override
    protected Reply handle(HttpRequest request) {
        throw new ApiException(ErrorCode.NOT_FOUND);
    }
}
