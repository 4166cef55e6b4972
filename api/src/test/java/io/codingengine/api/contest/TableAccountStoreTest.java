package io.codingengine.api.contest;

import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.AzuriteExtension;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link AccountStoreContract} against {@link TableAccountStore} on a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class TableAccountStoreTest extends AccountStoreContract {

    private static AccountStore store;

    @BeforeAll
    static void connect() {
        String prefix = "a" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        store = new TableAccountStore(AzureStorage.tables(AzuriteExtension.connectionString()), prefix);
    }

    @Override
    protected AccountStore store() {
        return store;
    }
}
