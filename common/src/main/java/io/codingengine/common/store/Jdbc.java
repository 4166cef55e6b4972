package io.codingengine.common.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Plain JDBC for the PostgreSQL adapters: a pooled connection per call, parameters bound in
 * order, {@link SQLException} turned into {@link UncheckedSQLException}. Outside
 * {@link #transaction} a connection is in autocommit mode, so each statement is committed before
 * the call returns.
 */
public final class Jdbc {

    /** Work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** One row of a result as a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Runs {@code work} on a connection in autocommit mode. */
    public <T> T call(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new UncheckedSQLException(e);
        }
    }

    /**
     * Runs {@code work} in one transaction at {@code isolation} ({@link Connection}'s constants),
     * committed before this returns; rolled back when {@code work} throws. The pool puts the
     * connection back as it found it (HikariCP resets autocommit and isolation on return).
     */
    public <T> T transaction(int isolation, Work<T> work) {
        return call(connection -> {
            connection.setTransactionIsolation(isolation);
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback); // the connection is likely gone; the first failure says why
                }
                throw e;
            }
        });
    }

    /** Runs one INSERT, UPDATE or DELETE; returns how many rows it changed. */
    public int update(String sql, Object... parameters) {
        return call(connection -> update(connection, sql, parameters));
    }

    /** The rows of one query, mapped. */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) {
        return call(connection -> query(connection, sql, mapper, parameters));
    }

    /** The first row of one query, mapped, or empty. */
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... parameters) {
        return query(sql, mapper, parameters).stream().findFirst();
    }

    public static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    public static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rows.next()) {
                out.add(mapper.map(rows));
            }
            return out;
        }
    }

    /** The column as an instant; {@code null} for SQL NULL. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                // The driver takes OffsetDateTime for timestamptz, not Instant.
                Object value =
                        parameters[i] instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : parameters[i];
                statement.setObject(i + 1, value);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }
}
