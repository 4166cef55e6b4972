package io.codingengine.worker.queue;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.execution.StageResult;
import java.util.List;

/**
 * An executor for the work handler's tests about the store, not the sandbox: it runs nothing and
 * answers each run with its input (a test whose expected output is its input passes), in session
 * {@code echo:slot-0}, after calling {@code during}.
 */
record EchoExecutor(Runnable during) implements Executor {

    EchoExecutor() {
        this(() -> {});
    }

    @Override
    public List<RuntimeInfo> runtimes() {
        return List.of();
    }

    @Override
    public int capacity() {
        return 2;
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request) {
        during.run();
        List<StageResult> runs = request.runs().stream()
                .map(run -> new StageResult(run.stdin(), "", run.stdin(), 0, null, null, null, 5, 5, 1 << 20))
                .toList();
        return new ExecutionResult(request.language(), "1", null, runs, "echo:slot-0");
    }
}
