package dev.userservice.users;

import dev.userservice.errors.ServiceException;
import dev.userservice.errors.ErrorCode;

/** The email is already claimed by another account. */
public final class EmailTakenException extends ServiceException {
    public EmailTakenException() {
        super(ErrorCode.EMAIL_TAKEN);
    }
}
