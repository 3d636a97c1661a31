package dev.userservice.profiles;

import java.util.Locale;

/** Why a channel's {@code allowed_now} is false, as the contract names it. */
public enum Reason {
    CHANNEL_DISABLED, CATEGORY_OPT_OUT, EMAIL_BOUNCED, EMAIL_UNVERIFIED, NO_ACTIVE_DEVICES, QUIET_HOURS;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
