package io.codingengine.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The api process: the Piston v2 compatible API in front of an {@code ExecutionService}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CodingEngineApi {

    public static void main(String[] args) {
        SpringApplication.run(CodingEngineApi.class, args);
    }
}
