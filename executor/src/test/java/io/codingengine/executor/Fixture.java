package io.codingengine.executor;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One real executor per test JVM (a real sandbox, real compilers), with its data directory in a
 * fresh temporary directory so tests never touch a deployed engine's files.
 */
final class Fixture {

    static final Path DATA_DIR = createDataDir();
    /** Not the default (60000): an engine running on this host (scripts/run-local.sh) has those. */
    static final int UID_BASE = 61000;

    static final int SLOTS = 2;
    static final SandboxedExecutor EXECUTOR = SandboxedExecutor.start(
            SandboxConfig.defaults()
                    .withDataDir(DATA_DIR)
                    .withSlots(SLOTS)
                    .withUidBase(UID_BASE)
                    .withCgroupName("coding-engine-test"),
            ExecutorConfig.defaults());

    private Fixture() {}

    static ExecutionResult run(String language, String source) {
        return run(language, "*", source, "", LimitRequest.DEFAULTS);
    }

    static ExecutionResult run(String language, String version, String source, String stdin, LimitRequest limits) {
        return EXECUTOR.execute(new ExecutionRequest(
                language,
                version,
                List.of(SourceFile.utf8(null, source)),
                Map.of(),
                null,
                limits,
                List.of(new RunInput(stdin, List.of()))));
    }

    private static Path createDataDir() {
        try {
            Path dir = Files.createTempDirectory("ce-test-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
