package dev.userservice.users;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;

/** The username is already claimed by another account (compared case-insensitively). */
public final class UsernameTakenException extends ServiceException {
    public UsernameTakenException() {
        super(ErrorCode.USERNAME_TAKEN);
    }
}
