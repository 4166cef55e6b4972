package io.codingengine.api.config;

import io.codingengine.api.execution.ExecutionService;
import io.codingengine.api.execution.LocalExecutionService;
import io.codingengine.common.audit.AuditLog;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code coding-engine.execution=local}: Piston executes run in this process's own sandbox instead
 * of going through the queue to a worker (a single-process set-up, and the Piston API's tests).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "coding-engine.execution", havingValue = "local")
public class ExecutionConfiguration {

    @Bean
    SandboxedExecutor sandboxedExecutor(ApiSandboxSettings sandbox, ExecutorConfig config) {
        return SandboxedExecutor.start(sandbox.toConfig(), config);
    }

    /** Audited with this process as the worker (the session names the host and slot). */
    @Bean
    ExecutionService executionService(SandboxedExecutor executor, AuditLog audit) {
        return new LocalExecutionService(
                executor,
                audit,
                Clock.systemUTC(),
                "api-" + ProcessHandle.current().pid());
    }
}
