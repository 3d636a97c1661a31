package dev.userservice.accounts;

import java.util.Locale;

/** Who besides its owner, admins and services may read a profile field. */
public enum Visibility {
    /** Any user allowed to read other users' profiles. */
    PUBLIC,
    /** Callers on a premium plan. */
    PREMIUM,
    /** Nobody but the owner, admins and services. */
    PRIVATE;

    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Visibility parse(String text) {
        for (Visibility visibility : values()) {
            if (visibility.claim().equals(text)) {
                return visibility;
            }
        }
        throw new IllegalArgumentException("must be one of public, premium, private");
    }
}
