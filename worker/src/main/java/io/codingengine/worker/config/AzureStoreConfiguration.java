package io.codingengine.worker.config;

import io.codingengine.common.config.AzureStores;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The worker's stores on Azure Storage ({@code coding-engine.store=azure}, which the {@code azure}
 * profile sets): only those the api uses too.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "coding-engine.store", havingValue = "azure")
@Import(AzureStores.class)
public class AzureStoreConfiguration {}
