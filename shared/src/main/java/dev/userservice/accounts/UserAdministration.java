package dev.userservice.accounts;

import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.concurrency.FollowUp;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.paging.Cursors;
import dev.userservice.sessions.SessionEnd;
import dev.userservice.sessions.SessionGuard;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import dev.userservice.users.UserService;
import dev.userservice.users.UserStore;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What admins and operators do to accounts: list them, change their role or status, and make the first admin. */
public final class UserAdministration {
    /** The listing a users cursor belongs to; a cursor of another list is refused here. */
    static final String LISTING = "users";

    private final UserStore users;
    private final SessionGuard sessions;
    private final Cursors cursors;
    private final AccountUpdates updates;
    private final AccountTypes types;
    private final Plans plans;
    private final Clock clock;

    /** With the default account types and plans. */
    public UserAdministration(UserStore users, UserService views, SessionGuard sessions, Cursors cursors, Clock clock) {
        this(users, views, sessions, cursors, AccountTypes.DEFAULTS, Plans.DEFAULT, clock);
    }

    public UserAdministration(UserStore users, UserService views, SessionGuard sessions, Cursors cursors,
                              AccountTypes types, Plans plans, Clock clock) {
        this.users = users;
        this.types = types;
        this.plans = plans;
        this.sessions = sessions;
        this.cursors = cursors;
        this.updates = new AccountUpdates(users, views, clock);
        this.clock = clock;
    }

    /** The result of making someone an admin: the account, and whether it was not one already. */
    public record Promotion(User user, boolean changed) {}

    /**
     * {@code GET /users?email_prefix=&cursor=&limit=}: accounts in email order (addresses starting with anything but
     * a-z or 0-9 last), {@code limit} (default 20, at most 100) per page. Unknown parameters are refused like
     * unknown body fields. The cursor also binds the prefix: a cursor from a listing with another prefix is refused.
     * With a {@code type}, {@code role} or {@code status} the listing reads {@link #listByKind} instead.
     */
    public Cursors.Page list(UserListing listing) {
        if (listing.filters()) {
            return listByKind(listing);
        }
        Optional<String> prefix = listing.emailPrefix();
        int limit = listing.limit();
        Optional<UserStore.ListPosition> after = listing.cursor().map(text -> position(cursors.open(LISTING, text), prefix));
        UserStore.UserPage page = users.listByEmail(prefix, after, limit);
        Optional<String> next = page.next().map(position -> cursors.seal(LISTING, Map.of(
                "p", prefix.orElse(""), "e", position.email(), "i", position.id())));
        return new Cursors.Page(page.users().stream().map(User::toJson).toList(), limit, next);
    }

    /**
     * The filtered listing: the accounts of every kind (type, role, status, plan) the filter matches, kind after kind
     * (types in their configured order, then {@code user} before {@code admin}, {@code active} before
     * {@code disabled}, plans lowest first), each in email order. A page costs at most one index query per kind it
     * passes (empty ones included: filtering by one value of a dimension or more keeps that small), never a scan. The
     * cursor binds the prefix and the filters.
     */
    private Cursors.Page listByKind(UserListing listing) {
        Optional<String> prefix = listing.emailPrefix();
        String filter = listing.type().orElse("") + "|" + listing.role().map(Role::claim).orElse("") + "|"
                + listing.status().map(Enum::name).orElse("") + "|" + listing.plan().orElse("");
        List<UserStore.Kind> kinds = UserStore.Kind.every(listing.type().map(List::of).orElse(types.names()),
                listing.role().map(List::of).orElse(List.of(Role.USER, Role.ADMIN)),
                listing.status().map(List::of).orElse(List.of(User.Status.values())),
                listing.plan().map(List::of).orElse(plans.names()));
        // A cursor names its kind by its place in this list, which a change of the types or plans reorders.
        String order = Integer.toHexString(kinds.stream().map(kind -> kind.type() + "#" + kind.role().claim() + "#"
                + kind.status().name() + "#" + kind.plan()).collect(java.util.stream.Collectors.joining(",")).hashCode());
        Optional<UserStore.KindPosition> after = listing.cursor()
                .map(text -> kindPosition(cursors.open(LISTING, text), prefix, filter, order, kinds));
        UserStore.KindPage page = users.listByKind(kinds, prefix, after, listing.limit());
        Optional<String> next = page.next().map(position -> cursors.seal(LISTING, Map.of("p", prefix.orElse(""), "f", filter,
                "o", order, "k", kinds.indexOf(position.kind()), "e", position.email(), "i", position.id())));
        return new Cursors.Page(page.users().stream().map(User::toJson).toList(), listing.limit(), next);
    }

    /**
     * {@code PATCH /users/{id}} by an admin: {@code type} (one of the deployment's), {@code role} ({@code user},
     * {@code admin}), {@code status} ({@code active}, {@code disabled}) and {@code attributes} (merged). An admin may
     * not change their own account here, so nobody locks out the last admin by accident. Disabling an account, or
     * taking the admin role away, ends its sessions at once: otherwise its access tokens would keep working, with
     * their roles, until they expire.
     */
    public User changeAccess(Principal admin, String userId, AccessChange change) {
        return changeAccess(admin, userId, change, Optional.empty());
    }

    /** {@link #changeAccess}, within an earlier service's {@code view}: an account outside it is not found. */
    public User changeAccess(Principal admin, String userId, AccessChange change, Optional<AccountView> view) {
        if (admin.subject().equals(userId)) {
            throw new ServiceException(ErrorCode.FORBIDDEN, "Admins cannot change their own role, status, type or attributes");
        }
        if (!Text.isId(userId)) {
            throw AccountUpdates.notFound();
        }
        AccountUpdates.Outcome outcome = updates.apply(userId, (current, at) -> {
            if (!view.map(within -> within.holds(current.type(), current.role())).orElse(true)) {
                throw AccountUpdates.notFound();
            }
            User after = change.applyTo(current, at);
            // Taking an admin's access away holds only while the caller is an admin still: two admins demoting or
            // disabling each other at once would otherwise leave nobody to sign in as one.
            Optional<String> actingAdmin = current.isAdmin() && after.lostAccessSince(current)
                    ? Optional.of(admin.subject()) : Optional.empty();
            return after.changedFrom(current).isEmpty() ? Optional.empty()
                    : Optional.of(new AccountUpdates.Write(after, Optional.empty(), List.of(UserEvents.updated(current, after, clock)), actingAdmin));
        });
        if (outcome.user().lostAccessSince(outcome.before())) {
            // The change's own write ended the sessions (User.lostAccessSince); this records why and tells the cache.
            FollowUp.run("ending the sessions", () -> sessions.revokeAll(userId, Optional.empty(), SessionEnd.ADMIN));
        }
        return outcome.user();
    }

    /**
     * Makes the account with {@code {"email"}} an active admin, for the operator's first admin (no HTTP route reaches
     * this), and to recover when every admin was disabled or demoted: a disabled account is enabled again. Empty when
     * no account has that email. {@code user.updated} is emitted only when the role or the status changed.
     */
    public Optional<Promotion> promote(AdminPromotion promotion) {
        Optional<User> found = users.findByEmail(promotion.email());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        AccountUpdates.Outcome outcome = updates.apply(found.get().id(), (current, at) -> {
            if (current.isAdmin() && current.isActive()) {
                return Optional.empty();
            }
            User after = current.withAccess(Role.ADMIN, User.Status.ACTIVE, at);
            return Optional.of(new AccountUpdates.Write(after, Optional.empty(), List.of(UserEvents.updated(current, after, clock))));
        });
        return Optional.of(new Promotion(outcome.user(), outcome.changed()));
    }

    private static UserStore.KindPosition kindPosition(Map<String, Object> cursor, Optional<String> prefix, String filter,
                                                       String order, List<UserStore.Kind> kinds) {
        if (!(cursor.get("e") instanceof String email) || !(cursor.get("i") instanceof String id)
                || !(cursor.get("k") instanceof Number kind) || kind.intValue() < 0 || kind.intValue() >= kinds.size()
                || !prefix.orElse("").equals(cursor.get("p")) || !filter.equals(cursor.get("f")) || !order.equals(cursor.get("o"))) {
            throw Cursors.invalid();
        }
        return new UserStore.KindPosition(kinds.get(kind.intValue()), email, id);
    }

    /** A cursor of the filtered listing carries its filter ({@code f}): it is no position in the unfiltered one. */
    private static UserStore.ListPosition position(Map<String, Object> cursor, Optional<String> prefix) {
        if (!(cursor.get("e") instanceof String email) || !(cursor.get("i") instanceof String id) || cursor.containsKey("f")
                || !prefix.orElse("").equals(cursor.get("p")) || !email.startsWith(prefix.orElse(""))) {
            throw Cursors.invalid();
        }
        return new UserStore.ListPosition(email, id);
    }
}
