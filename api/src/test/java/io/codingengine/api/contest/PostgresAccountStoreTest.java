package io.codingengine.api.contest;

import io.codingengine.common.store.PostgresExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AccountStoreContract} against {@link PostgresAccountStore} on a real PostgreSQL. */
class PostgresAccountStoreTest extends AccountStoreContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static AccountStore store;

    @BeforeAll
    static void connect() {
        store = new PostgresAccountStore(POSTGRES.dataSource());
    }

    @Override
    protected AccountStore store() {
        return store;
    }
}
