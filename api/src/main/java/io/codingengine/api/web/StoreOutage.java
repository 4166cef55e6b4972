package io.codingengine.api.web;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a store (or broker) that cannot be reached from a bug: a request that failed because a
 * dependency is down is answered {@code 503} with {@code Retry-After}, so clients wait and try
 * again instead of reporting a {@code 500}. Decided on the cause chain, whatever adapter threw:
 * a refused or timed-out connection, a closed channel, or a database's connection error
 * (SQLSTATE class {@code 08}, or {@code 57P} when the server is shutting down or starting, or the
 * pool's closed connection).
 */
public final class StoreOutage {

    /** How long a client is asked to wait: about as long as an adapter's own retries take. */
    public static final long RETRY_AFTER_SECONDS = 5;

    private StoreOutage() {}

    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException
                    || t instanceof HttpConnectTimeoutException
                    || t instanceof ClosedChannelException
                    || t instanceof TimeoutException
                    || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            // HikariCP's pooled connection after the database dropped it: no SQLSTATE, this message
            // (Bucket4j's rollback meets it and wraps it in its own exception).
            if (t instanceof SQLException sql
                    && sql.getSQLState() == null
                    && "Connection is closed".equals(sql.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
