package io.codingengine.api.config;

import io.codingengine.api.access.ApiKeyStore;
import io.codingengine.api.access.TableApiKeyStore;
import io.codingengine.api.clarification.ClarificationStore;
import io.codingengine.api.clarification.TableClarificationStore;
import io.codingengine.api.contest.AccountStore;
import io.codingengine.api.contest.DraftStore;
import io.codingengine.api.contest.TableAccountStore;
import io.codingengine.api.contest.TableDraftStore;
import io.codingengine.api.limits.TableBucketProxyManager;
import io.codingengine.common.config.AzureStores;
import io.codingengine.common.contest.ContestStore;
import io.codingengine.common.contest.TableContestStore;
import io.codingengine.common.store.StorageAccount;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The stores on Azure Storage ({@code coding-engine.store=azure}, which the {@code azure} profile
 * sets): those the worker uses too from {@link AzureStores}, and the api's own, on the same
 * clients.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "coding-engine.store", havingValue = "azure")
@Import(AzureStores.class)
public class AzureStoreConfiguration {

    @Bean
    ApiKeyStore apiKeyStore(StorageAccount.Clients storage, ApiConnectionSettings c) {
        return new TableApiKeyStore(storage.tables(), c.getTablePrefix());
    }

    @Bean
    AccountStore accountStore(StorageAccount.Clients storage, ApiConnectionSettings c) {
        return new TableAccountStore(storage.tables(), c.getTablePrefix());
    }

    @Bean
    DraftStore draftStore(StorageAccount.Clients storage, ApiConnectionSettings c) {
        return new TableDraftStore(storage.tables(), c.getTablePrefix());
    }

    @Bean
    ClarificationStore clarificationStore(StorageAccount.Clients storage, ApiConnectionSettings c) {
        return new TableClarificationStore(storage.tables(), c.getTablePrefix());
    }

    @Bean
    ContestStore contestStore(StorageAccount.Clients storage, ApiConnectionSettings c) {
        return new TableContestStore(storage.tables(), c.getTablePrefix());
    }

    /** One table of buckets, so every api process draws on the same ones. */
    @Bean
    ProxyManager<String> rateLimitBuckets(StorageAccount.Clients storage, ApiConnectionSettings c) {
        return new TableBucketProxyManager(storage.tables(), c.getTablePrefix());
    }
}
