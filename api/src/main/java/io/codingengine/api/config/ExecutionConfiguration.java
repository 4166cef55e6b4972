package io.codingengine.api.config;

import io.codingengine.api.execution.ExecutionService;
import io.codingengine.api.execution.LocalExecutionService;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the {@link ExecutionService}: for now the sandboxed executor, in process. */
@Configuration(proxyBeanMethods = false)
public class ExecutionConfiguration {

    @Bean
    ExecutorConfig executorConfig() {
        return ExecutorConfig.defaults();
    }

    @Bean
    SandboxedExecutor sandboxedExecutor(EngineProperties properties, ExecutorConfig config) {
        SandboxConfig sandbox = SandboxConfig.defaults()
                .withDataDir(properties.dataDir())
                .withSlots(properties.effectiveSlots())
                .withUidBase(properties.uidBase())
                .withIsolation(properties.isolation())
                .withCgroupName(properties.cgroupName());
        return SandboxedExecutor.start(sandbox, config);
    }

    @Bean
    ExecutionService executionService(SandboxedExecutor executor) {
        return new LocalExecutionService(executor);
    }
}
