package io.codingengine.worker;

import io.codingengine.common.config.StoreSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;

/** A worker process: drains the submission queue and judges in its own sandboxes. */
// The stores' configuration makes the DataSource, with coding-engine.store=postgres only: Boot's
// would want a database with the azure store too.
@SpringBootApplication(exclude = DataSourceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableConfigurationProperties(StoreSettings.class)
public class WorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerApplication.class, args);
    }
}
