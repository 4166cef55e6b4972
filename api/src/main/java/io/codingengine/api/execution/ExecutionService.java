package io.codingengine.api.execution;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.RuntimeInfo;

import java.time.Instant;
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

    /**
     * As {@link #execute}, for work nobody watches as it runs (an import's runs of its accepted
     * submissions): it waits for interactive work and contest judging (the queue's regrade lane),
     * is not started after {@code startBy}, and is waited for until {@code answerBy}. With
     * {@code startBy} no later than {@code answerBy} less the request's worst case, no run goes on
     * after its caller stopped waiting.
     *
     * @throws BusyException when it was not run by then
     */
    ExecutionResult executeInBackground(ExecutionRequest request, String caller, Instant startBy, Instant answerBy);

    /** The languages and versions that can run, in the order to list them. */
    List<RuntimeInfo> runtimes();
}
