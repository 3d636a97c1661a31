package dev.userservice.accounts;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.errors.ErrorCode;
import dev.userservice.events.EventType;
import dev.userservice.events.UserEvent;
import dev.userservice.testing.IdentityServices;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanChangesTest {
    private final IdentityServices identity = new IdentityServices();
    private final Plans plans = Plans.parse("free, pro, team");
    private final PlanChanges changes = new PlanChanges(identity.accounts, identity.userViews, plans, true, identity.clock);
    private final Principal user = identity.principal(identity.register("alice@example.com"));

    @Test
    void anUpgradeLeadsToTheSecondPlanOnceAndADowngradeBackToTheFirstOnce() {
        seedOn("free");

        assertEquals("pro", changes.upgrade(user).plan());
        assertEquals("pro", changes.upgrade(user).plan());
        assertEquals("free", changes.downgrade(user).plan());
        assertEquals("free", changes.downgrade(user).plan());

        assertEquals(List.of(Map.of("before", "free", "after", "pro", "by", "self"),
                Map.of("before", "pro", "after", "free", "by", "self")), planEvents());
    }

    @Test
    void anUpgradeFromAHigherPlanChangesNothing() {
        seedOn("team");

        assertEquals("team", changes.upgrade(user).plan());

        assertEquals(List.of(), planEvents());
    }

    @Test
    void anAccountStoredWithoutAPlanIsOnTheDefaultOne() {
        seedOn(null);

        assertEquals(List.of(), planEvents(), "the seed published nothing");
        changes.downgrade(user);
        assertEquals(List.of(), planEvents(), "already on the default plan");
    }

    @Test
    void whereOnlyBillingUpgradesTheUsersOwnUpgradeIsRefusedAndBillingSetsThePlan() {
        seedOn("free");
        PlanChanges billingOnly = new PlanChanges(identity.accounts, identity.userViews, plans, false, identity.clock);

        assertEquals(ErrorCode.FORBIDDEN, refusal(() -> billingOnly.upgrade(user)));
        User billed = billingOnly.set(caller(Role.SERVICE), user.subject(), () -> PlanChange.read(Map.of("plan", "team"), plans));

        assertEquals("team", billed.plan());
        assertEquals(List.of(Map.of("before", "free", "after", "team", "by", "service")), planEvents());
    }

    @Test
    void onlyAdminsAndServicesSetAPlan() {
        seedOn("free");

        assertEquals(ErrorCode.FORBIDDEN, refusal(() -> changes.set(user, user.subject(), () -> PlanChange.read(Map.of("plan", "pro"), plans))));
        assertEquals(ErrorCode.FORBIDDEN, refusal(() -> changes.set(user, user.subject(), () -> PlanChange.read(Map.of("plan", "gold"), plans))),
                "refused for who the caller is, before the body is read");
        assertEquals("pro", changes.set(caller(Role.ADMIN), user.subject(), () -> PlanChange.read(Map.of("plan", "pro"), plans)).plan());
        assertEquals("pro", changes.set(caller(Role.ADMIN), user.subject(), () -> PlanChange.read(Map.of("plan", "pro"), plans)).plan());

        assertEquals(List.of(Map.of("before", "free", "after", "pro", "by", "admin")), planEvents());
    }

    @Test
    void aPlanTheDeploymentDoesNotOfferIsAValidationFailure() {
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> PlanChange.read(Map.of("plan", "premium"), plans)));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> PlanChange.read(Map.of(), plans)));
    }

    @Test
    void aPlanSetNeedsTwoDistinctWellFormedNames() {
        assertThrows(IllegalArgumentException.class, () -> Plans.parse("basic"));
        assertThrows(IllegalArgumentException.class, () -> Plans.parse("basic,basic"));
        assertThrows(IllegalArgumentException.class, () -> Plans.parse("basic,Premium"));
        assertEquals(List.of("basic", "premium"), Plans.parse("basic,premium").names());
    }

    @Test
    void everyPlanButTheFirstIsPremium() {
        assertEquals(List.of(false, true, true, false), List.of(plans.isPremium("free"), plans.isPremium("pro"),
                plans.isPremium("team"), plans.isPremium("gold")));
    }

    /** Puts the registered account on {@code plan} (null: none stored) without an event. */
    private void seedOn(String plan) {
        User current = identity.accounts.findById(user.subject()).orElseThrow();
        identity.accounts.update(current, current.withPlan(plan, current.updatedAt().plusMillis(1)), Optional.empty(), List.of());
    }

    private List<Object> planEvents() {
        return identity.accounts.events().stream().filter(event -> event.type() == EventType.USER_PLAN_CHANGED)
                .map(UserEvent::data).map(data -> (Object) data).toList();
    }

    private Principal caller(Role role) {
        return new Principal("caller-" + role.claim(), null, Set.of(role), true, "token", identity.clock.instant().plusSeconds(60));
    }
}
