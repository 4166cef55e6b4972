package io.codingengine.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.Isolation;
import io.codingengine.worker.judge.Judge;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * A worker's local sandbox uses UID isolation only when {@code allow-uid-isolation} says so: by
 * default the worker refuses to start rather than judge at that level (docs/sandbox.md, "ISOLATION
 * LEVELS"). The level is forced here ({@code isolation=uid}); {@code auto} reaches it the same way
 * where nothing stronger starts.
 */
class WorkerUidIsolationTest {

    private static Map<String, String> settings() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put(
                "coding-engine.worker.data-dir",
                Files.createTempDirectory("ce-worker-uid-").toString());
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
        return new WorkerConfiguration()
                .executor(
                        binder.bindOrCreate("coding-engine.worker", WorkerProperties.class),
                        binder.bindOrCreate("coding-engine.worker", WorkerSandboxSettings.class),
                        binder.bindOrCreate("coding-engine.worker", WorkerConnectionSettings.class),
                        new StandardEnvironment());
    }

    @Test
    void aWorkerRefusesUidIsolationUnlessAllowed() throws Exception {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> executor(settings()));
        assertTrue(refused.getMessage().contains("UID isolation is not allowed here"), refused.getMessage());

        Map<String, String> allowed = settings();
        allowed.put("coding-engine.worker.allow-uid-isolation", "true");
        try (SandboxedExecutor executor = (SandboxedExecutor) executor(allowed)) {
            assertEquals(Isolation.Level.UID, executor.sandbox().isolation().level());
            anInteractiveProblemIsJudgedIeWithWhy(executor);
        }
    }

    /**
     * Such a worker runs no interaction (its validator needs a second box, which UID isolation
     * does not give): an interactive problem's submission is IE, and the judgement says why, as a
     * sandbox failure, which the queue judges again before storing the IE (another worker may run it).
     */
    private static void anInteractiveProblemIsJudgedIeWithWhy(SandboxedExecutor executor) {
        CheckerSpec.Custom validator = CheckerSpec.Custom.of("python", "validate.py", "import sys\nsys.exit(42)\n")
                .judging(true, 1);
        Submission submission = new Submission(
                "sub-uid",
                "guess",
                null,
                "alice",
                "python",
                "*",
                List.of(SourceFile.utf8(null, "print(1)")),
                List.of(),
                null,
                Instant.now());
        Judge.Judged judged = new Judge(executor, Clock.systemUTC(), "test-worker")
                .judge(
                        submission,
                        List.of(new TestCase("secret/1", "1\n", "", false)),
                        validator,
                        new Judge.TestLimits(Duration.ofSeconds(1), 128L << 20),
                        0,
                        1);
        Judgement j = judged.judgement();
        assertEquals(Verdict.IE, j.verdict(), j.toString());
        assertTrue(j.compileOutput().contains("not run under UID isolation"), j.compileOutput());
        assertEquals(j.compileOutput(), judged.sandboxFailure());
    }
}
