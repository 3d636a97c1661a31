package dev.userservice.accounts;

import dev.userservice.auth.Principal;
import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.concurrency.OptimisticWrites;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import dev.userservice.users.UserStore;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Extended profiles and who sees which of their fields: the owner, admins and services see every field and its
 * visibility; a caller on a premium plan sees another user's {@code public} and {@code premium} fields; a caller on
 * the default plan may not read other users' profiles at all (403 saying why).
 */
public final class Profiles {
    static final String PREMIUM_ONLY = "Reading other users' profiles is a premium feature: upgrade with POST /api/v1/users/me/upgrade";
    private static final Set<Visibility> TO_PREMIUM = Set.of(Visibility.PUBLIC, Visibility.PREMIUM);
    private static final Set<Visibility> TO_EVERYONE_ALLOWED = Set.of(Visibility.values());

    private final UserStore users;
    private final ProfileStore profiles;
    private final Plans plans;
    private final Clock clock;

    public Profiles(UserStore users, ProfileStore profiles, Plans plans, Clock clock) {
        this.users = users;
        this.profiles = profiles;
        this.plans = plans;
        this.clock = clock;
    }

    /** {@code GET /users/me/profile}: every field, with the visibilities. */
    public Map<String, Object> own(Principal caller) {
        User user = account(caller.subject());
        return view(user, profiles.find(user.id()).orElseGet(Profile::empty), TO_EVERYONE_ALLOWED);
    }

    /** {@code GET /users/{id}/profile}: what {@code caller} may see of that user's profile. */
    public Map<String, Object> of(Principal caller, String userId) {
        if (!Text.isId(userId)) {
            throw AccountUpdates.notFound();
        }
        Set<Visibility> visible = visibleTo(caller, userId);
        User user = account(userId);
        return view(user, profiles.find(userId).orElseGet(Profile::empty), visible);
    }

    /** {@code PUT}, {@code PATCH /users/me/profile}: the profile after the change, as its owner sees it. */
    public Map<String, Object> update(Principal caller, ProfileUpdate update) {
        return OptimisticRetry.run(() -> {
            // Read again on every try: the account's name and its privacy are part of what the write checks.
            User user = account(caller.subject());
            Optional<Profile> stored = profiles.find(user.id());
            Profile current = stored.orElseGet(Profile::empty);
            Map<String, Object> before = view(user, current, TO_EVERYONE_ALLOWED);
            update.readOnly().requireUnchanged(() -> before);
            Profile after = update.applyTo(current,
                    OptimisticWrites.nextUpdatedAt(clock, stored.map(Profile::updatedAt).orElse(Instant.EPOCH)));
            if (!profiles.save(user, stored.map(Profile::updatedAt), after)) {
                return Optional.empty();
            }
            return Optional.of(view(user, after, TO_EVERYONE_ALLOWED));
        }, AccountUpdates.BUSY);
    }

    /** The visibilities {@code caller} may read on {@code userId}'s profile; 403 for a caller on the default plan. */
    Set<Visibility> visibleTo(Principal caller, String userId) {
        if (caller.subject().equals(userId) || caller.isAdmin() || caller.isService()) {
            return TO_EVERYONE_ALLOWED;
        }
        if (!plans.isPremium(plans.of(account(caller.subject())))) {
            throw new ServiceException(ErrorCode.FORBIDDEN, PREMIUM_ONLY);
        }
        return TO_PREMIUM;
    }

    private User account(String userId) {
        return users.findById(userId).orElseThrow(AccountUpdates::notFound);
    }

    /** The fields whose visibility is in {@code visible}; the visibilities themselves only to who sees everything. */
    private static Map<String, Object> view(User user, Profile profile, Set<Visibility> visible) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", user.name());
        values.put("avatar_url", profile.avatarUrl());
        values.put("bio", profile.bio());
        values.put("title", profile.title());
        values.put("location", profile.location());
        values.put("links", profile.links());
        values.put("attributes", user.attributes());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user_id", user.id());
        values.forEach((field, value) -> {
            if (visible.contains(profile.visibility().get(field))) {
                json.put(field, value);
            }
        });
        if (visible.equals(TO_EVERYONE_ALLOWED)) {
            Map<String, Object> visibility = new LinkedHashMap<>();
            profile.visibility().forEach((field, value) -> visibility.put(field, value.claim()));
            json.put("visibility", visibility);
            json.put("updated_at", profile.updatedAt());
        }
        return json;
    }
}
