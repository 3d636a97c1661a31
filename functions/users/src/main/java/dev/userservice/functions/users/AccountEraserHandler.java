package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.events.EventType;
import dev.userservice.events.OutboxRecord;
import dev.userservice.logging.Log;
import dev.userservice.triggers.StreamFunction;
import dev.userservice.triggers.StreamRecord;
import dev.userservice.users.AccountErasure;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finishes account deletions from the table's stream: erases what is left of the account of each {@code user.deleted}
 * outbox item, so a deletion whose function died half way completes. Idempotent; other records are skipped.
 * <pre>java -jar local/target/local-api.jar invoke AccountEraserFunction events/account-eraser.json</pre>
 */
public final class AccountEraserHandler extends StreamFunction<OutboxRecord> {
    private final AccountErasure erasure;

    public AccountEraserHandler() {
        this(System.getenv());
    }

    public AccountEraserHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    AccountEraserHandler(Services services) {
        super(services, "account deletion");
        this.erasure = services.accountErasure();
    }

    @Override
    protected Optional<OutboxRecord> read(StreamRecord record) {
        return OutboxRecord.read(record, EventType.USER_DELETED);
    }

    @Override
    protected int consumeInOrder(List<OutboxRecord> deletions) {
        return oneAtATime(deletions, deletion -> {
            erasure.erase(deletion.userId());
            Log.info("account erased", Map.of("user_id", deletion.userId()));
        });
    }

    /** An account that never existed: its items are queried, none found, nothing deleted. */
    @Override
    protected Map<String, Object> primingImage() {
        return OutboxRecord.streamImage("snapstart-priming", EventType.USER_DELETED.wireName(), "snapstart-priming");
    }

    /** Without a log line, and no warm-up beyond that: this function may only query the table. */
    @Override
    protected void primeWith(List<OutboxRecord> deletions) {
        deletions.forEach(deletion -> erasure.erase(deletion.userId()));
    }
}
