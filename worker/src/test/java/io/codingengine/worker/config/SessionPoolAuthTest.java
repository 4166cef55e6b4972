package io.codingengine.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import io.codingengine.session.SessionServer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

/**
 * {@code session-pool-auth=none}: docker-compose's worker calls the session container directly,
 * with no pool and no Entra token. The executor bean built from the settings runs code against
 * the real session server that way; with the {@code azure} profile, or an endpoint on Azure, the
 * setting is refused when the worker starts.
 */
class SessionPoolAuthTest {

    private static SandboxedExecutor sandboxed;
    private static SessionServer session;
    private final WorkerConfiguration configuration = new WorkerConfiguration();

    @BeforeAll
    static void start() throws Exception {
        sandboxed = SandboxedExecutor.start(
                SandboxConfig.defaults()
                        .withDataDir(Files.createTempDirectory("ce-pool-auth-"))
                        .withSlots(1)
                        .withUidBase(64300)
                        .withCgroupName("coding-engine-pool-auth"),
                ExecutorConfig.judging());
        session = SessionServer.start(sandboxed, ExecutorConfig.judging().maxSourceBytes(), 0);
    }

    @AfterAll
    static void stop() {
        session.close();
        sandboxed.close();
    }

    /** The executor bean of a worker with these pool settings and one slot. */
    private Executor executor(String endpoint, String auth, Environment environment) {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "coding-engine.worker.session-pool",
                "dynamic-sessions",
                "coding-engine.worker.session-pool-endpoint",
                endpoint,
                "coding-engine.worker.session-pool-auth",
                auth,
                "coding-engine.worker.slots",
                "1")));
        return configuration.executor(
                binder.bindOrCreate("coding-engine.worker", WorkerProperties.class),
                binder.bindOrCreate("coding-engine.worker", WorkerSandboxSettings.class),
                binder.bindOrCreate("coding-engine.worker", WorkerConnectionSettings.class),
                environment);
    }

    @Test
    void withoutATokenTheWorkerRunsCodeInTheComposeSessionContainer() {
        Executor executor = executor("http://127.0.0.1:" + session.port(), "none", new MockEnvironment());
        var result = executor.execute(new ExecutionRequest(
                "python",
                "*",
                List.of(SourceFile.utf8(null, "print(3*4)")),
                Map.of(),
                null,
                null,
                List.of(new RunInput("", List.of()))));
        assertEquals("12\n", result.runs().getFirst().stdout());
    }

    @Test
    void theAzureProfileRefusesIt() {
        MockEnvironment azure = new MockEnvironment();
        azure.setActiveProfiles("azure");
        var e = assertThrows(IllegalArgumentException.class, () -> executor("http://session:8080", "none", azure));
        assertTrue(
                e.getMessage().contains("session-pool-auth=none")
                        && e.getMessage().contains("azure profile"),
                e.getMessage());
    }

    @Test
    void aPoolEndpointOnAzureRefusesIt() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> executor(
                        "https://codeengsessions.kindtree-1234.eastus2.azurecontainerapps.io",
                        "none",
                        new MockEnvironment()));
        assertTrue(e.getMessage().contains("Microsoft Entra token"), e.getMessage());
    }

    @Test
    void anUnknownValueIsRefused() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> executor("http://session:8080", "anonymous", new MockEnvironment()));
        assertTrue(e.getMessage().contains("entra or none"), e.getMessage());
    }
}
