package dev.userservice.snapstart;

/** What a function's SnapStart hooks need from the container's wiring ({@code Services} provides it). */
public interface Wiring {
    /** Whether Lambda is initialising this container for a SnapStart snapshot, which calls the hooks. */
    boolean initialisingSnapshot();

    /**
     * Whether Lambda is initialising this container on demand, with the event waiting: a function without SnapStart
     * then primes at init ({@link SnapStartFunction#primeWhenInitialisedOnDemand}).
     */
    boolean initialisingOnDemand();

    /**
     * A signed access token of a user and a session that do not exist: it passes the signature check and is
     * refused by the session check, which is as far as a primed request of an authenticated route goes. A function
     * that holds no signing key signs it with a key that only a priming thread's token check trusts
     * ({@link Priming}).
     */
    String accessTokenOfNobody();

    /**
     * Uses, once and with no side effect, each part the container has built that a request would use: reads of a
     * cache key and a table item that cannot exist (so a function that reads the table needs
     * {@code dynamodb:GetItem}), the table's other operations prepared and not sent ({@code DryRunOperations}), a
     * decoy password check, a token signed and thrown away. Parts not built are left alone: priming must not make a
     * function build, or need permission for, more than its requests do.
     */
    void warmUp();

    /** Mends what a restore breaks; called before the restored container's first request. */
    void afterRestore();

    /** Nothing to prime or mend: for functions built by hand, as tests and the benchmark's kernel harness do. */
    static Wiring none() {
        return new Wiring() {
            @Override
            public boolean initialisingSnapshot() {
                return false;
            }

            @Override
            public boolean initialisingOnDemand() {
                return false;
            }

            @Override
            public String accessTokenOfNobody() {
                throw new IllegalStateException("No signing keys are wired: authenticated routes cannot be primed");
            }

            @Override
            public void warmUp() {
                // nothing built
            }

            @Override
            public void afterRestore() {
                // nothing to mend
            }
        };
    }
}
