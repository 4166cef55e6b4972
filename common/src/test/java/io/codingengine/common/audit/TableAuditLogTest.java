package io.codingengine.common.audit;

import io.codingengine.common.store.AzuriteExtension;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link AuditLogContract} against {@link TableAuditLog} on a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class TableAuditLogTest extends AuditLogContract {

    @Override
    protected AuditLog newLog() {
        return TableAuditLog.fromConnectionString(
                AzuriteExtension.connectionString(),
                "t" + UUID.randomUUID().toString().substring(0, 8));
    }
}
