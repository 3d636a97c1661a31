package dev.userservice.users;

import dev.userservice.http.ApiException;
import dev.userservice.http.ErrorCode;

/** The email is already claimed by another account. */
public final class EmailTakenException extends ApiException {
    public EmailTakenException() {
        super(ErrorCode.EMAIL_TAKEN);
    }
}
