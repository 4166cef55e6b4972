package io.codingengine.common.contest;

import java.util.List;
import java.util.Optional;

/**
 * Contests, written by admins and read on every participant request. Thread-safe. Failures of the
 * underlying storage surface as the storage client's unchecked exceptions.
 */
public interface ContestStore {

    /** Stores {@code contest}, replacing one with its id. */
    void save(Contest contest);

    /** The contest with that id, or empty. */
    Optional<Contest> get(String id);

    /** Every contest, by id. */
    List<Contest> list();

    /** Deletes a contest (its submissions stay); {@code false} when there was none. */
    boolean delete(String id);
}
