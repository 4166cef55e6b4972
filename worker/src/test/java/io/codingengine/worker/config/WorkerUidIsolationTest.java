package io.codingengine.worker.config;

import io.codingengine.common.execution.Executor;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.Isolation;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker's local sandbox uses UID isolation only when {@code allow-uid-isolation} says so: by
 * default the worker refuses to start rather than judge at that level (docs/sandbox.md, "ISOLATION
 * LEVELS"). The level is forced here ({@code isolation=uid}); {@code auto} reaches it the same way
 * where nothing stronger starts.
 */
class WorkerUidIsolationTest {

    private static Map<String, String> settings() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("coding-engine.worker.data-dir", Files.createTempDirectory("ce-worker-uid-").toString());
        settings.put("coding-engine.worker.slots", "1");
        settings.put("coding-engine.worker.uid-base", "64700");
        settings.put("coding-engine.worker.isolation", "uid");
        settings.put("coding-engine.worker.cgroup-name", "coding-engine-worker-uid-test");
        settings.put("coding-engine.worker.precompiled-headers", "false");
        settings.put("coding-engine.worker.warm-javac", "false");
        settings.put("coding-engine.worker.compile-cache-bytes", "0");
        return settings;
    }

    private static Executor executor(Map<String, String> settings) {
        Binder binder = new Binder(new MapConfigurationPropertySource(settings));
        return new WorkerConfiguration().executor(binder.bindOrCreate("coding-engine.worker", WorkerProperties.class),
                binder.bindOrCreate("coding-engine.worker", WorkerSandboxSettings.class),
                binder.bindOrCreate("coding-engine.worker", WorkerConnectionSettings.class), new StandardEnvironment());
    }

    @Test
    void aWorkerRefusesUidIsolationUnlessAllowed() throws Exception {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> executor(settings()));
        assertTrue(refused.getMessage().contains("UID isolation is not allowed here"), refused.getMessage());

        Map<String, String> allowed = settings();
        allowed.put("coding-engine.worker.allow-uid-isolation", "true");
        try (SandboxedExecutor executor = (SandboxedExecutor) executor(allowed)) {
            assertEquals(Isolation.Level.UID, executor.sandbox().isolation().level());
        }
    }
}
