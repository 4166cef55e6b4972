package io.codingengine.worker.config;

import io.codingengine.common.config.PostgresStores;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The worker's stores on PostgreSQL ({@code coding-engine.store=postgres}, the default outside the
 * {@code azure} profile), in the api's database: only those the api uses too.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "coding-engine.store", havingValue = "postgres", matchIfMissing = true)
@Import(PostgresStores.class)
public class PostgresStoreConfiguration {}
