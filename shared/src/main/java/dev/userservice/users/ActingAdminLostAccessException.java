package dev.userservice.users;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;

/** The admin who made a change is no longer an active admin by the time it would be stored: 403, nothing stored. */
public final class ActingAdminLostAccessException extends ServiceException {
    public ActingAdminLostAccessException() {
        super(ErrorCode.FORBIDDEN, "Your admin access ended before this change was stored");
    }
}
