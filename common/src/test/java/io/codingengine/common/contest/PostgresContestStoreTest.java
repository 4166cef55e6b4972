package io.codingengine.common.contest;

import io.codingengine.common.store.PostgresExtension;

/** {@link ContestStoreContract} against {@link PostgresContestStore} on a real PostgreSQL. */
class PostgresContestStoreTest extends ContestStoreContract {

    /** A database per test: a store reads every contest of its database. */
    @Override
    protected ContestStore newStore() {
        return new PostgresContestStore(PostgresExtension.newMigratedDatabase("contests"));
    }
}
