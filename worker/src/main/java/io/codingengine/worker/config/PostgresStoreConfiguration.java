package io.codingengine.worker.config;

import com.zaxxer.hikari.HikariDataSource;
import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.audit.PostgresAuditLog;
import io.codingengine.common.problem.PostgresProblemStore;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.store.PostgresSchema;
import io.codingengine.common.store.PostgresSubmissionStore;
import io.codingengine.common.store.SubmissionStore;
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
 * The worker's stores on PostgreSQL ({@code coding-engine.store=postgres}, the default outside the
 * {@code azure} profile), in the api's database: one connection pool from
 * {@code spring.datasource.*} (its pool settings under {@code spring.datasource.hikari.*}), the
 * schema migrated before any store uses it (whichever process starts first migrates it).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "coding-engine.store", havingValue = "postgres", matchIfMissing = true)
@EnableConfigurationProperties(DataSourceProperties.class)
public class PostgresStoreConfiguration {

    /**
     * Spring Boot's own DataSource auto-configuration is off (WorkerApplication): it would want a
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
    ProblemStore problemStore(DataSource dataSource) {
        return new PostgresProblemStore(dataSource);
    }

    @Bean
    AuditLog auditLog(DataSource dataSource) {
        return new PostgresAuditLog(dataSource);
    }
}
