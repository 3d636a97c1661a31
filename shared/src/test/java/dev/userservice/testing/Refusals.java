package dev.userservice.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import org.junit.jupiter.api.function.Executable;

/** What a domain operation refused with. */
public final class Refusals {
    private Refusals() {}

    /** The error code of the {@link ServiceException} {@code call} throws; fails the test when it throws none. */
    public static ErrorCode refusal(Executable call) {
        return assertThrows(ServiceException.class, call).error();
    }
}
