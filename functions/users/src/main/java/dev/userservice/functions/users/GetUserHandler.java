package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.AccountView;
import dev.userservice.auth.Principal;
import dev.userservice.devices.DeviceService;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.json.Instants;
import dev.userservice.preferences.Preferences;
import dev.userservice.preferences.PreferencesService;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.UserService;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/users/{id}}: one account, for that user, an admin or a service (the kernel checks which). The
 * earlier service's {@code /students/{id}} and {@code /staff/{id}} answer only for an account of that type. A service
 * also reads what the earlier Django service's user carried for its email and push workers, which read it here:
 * {@code email_notifications} and {@code push_notifications} (the preferences' switches) and {@code push_token} (the
 * token of the active device seen last, that is registered most recently, or null).
 * <pre>
 * curl localhost:3000/api/v1/users/$USER_ID -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class GetUserHandler extends HttpFunction {
    private final UserService users;
    private final AccountTypes types;
    /** Built by a service's first request: users and admins never need them. */
    private final Supplier<PreferencesService> preferences;
    private final Supplier<DeviceService> devices;

    public GetUserHandler() {
        this(System.getenv());
    }

    public GetUserHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    GetUserHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
        this.users = services.userService();
        this.types = services.accountTypes();
        this.preferences = services::preferencesService;
        this.devices = services::deviceService;
    }

    @Override
    protected Reply handle(HttpRequest request) {
        String userId = request.pathParameter("id");
        Map<String, Object> user = users.view(userId);
        Principal caller = request.principal();
        Map<String, Object> answer = caller.isService() ? withDeliveryFields(caller, userId, user) : user;
        return Reply.ok("User", AccountView.ofRoute(request.routeKey(), types).map(view -> view.admit(answer)).orElse(answer));
    }

    /**
     * The user with the earlier service's delivery fields, from the preferences' and the devices' cached views; a
     * disabled account is sent nothing (both off, no token), as its notification profile says.
     */
    private Map<String, Object> withDeliveryFields(Principal caller, String userId, Map<String, Object> user) {
        Map<String, Object> answer = new LinkedHashMap<>(user);
        if (!"active".equals(user.get("status"))) {
            answer.put("email_notifications", false);
            answer.put("push_notifications", false);
            answer.put("push_token", null);
            return answer;
        }
        Preferences choices = preferences.get().view(userId);
        Object newestToken = devices.get().listView(caller, userId).stream()
                .map(device -> (Map<?, ?>) device)
                .filter(device -> Boolean.TRUE.equals(device.get("active")))
                .max(Comparator.comparing(device -> Instants.parse((String) device.get("last_seen_at"))))
                .map(device -> device.get("token")).orElse(null);
        answer.put("email_notifications", choices.email());
        answer.put("push_notifications", choices.push());
        answer.put("push_token", newestToken);
        return answer;
    }
}
