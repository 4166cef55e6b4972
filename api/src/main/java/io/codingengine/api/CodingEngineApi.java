package io.codingengine.api;

import io.codingengine.common.config.StoreSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;

/** The api process: the Piston v2 compatible API in front of an {@code ExecutionService}. */
// The stores' configuration makes the DataSource, with coding-engine.store=postgres only: Boot's
// would want a database with the azure store too.
@SpringBootApplication(exclude = DataSourceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableConfigurationProperties(StoreSettings.class)
public class CodingEngineApi {

    public static void main(String[] args) {
        SpringApplication.run(CodingEngineApi.class, args);
    }
}
