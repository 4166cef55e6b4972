package io.codingengine.common.store;

import com.azure.data.tables.models.TableEntity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state rows this process read or wrote last, with their ETags, so that a change right after
 * a read or a write (the worker's read, mark running, verdict) can skip reading the row again.
 * Only a hint: a row taken from here is decided on and written conditioned on its ETag, so a
 * stale one fails with 412 and the change reads afresh. Each row is handed out once (the decision
 * changes it in place), and only the newest {@code capacity} are kept.
 */
final class RecentStates {

    private final Map<String, TableEntity> rows;

    RecentStates(int capacity) {
        this.rows = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TableEntity> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Keeps {@code row} (with its ETag) as the newest known version of submission {@code id}. */
    synchronized void remember(String id, TableEntity row) {
        rows.put(id, row);
    }

    /** The row last remembered for {@code id}, removed; {@code null} when none is known. */
    synchronized TableEntity take(String id) {
        return rows.remove(id);
    }

    synchronized void forget(String id) {
        rows.remove(id);
    }
}
