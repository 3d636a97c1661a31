package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.AccountView;
import dev.userservice.auth.Principal;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.profiles.NotificationProfiles;
import dev.userservice.profiles.ProfileInputs;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.UserService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/users/{id}}: one account, for that user, an admin or a service (the kernel checks which). The
 * earlier service's {@code /students/{id}} and {@code /staff/{id}} answer only for an account of that type. A service
 * also reads what the earlier Django service's user carried for its email and push workers, which read it here:
 * {@code email_notifications} and {@code push_notifications} (the preferences' switches) and {@code push_token} (the
 * token of the device seen last, that is registered most recently, among those the notification profile reaches; or
 * null).
 * <pre>
 * curl localhost:3000/api/v1/users/$USER_ID -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class GetUserHandler extends HttpFunction {
    private final UserService users;
    private final AccountTypes types;
    /** Built by a service's first request: users and admins never need it. */
    private final Supplier<NotificationProfiles> profiles;

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
        this.profiles = services::notificationProfiles;
    }

    @Override
    protected Reply handle(HttpRequest request) {
        String userId = request.pathParameter("id");
        Map<String, Object> user = users.view(userId);
        Principal caller = request.principal();
        Map<String, Object> answer = caller.isService() ? withDeliveryFields(userId, user) : user;
        return Reply.ok("User", AccountView.ofRoute(request.routeKey(), types).map(view -> view.admit(answer)).orElse(answer));
    }

    /**
     * The user with the earlier service's delivery fields, from the inputs of the user's notification profile, so the
     * workers reach what the profile does: no device of a session a password reset or change ended, even one whose
     * own revocation is late or failed, and no mail to an address that hard-bounced (until it changes or is verified
     * again). A disabled account is sent nothing (both off, no token), as its profile says.
     */
    private Map<String, Object> withDeliveryFields(String userId, Map<String, Object> user) {
        Map<String, Object> answer = new LinkedHashMap<>(user);
        Optional<ProfileInputs> inputs = profiles.get().inputsOf(userId).filter(ProfileInputs::active);
        answer.put("email_notifications", inputs.map(reachable -> reachable.preferences().email() && !reachable.emailBounced())
                .orElse(false));
        answer.put("push_notifications", inputs.map(reachable -> reachable.preferences().push()).orElse(false));
        answer.put("push_token", inputs.flatMap(ProfileInputs::newestReachableToken).orElse(null));
        return answer;
    }
}
