package dev.userservice.local.e2e;

import java.util.Map;

/** Function settings for tests that are not about cost or limits: cheap hashing, limits out of the way. */
public final class TestEnvironment {
    /** bcrypt's cost is configuration; the code path is the same at 6 as at 11. */
    public static final Map<String, String> FAST = Map.of(
            "BCRYPT_COST", "6",
            "RATE_LIMITS", "register=100000/1h,register_mailbox=100000/1h,login_email=100000/5m,login_ip=100000/5m,password_reset=100000/1h,password_reset_ip=100000/1h,email_verification=100000/1h,refresh=100000/1m");

    private TestEnvironment() {}
}
