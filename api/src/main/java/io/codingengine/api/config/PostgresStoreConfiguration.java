package io.codingengine.api.config;

import io.codingengine.api.access.ApiKeyStore;
import io.codingengine.api.access.PostgresApiKeyStore;
import io.codingengine.api.clarification.ClarificationStore;
import io.codingengine.api.clarification.PostgresClarificationStore;
import io.codingengine.api.contest.AccountStore;
import io.codingengine.api.contest.DraftStore;
import io.codingengine.api.contest.PostgresAccountStore;
import io.codingengine.api.contest.PostgresDraftStore;
import io.codingengine.api.limits.PostgresBuckets;
import io.codingengine.common.config.PostgresStores;
import io.codingengine.common.contest.ContestStore;
import io.codingengine.common.contest.PostgresContestStore;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The stores on PostgreSQL ({@code coding-engine.store=postgres}, the default outside the
 * {@code azure} profile): those the worker uses too from {@link PostgresStores}, and the api's own.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "coding-engine.store", havingValue = "postgres", matchIfMissing = true)
@Import(PostgresStores.class)
public class PostgresStoreConfiguration {

    @Bean
    ApiKeyStore apiKeyStore(DataSource dataSource) {
        return new PostgresApiKeyStore(dataSource);
    }

    @Bean
    AccountStore accountStore(DataSource dataSource) {
        return new PostgresAccountStore(dataSource);
    }

    @Bean
    DraftStore draftStore(DataSource dataSource) {
        return new PostgresDraftStore(dataSource);
    }

    @Bean
    ClarificationStore clarificationStore(DataSource dataSource) {
        return new PostgresClarificationStore(dataSource);
    }

    @Bean
    ContestStore contestStore(DataSource dataSource) {
        return new PostgresContestStore(dataSource);
    }

    @Bean
    ProxyManager<String> rateLimitBuckets(DataSource dataSource) {
        return PostgresBuckets.on(dataSource);
    }
}
