package dev.userservice.profiles;

import java.util.Collection;
import java.util.Map;

/** Where the inputs of notification profiles are read: the account, its preferences and its push targets. */
public interface ProfileInputsStore {

    /** The inputs of each user of {@code userIds} that exists, by user id; unknown users are left out. */
    Map<String, ProfileInputs> findAll(Collection<String> userIds);
}
