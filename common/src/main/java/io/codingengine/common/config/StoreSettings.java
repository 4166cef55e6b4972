package io.codingengine.common.config;

import io.codingengine.common.store.StoreKind;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The setting the api and the worker read under the same name, {@code coding-engine.store}: where
 * the stores are, {@code postgres} (the database of {@code spring.datasource.*}) or {@code azure}
 * (the storage account of {@link ConnectionSettings}). Bound so that a value that names neither
 * stops the process at start with the setting's name; the api and its workers must name the same.
 *
 * @param store where the stores are: {@code postgres} or {@code azure}
 */
@ConfigurationProperties("coding-engine")
public record StoreSettings(@DefaultValue("postgres") StoreKind store) {}
