package io.codingengine.common.audit;

import io.codingengine.common.store.PostgresExtension;

/** {@link AuditLogContract} against {@link PostgresAuditLog} on a real PostgreSQL. */
class PostgresAuditLogTest extends AuditLogContract {

    /** A database per test: the tests read every entry of their time range. */
    @Override
    protected AuditLog newLog() {
        return new PostgresAuditLog(PostgresExtension.newMigratedDatabase("audit"));
    }
}
