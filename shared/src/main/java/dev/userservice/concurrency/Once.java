package dev.userservice.concurrency;

import java.util.function.Consumer;
import java.util.function.Supplier;

/** A thread-safe memo: the first caller builds the value, everyone after gets the same one. */
public final class Once<T> {
    private volatile T value;

    public T get(Supplier<T> builder) {
        T current = value;
        if (current == null) {
            synchronized (this) {
                current = value;
                if (current == null) {
                    current = builder.get();
                    value = current;
                }
            }
        }
        return current;
    }

    /** Uses the value only if someone has built it already. */
    public void ifBuilt(Consumer<T> use) {
        T current = value;
        if (current != null) {
            use.accept(current);
        }
    }
}
