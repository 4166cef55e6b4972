package io.codingengine.worker.config;

import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.audit.PostgresAuditLog;
import io.codingengine.common.config.PostgresDataSourceConfiguration;
import io.codingengine.common.problem.PostgresProblemStore;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.store.PostgresSubmissionStore;
import io.codingengine.common.store.SubmissionStore;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The worker's stores on PostgreSQL ({@code coding-engine.store=postgres}, the default outside the
 * {@code azure} profile), in the api's database, on the connection pool of
 * {@link PostgresDataSourceConfiguration} (the api's too).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "coding-engine.store", havingValue = "postgres", matchIfMissing = true)
@Import(PostgresDataSourceConfiguration.class)
public class PostgresStoreConfiguration {

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
