package dev.userservice.users;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The deployment's plans, lowest first (template parameter {@code Plans}, default {@code basic,premium}). The first is
 * the plan every account starts on and the one {@code downgrade} returns to; the second is where {@code upgrade}
 * leads; every plan but the first is premium: its holders may search users and read other users' profiles.
 */
public record Plans(List<String> names) {
    public static final int NAME_MAX_LENGTH = 32;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0," + (NAME_MAX_LENGTH - 1) + "}");
    private static final int MAX_PLANS = 10;
    /** After the constants its constructor checks against. */
    public static final Plans DEFAULT = new Plans(List.of("basic", "premium"));

    public Plans {
        names = List.copyOf(names);
        if (names.size() < 2 || names.size() > MAX_PLANS || names.stream().distinct().count() != names.size()
                || !names.stream().allMatch(name -> NAME.matcher(name).matches())) {
            throw new IllegalArgumentException("plans are 2 to " + MAX_PLANS
                    + " distinct names of lower-case letters, digits and _, lowest first");
        }
    }

    /** Reads {@code basic,premium}: names separated by commas, lowest first. */
    public static Plans parse(String text) {
        return new Plans(List.of(text.split(",", -1)).stream().map(String::strip).toList());
    }

    /** Where every account starts, and where a downgrade leads. */
    public String defaultPlan() {
        return names.getFirst();
    }

    /** Where a self-service upgrade leads. */
    public String upgradePlan() {
        return names.get(1);
    }

    public boolean contains(String plan) {
        return names.contains(plan);
    }

    /** {@code text} when it names one of the plans; otherwise the message of a field error. */
    public String choice(String text) {
        if (!contains(text)) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", names));
        }
        return text;
    }

    /** Whether {@code plan} opens the premium features: any plan but the first. */
    public boolean isPremium(String plan) {
        return contains(plan) && !plan.equals(defaultPlan());
    }

    /** The account's plan, the default one where none is stored. */
    public String of(User user) {
        return user.plan() == null ? defaultPlan() : user.plan();
    }

    /** Where {@code plan} ranks, 0 for the default; a plan no longer offered ranks as the default. */
    int rank(String plan) {
        return Math.max(0, names.indexOf(plan));
    }

    /** Whether {@code current} is already {@code target} or above it. */
    public boolean atLeast(String current, String target) {
        return rank(current) >= rank(target);
    }
}
