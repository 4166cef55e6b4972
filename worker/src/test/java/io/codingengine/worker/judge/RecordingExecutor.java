package io.codingengine.worker.judge;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.InteractionRequest;
import io.codingengine.common.execution.InteractionResult;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.RuntimeInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A real executor, noting the input of every run and every interaction's test it was asked for. */
final class RecordingExecutor implements Executor {

    private final Executor real;
    /** The inputs asked for, in the order asked. */
    final List<String> inputs = Collections.synchronizedList(new ArrayList<>());

    RecordingExecutor(Executor real) {
        this.real = real;
    }

    @Override
    public List<RuntimeInfo> runtimes() {
        return real.runtimes();
    }

    @Override
    public int capacity() {
        return real.capacity();
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request) {
        request.runs().stream().map(RunInput::stdin).forEach(inputs::add);
        return real.execute(request);
    }

    @Override
    public InteractionResult interact(InteractionRequest request) {
        request.tests().stream().map(InteractionRequest.Test::input).forEach(inputs::add);
        return real.interact(request);
    }
}
