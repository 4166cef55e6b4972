package io.codingengine.api.execution;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.RuntimeInfo;

import java.util.List;

/**
 * What the HTTP layer needs from whatever runs code: the seam between the api and the executor.
 * Today {@link LocalExecutionService} (the sandboxed executor in this process); later an
 * implementation that sends the request through the queue's interactive lane and waits for its
 * result. Implementations are thread-safe and block until the request has run.
 */
public interface ExecutionService {

    /**
     * Compiles once and runs every input of {@code request}.
     *
     * @param caller who asks (a key's subject, or {@code anonymous@<address>}), for the audit log
     *
     * @throws io.codingengine.common.execution.InvalidRequestException for a client mistake the
     *         executor finds (bad file name, bad encoding, too many files); nothing ran
     */
    ExecutionResult execute(ExecutionRequest request, String caller);

    /** The languages and versions that can run, in the order to list them. */
    List<RuntimeInfo> runtimes();
}
