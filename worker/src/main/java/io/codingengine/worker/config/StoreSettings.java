package io.codingengine.worker.config;

import io.codingengine.common.store.StoreKind;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The setting the worker shares with the api, {@code coding-engine.store}: where the stores are,
 * {@code postgres} (the database of {@code spring.datasource.*}) or {@code azure} (the storage
 * account of {@code coding-engine.worker.storage} or its endpoints). Bound so that a value that
 * names neither stops the worker at start with the setting's name.
 */
@ConfigurationProperties("coding-engine")
public record StoreSettings(@DefaultValue("postgres") StoreKind store) {
}
