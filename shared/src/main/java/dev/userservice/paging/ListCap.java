package dev.userservice.paging;

import java.util.Comparator;
import java.util.List;

/**
 * A list held to a cap so that reading it whole stays bounded (a user's sessions, devices): which of its elements
 * give way, oldest first, so that one more fits. The order must be total, so that every writer picks the same ones.
 */
public final class ListCap {
    private ListCap() {}

    /** The elements to drop from {@code elements} before one more is added, so that at most {@code cap} remain. */
    public static <T> List<T> givingWayForOneMore(List<T> elements, int cap, Comparator<? super T> oldestFirst) {
        int excess = elements.size() - (cap - 1);
        return excess <= 0 ? List.of() : elements.stream().sorted(oldestFirst).limit(excess).toList();
    }
}
