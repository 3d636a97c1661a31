package dev.userservice.functions.devices;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.ApiException;
import dev.userservice.http.ErrorCode;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/** PLACEHOLDER: being written; answers 404 until then. */
public final class DeactivateAllDevicesHandler extends HttpFunction {
    public DeactivateAllDevicesHandler() {
        this(System.getenv());
    }

    public DeactivateAllDevicesHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    DeactivateAllDevicesHandler(Services services) {
        super(Access.USER, services.httpRuntime());
    }

    @Override
    protected Reply handle(HttpRequest request) {
        throw new ApiException(ErrorCode.NOT_FOUND);
    }
}
