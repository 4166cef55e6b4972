package io.codingengine.api.contest;

import io.codingengine.common.store.PostgresExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DraftStoreContract} against {@link PostgresDraftStore} on a real PostgreSQL. */
class PostgresDraftStoreTest extends DraftStoreContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static DraftStore store;

    @BeforeAll
    static void connect() {
        store = new PostgresDraftStore(POSTGRES.dataSource());
    }

    @Override
    protected DraftStore store() {
        return store;
    }
}
