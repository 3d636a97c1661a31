package dev.userservice.users;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;

/** The email is already claimed by another account. */
public final class EmailTakenException extends ServiceException {
    public EmailTakenException() {
        super(ErrorCode.EMAIL_TAKEN);
    }
}
