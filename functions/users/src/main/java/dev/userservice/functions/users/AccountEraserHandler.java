package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.EventType;
import dev.userservice.logging.Log;
import dev.userservice.triggers.QueueFunction;
import dev.userservice.triggers.QueueMessage;
import dev.userservice.users.AccountErasure;
import dev.userservice.validation.Text;
import java.util.Map;

/**
 * Finishes account deletions from the account-erasure queue, where the outbox's publisher hands each published
 * {@code user.deleted} event: erases what is left of the account the event's {@code user_id} names, so a deletion
 * whose function died half way completes. Idempotent. A message that is not a deletion with a user id is refused
 * (logged, and after five receives in the dead-letter queue); one whose erasure fails, or outlasts the invocation,
 * comes back, and its next receive goes on from what is left.
 * <pre>java -jar local/target/local-api.jar invoke AccountEraserFunction events/account-eraser.json</pre>
 */
public final class AccountEraserHandler extends QueueFunction {
    private final AccountErasure erasure;

    public AccountEraserHandler() {
        this(System.getenv());
    }

    public AccountEraserHandler(Map<String, String> environment) {
        this(Services.of(environment));
        primeWhenInitialisedOnDemand();
    }

    AccountEraserHandler(Services services) {
        super(services, "account deletion");
        this.erasure = services.accountErasure();
    }

    @Override
    protected void consume(QueueMessage message) {
        Map<String, Object> event = message.jsonBody();
        if (!EventType.USER_DELETED.wireName().equals(event.get("type"))) {
            // Only the publisher sends here, and only deletions: anything else is a defect to look at, not an account to erase.
            throw ServiceException.validation("type", "must be " + EventType.USER_DELETED.wireName());
        }
        if (!(event.get("user_id") instanceof String userId) || !Text.isId(userId)) {
            throw ServiceException.validation("user_id", "must be the deleted account's id");
        }
        if (!erasure.eraseUntil(userId, message.deadline())) {
            // Months of delivery statuses, deleted one by one, may outlast one invocation: what is erased stays erased.
            throw new Unfinished();
        }
        Log.info("account erased", Map.of("user_id", userId));
    }

    /** An event without its user: refused before the table is touched. */
    @Override
    protected Map<String, Object> refusedBody() {
        return Map.of("type", EventType.USER_DELETED.wireName());
    }
}
