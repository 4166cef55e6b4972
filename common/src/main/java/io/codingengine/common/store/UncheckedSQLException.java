package io.codingengine.common.store;

import java.sql.SQLException;

/**
 * A failure of the database behind a PostgreSQL store (unreachable, timed out, refused), as the
 * stores' ports surface storage failures: unchecked, and never an {@link IllegalStateException}
 * or {@link IllegalArgumentException}, which callers take for a bug rather than retry.
 */
public final class UncheckedSQLException extends RuntimeException {

    public UncheckedSQLException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized SQLException getCause() {
        return (SQLException) super.getCause();
    }
}
