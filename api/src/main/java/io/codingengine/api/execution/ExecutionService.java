package io.codingengine.api.execution;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.pipeline.LiveMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the HTTP layer needs from whatever runs code: the seam between the api and the executor.
 * {@link QueueExecutionService} sends it through the queue's interactive lane to a worker;
 * {@link LocalExecutionService} runs the sandboxed executor in this process. Implementations are
 * thread-safe; {@link #execute} blocks until the request has run.
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
     * Starts {@code request} (one run, its stdin empty) as a live run and returns at once: what
     * happens is told to {@code events} in order, from another thread, ending with
     * {@link LiveMessage.Ended} (after {@link LiveMessage.Failed} when it could not run or stopped
     * answering); the client's controls go to the returned consumer, from any thread.
     *
     * @param caller    who asks, for the audit log, as in {@link #execute}
     * @param idleLimit how long the run may go with neither input nor output
     * @param events    must not block
     * @throws io.codingengine.common.execution.InvalidRequestException when it cannot even be queued
     */
    Consumer<LiveMessage.Control> converse(
            ExecutionRequest request, String caller, Duration idleLimit, Consumer<LiveMessage.Event> events);

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

    /**
     * Judges {@code submission} (no problem: its tests and its checker, an interactive or
     * multi-pass problem's output validator, with it) as a worker judges, for work nobody watches
     * as it runs (an import's runs of an interactive or multi-pass package's accepted submissions,
     * which never run alone), waiting as {@link #executeInBackground} does.
     *
     * @param timeLimit   each run's CPU time limit
     * @param memoryBytes each run's memory limit
     * @param outputBytes each run's output limit
     * @throws BusyException when it was not judged by then
     * @throws UnsupportedOperationException when nothing here can judge (no workers)
     */
    default Judgement judgeInBackground(
            Submission submission,
            Duration timeLimit,
            long memoryBytes,
            long outputBytes,
            String caller,
            Instant startBy,
            Instant answerBy) {
        throw new UnsupportedOperationException("judging needs a worker (coding-engine.execution=queue)");
    }

    /** The languages and versions that can run, in the order to list them. */
    List<RuntimeInfo> runtimes();
}
