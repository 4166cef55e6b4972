package io.codingengine.api.execution;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.RuntimeInfo;

import java.util.List;

/**
 * Runs requests in this process, on the sandboxed executor; callers wait for a free slot. A
 * development mode: no worker runs them, so they are not audited.
 */
public final class LocalExecutionService implements ExecutionService {

    private final Executor executor;

    public LocalExecutionService(Executor executor) {
        this.executor = executor;
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, String caller) {
        return executor.execute(request);
    }

    @Override
    public List<RuntimeInfo> runtimes() {
        return executor.runtimes();
    }
}
