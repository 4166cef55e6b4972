package io.codingengine.api.clarification;

import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.AzuriteExtension;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ClarificationStoreContract} against {@link TableClarificationStore} on a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class TableClarificationStoreTest extends ClarificationStoreContract {

    private static ClarificationStore store;

    @BeforeAll
    static void connect() {
        String prefix = "q" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        store = new TableClarificationStore(AzureStorage.tables(AzuriteExtension.connectionString()), prefix);
    }

    @Override
    protected ClarificationStore store() {
        return store;
    }
}
