package io.codingengine.api.contest;

import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.AzuriteExtension;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link DraftStoreContract} against {@link TableDraftStore} on a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class TableDraftStoreTest extends DraftStoreContract {

    private static DraftStore store;

    @BeforeAll
    static void connect() {
        String prefix = "d" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        store = new TableDraftStore(AzureStorage.tables(AzuriteExtension.connectionString()), prefix);
    }

    @Override
    protected DraftStore store() {
        return store;
    }
}
