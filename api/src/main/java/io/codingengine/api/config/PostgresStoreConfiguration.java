package io.codingengine.api.config;

import com.zaxxer.hikari.HikariDataSource;
import io.codingengine.api.access.ApiKeyStore;
import io.codingengine.api.access.PostgresApiKeyStore;
import io.codingengine.api.clarification.ClarificationStore;
import io.codingengine.api.clarification.PostgresClarificationStore;
import io.codingengine.api.contest.AccountStore;
import io.codingengine.api.contest.DraftStore;
import io.codingengine.api.contest.PostgresAccountStore;
import io.codingengine.api.contest.PostgresDraftStore;
import io.codingengine.api.limits.PostgresBuckets;
import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.audit.PostgresAuditLog;
import io.codingengine.common.contest.ContestStore;
import io.codingengine.common.contest.PostgresContestStore;
import io.codingengine.common.problem.PostgresProblemStore;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.store.PostgresSchema;
import io.codingengine.common.store.PostgresSubmissionStore;
import io.codingengine.common.store.SubmissionStore;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;

/**
 * The stores on PostgreSQL ({@code coding-engine.store=postgres}, the default outside the
 * {@code azure} profile): one connection pool from {@code spring.datasource.*} (its pool settings
 * under {@code spring.datasource.hikari.*}), the schema migrated before any store uses it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "coding-engine.store", havingValue = "postgres", matchIfMissing = true)
@EnableConfigurationProperties(DataSourceProperties.class)
public class PostgresStoreConfiguration {

    /**
     * Spring Boot's own DataSource auto-configuration is off (CodingEngineApi): it would want a
     * database with the azure store too. This is the pool it would make, migrated.
     */
    @Bean
    HikariDataSource dataSource(DataSourceProperties properties, Environment environment) {
        HikariDataSource pool = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(pool));
        PostgresSchema.migrate(pool);
        return pool;
    }

    @Bean
    SubmissionStore submissionStore(DataSource dataSource) {
        return new PostgresSubmissionStore(dataSource);
    }

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
    ProblemStore problemStore(DataSource dataSource) {
        return new PostgresProblemStore(dataSource);
    }

    @Bean
    AuditLog auditLog(DataSource dataSource) {
        return new PostgresAuditLog(dataSource);
    }

    @Bean
    ProxyManager<String> rateLimitBuckets(DataSource dataSource) {
        return PostgresBuckets.on(dataSource);
    }
}
