package dev.userservice.accounts;

import dev.userservice.auth.Principal;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import dev.userservice.users.UserService;
import dev.userservice.users.UserStore;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Moving an account between the deployment's {@link Plans}: the user's own upgrade and downgrade, and an admin's or a
 * billing service's choice. Every change is idempotent: asking for the plan the account is already on (or, for an
 * upgrade, one below it) changes nothing and publishes nothing; a change publishes {@code user.plan_changed} in its
 * own transaction.
 */
public final class PlanChanges {
    static final String UPGRADE_SWITCHED_OFF =
            "Self-service upgrades are switched off in this deployment: only the billing service upgrades a plan, once a payment is confirmed";
    static final String ONLY_ADMINS_AND_SERVICES =
            "Only admins and services set a plan; use POST /api/v1/users/me/upgrade or /me/downgrade for your own";

    private final AccountUpdates updates;
    private final Plans plans;
    private final boolean selfServiceUpgrade;
    private final Clock clock;

    public PlanChanges(UserStore users, UserService views, Plans plans, boolean selfServiceUpgrade, Clock clock) {
        this.updates = new AccountUpdates(users, views, clock);
        this.plans = plans;
        this.selfServiceUpgrade = selfServiceUpgrade;
        this.clock = clock;
    }

    public Plans plans() {
        return plans;
    }

    /**
     * {@code POST /users/me/upgrade}: the caller onto the deployment's second plan, unless already there or above.
     * 403 when the deployment lets only billing upgrade.
     */
    public User upgrade(Principal caller) {
        if (!selfServiceUpgrade) {
            throw new ServiceException(ErrorCode.FORBIDDEN, UPGRADE_SWITCHED_OFF);
        }
        String target = plans.upgradePlan();
        return move(caller.subject(), current -> plans.atLeast(current, target) ? Optional.empty() : Optional.of(target), "self");
    }

    /** {@code POST /users/me/downgrade}: the caller back onto the default plan. Always allowed. */
    public User downgrade(Principal caller) {
        String target = plans.defaultPlan();
        return move(caller.subject(), current -> current.equals(target) ? Optional.empty() : Optional.of(target), "self");
    }

    /**
     * {@code PUT /users/{id}/plan}: an admin or a service (billing) sets any offered plan; the user themself may not.
     * The body is read after those checks, so that a user is refused for who they are, whatever they sent.
     */
    public User set(Principal caller, String userId, Supplier<PlanChange> body) {
        if (!caller.isAdmin() && !caller.isService()) {
            throw new ServiceException(ErrorCode.FORBIDDEN, ONLY_ADMINS_AND_SERVICES);
        }
        if (!Text.isId(userId)) {
            throw AccountUpdates.notFound();
        }
        PlanChange change = body.get();
        return move(userId, current -> current.equals(change.plan()) ? Optional.empty() : Optional.of(change.plan()),
                caller.isService() ? "service" : "admin");
    }

    /** The account after moving it to the plan {@code target} picks for its current one (empty: stay). */
    private User move(String userId, java.util.function.Function<String, Optional<String>> target, String by) {
        return updates.apply(userId, (current, at) -> target.apply(plans.of(current)).map(plan -> {
            User before = current.withPlan(plans.of(current), current.updatedAt());
            User after = current.withPlan(plan, at);
            return new AccountUpdates.Write(after, Optional.empty(), List.of(UserEvents.planChanged(before, after, by, clock)));
        })).user();
    }
}
