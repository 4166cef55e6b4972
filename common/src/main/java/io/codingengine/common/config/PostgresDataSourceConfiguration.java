package io.codingengine.common.config;

import com.zaxxer.hikari.HikariDataSource;
import io.codingengine.common.store.PostgresSchema;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The connection pool of the PostgreSQL stores, the same for the api and the worker: imported by
 * each one's {@code PostgresStoreConfiguration}, so only with {@code coding-engine.store=postgres}.
 * Spring Boot's own DataSource auto-configuration is off in both applications (it would want a
 * database with the azure store too); this is the pool it would make from
 * {@code spring.datasource.*} (its pool settings under {@code spring.datasource.hikari.*}), with
 * the schema migrated before any store uses it (whichever process starts first migrates it).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DataSourceProperties.class)
public class PostgresDataSourceConfiguration {

    @Bean
    HikariDataSource dataSource(DataSourceProperties properties, Environment environment) {
        HikariDataSource pool = properties
                .initializeDataSourceBuilder()
                .type(HikariDataSource.class)
                .build();
        Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(pool));
        PostgresSchema.migrate(pool);
        return pool;
    }
}
