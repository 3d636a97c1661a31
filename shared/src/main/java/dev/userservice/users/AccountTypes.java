package dev.userservice.users;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The account types a deployment offers ({@code ACCOUNT_TYPES}, the template's {@code AccountTypes}): what kind of
 * person an account belongs to (a member, a student, a member of staff ...), as opposed to what it may do, which is
 * its role. The first is the type of a self-registered account and of an account stored before types existed.
 */
public record AccountTypes(List<String> names) {
    /** The longest type name, and how many types a deployment may have; the listing walks every type's partitions. */
    public static final int NAME_MAX_LENGTH = 32;
    public static final int MAX_COUNT = 20;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0," + (NAME_MAX_LENGTH - 1) + "}");

    /** The template's default, {@code member,student,staff}. */
    public static final AccountTypes DEFAULTS = parse(dev.userservice.config.ServiceConfig.DEFAULT_ACCOUNT_TYPES);

    public AccountTypes {
        names = List.copyOf(names);
        if (names.isEmpty() || names.size() > MAX_COUNT || names.stream().distinct().count() != names.size()
                || !names.stream().allMatch(name -> NAME.matcher(name).matches())) {
            throw new IllegalArgumentException("between 1 and " + MAX_COUNT + " distinct names of lower-case letters, digits,"
                    + " '_' and '-', each starting with a letter and at most " + NAME_MAX_LENGTH + " long");
        }
    }

    /** The types of {@code "member,student,staff"}: comma-separated, blanks around the names ignored. */
    public static AccountTypes parse(String commaSeparated) {
        return new AccountTypes(java.util.Arrays.stream(commaSeparated.split(",", -1)).map(String::strip).toList());
    }

    /** The type of a self-registered account. */
    public String defaultType() {
        return names.getFirst();
    }

    /** {@code text} when it names one of the types; otherwise a refusal that lists them, for a validation message. */
    public String choice(String text) {
        if (!names.contains(text)) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", names));
        }
        return text;
    }
}
