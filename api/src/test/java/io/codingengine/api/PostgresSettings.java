package io.codingengine.api;

import io.codingengine.common.store.PostgresExtension;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Puts an api under test on a database of the tests' PostgreSQL ({@link PostgresExtension}): its
 * stores (the default, {@code coding-engine.store=postgres}) connect there and migrate it at start.
 */
public final class PostgresSettings {

    private PostgresSettings() {}

    public static void register(DynamicPropertyRegistry registry, PostgresExtension.Database database) {
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::user);
    }
}
