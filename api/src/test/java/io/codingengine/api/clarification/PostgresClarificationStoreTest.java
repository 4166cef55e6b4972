package io.codingengine.api.clarification;

import io.codingengine.common.store.PostgresExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClarificationStoreContract} against {@link PostgresClarificationStore} on a real PostgreSQL. */
class PostgresClarificationStoreTest extends ClarificationStoreContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static ClarificationStore store;

    @BeforeAll
    static void connect() {
        store = new PostgresClarificationStore(POSTGRES.dataSource());
    }

    @Override
    protected ClarificationStore store() {
        return store;
    }
}
