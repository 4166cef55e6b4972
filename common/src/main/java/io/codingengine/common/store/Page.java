package io.codingengine.common.store;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items             the page's items, in the listing's order; may hold fewer items than
 *                          asked for, even none, while more follow
 * @param continuationToken an opaque token that asks for the next page, or {@code null} when the
 *                          listing is complete. Only a {@code null} token marks the end.
 */
public record Page<T>(List<T> items, String continuationToken) {

    public Page {
        items = List.copyOf(items);
    }

    /** True when no page follows this one. */
    public boolean last() {
        return continuationToken == null;
    }
}
