package dev.userservice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A token signed with the priming key passes the token check while priming, and never otherwise. */
class PrimingKeyTest {
    private static final Clock CLOCK = Clock.systemUTC();

    private final AtomicBoolean priming = new AtomicBoolean();
    private final PrimingKey primingKey = new PrimingKey(priming::get, CLOCK);
    private final SigningKeys published = new SigningKeys(SigningKeys::generateKeySetJson, CLOCK);
    private final AccessTokens checked = new AccessTokens(() -> published,
            primingKey.trustedBeside(published::verificationKey), "urn:test", "test", Duration.ofMinutes(15), CLOCK);

    @Test
    void theTokenOfNobodyPassesTheTokenCheckOnlyWhilePriming() {
        String tokenOfNobody = tokens(primingKey.signingKeys()).issue("nobody", "no-session", Set.of(Role.USER), false).token();

        ServiceException refused = assertThrows(ServiceException.class, () -> checked.verify(tokenOfNobody));
        assertEquals(ErrorCode.UNAUTHORIZED, refused.error());

        priming.set(true);
        assertEquals("nobody", checked.verify(tokenOfNobody).subject());

        priming.set(false);
        assertThrows(ServiceException.class, () -> checked.verify(tokenOfNobody));
    }

    @Test
    void tokensOfTheVerificationKeysPassAsEver() {
        String token = checked.issue("someone", "a-session", Set.of(Role.ADMIN), true).token();

        assertEquals("someone", checked.verify(token).subject());
        priming.set(true);
        assertEquals("someone", checked.verify(token).subject());
    }

    @Test
    void eachContainerMakesItsOwnKeyAndTrustsNoOther() {
        PrimingKey another = new PrimingKey(() -> true, CLOCK);
        String foreign = tokens(another.signingKeys()).issue("nobody", "no-session", Set.of(Role.USER), false).token();
        priming.set(true);

        assertThrows(ServiceException.class, () -> checked.verify(foreign));
    }

    private static AccessTokens tokens(SigningKeys keys) {
        return new AccessTokens(keys, "urn:test", "test", Duration.ofMinutes(15), CLOCK);
    }
}
