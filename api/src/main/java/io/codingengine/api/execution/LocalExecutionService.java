package io.codingengine.api.execution;

import io.codingengine.api.web.CorrelationIdFilter;
import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.pipeline.LiveConversation;
import io.codingengine.common.pipeline.LiveMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.MDC;

/**
 * Runs requests in this process, on the sandboxed executor; callers wait for a free slot. Each
 * run is audited as a worker audits the queue's: this process is the worker, a refusal is
 * {@code INVALID}, an engine failure {@code ERROR}; the entry is written before the answer (a
 * store that refuses it is logged, not the client's failure).
 */
public final class LocalExecutionService implements ExecutionService {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalExecutionService.class);

    private final Executor executor;
    private final AuditLog audit;
    private final Clock clock;
    private final String worker;

    public LocalExecutionService(Executor executor, AuditLog audit, Clock clock, String worker) {
        this.executor = executor;
        this.audit = audit;
        this.clock = clock;
        this.worker = worker;
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, String caller) {
        Instant started = clock.instant();
        ExecutionResult result = null;
        String status = "ERROR";
        try {
            result = executor.execute(request);
            status = AuditEntry.executeStatus(result);
            return result;
        } catch (InvalidRequestException e) {
            status = "INVALID";
            throw e;
        } finally {
            record(AuditEntry.execute(
                    UUID.randomUUID().toString(),
                    caller,
                    started,
                    clock.instant(),
                    request,
                    result,
                    status,
                    worker,
                    MDC.get(CorrelationIdFilter.MDC_KEY)));
        }
    }

    /** On a platform thread of its own: the executor blocks on the sandbox's streams while the program runs. */
    @Override
    public Consumer<LiveMessage.Control> converse(
            ExecutionRequest request, String caller, Duration idleLimit, Consumer<LiveMessage.Event> events) {
        LiveConversation conversation = new LiveConversation(events, idleLimit);
        String correlationId = MDC.get(CorrelationIdFilter.MDC_KEY);
        Thread.ofPlatform().name("live-run").daemon().start(() -> {
            Instant started = clock.instant();
            LiveConversation.Outcome outcome = conversation.run(executor, request);
            record(AuditEntry.execute(
                    UUID.randomUUID().toString(),
                    caller,
                    started,
                    clock.instant(),
                    request,
                    outcome.result(),
                    outcome.status(),
                    worker,
                    correlationId));
        });
        return conversation::control;
    }

    /**
     * Runs it now, in this process's sandbox: there is no queue to put it behind other work, so
     * it competes with executes for the slots (a single-process set-up). It is refused once
     * {@code startBy} has passed; the request's own limits bound how long it runs.
     */
    @Override
    public ExecutionResult executeInBackground(
            ExecutionRequest request, String caller, Instant startBy, Instant answerBy) {
        if (clock.instant().isAfter(startBy)) {
            throw new BusyException("no time left to run it", java.time.Duration.ofSeconds(5));
        }
        return execute(request, caller);
    }

    /**
     * Writes the entry without changing the request's outcome: a store outage must not turn a
     * finished run or a client's mistake into a 500. A lost entry is logged whole, as an error.
     */
    private void record(AuditEntry entry) {
        try {
            audit.record(entry);
        } catch (RuntimeException e) {
            LOG.error("audit entry not stored: {}", entry, e);
        }
    }

    @Override
    public List<RuntimeInfo> runtimes() {
        return executor.runtimes();
    }
}
