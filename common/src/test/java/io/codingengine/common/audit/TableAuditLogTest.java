package io.codingengine.common.audit;

import io.codingengine.common.store.AzuriteExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;

/** {@link AuditLogContract} against {@link TableAuditLog} on a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class TableAuditLogTest extends AuditLogContract {

    @Override
    protected AuditLog newLog() {
        return TableAuditLog.fromConnectionString(AzuriteExtension.connectionString(),
                "t" + UUID.randomUUID().toString().substring(0, 8));
    }
}
