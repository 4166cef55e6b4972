package io.codingengine.common.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The schema of the PostgreSQL stores: Flyway's migrations in {@code db/migration} of this
 * module. The api and every worker apply them at start; Flyway's lock in the database makes
 * processes that start together wait for one another, and an applied migration is skipped.
 */
public final class PostgresSchema {

    private PostgresSchema() {}

    /** Brings the database of {@code dataSource} to the newest schema. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
