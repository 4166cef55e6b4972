package io.codingengine.common.config;

import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.audit.PostgresAuditLog;
import io.codingengine.common.problem.PostgresProblemStore;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.store.PostgresSubmissionStore;
import io.codingengine.common.store.SubmissionStore;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The stores the api and the worker both use, on PostgreSQL: imported by each one's
 * {@code PostgresStoreConfiguration} (so only with {@code coding-engine.store=postgres}), which
 * adds the stores only it uses.
 */
@Configuration(proxyBeanMethods = false)
@Import(PostgresDataSourceConfiguration.class)
public class PostgresStores {

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
