package io.codingengine.worker.queue;

import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.ExecutorBusyException;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.json.Json;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.pipeline.ReplyChannel;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.queue.Delivery;
import io.codingengine.common.queue.Lane;
import io.codingengine.worker.judge.Judge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs an api process waits for, apart from the judgings whose verdicts go to the store: a
 * Piston execute or contest Run ({@link WorkItem.Execute}) and an import's time-limit calibration
 * ({@link WorkItem.Calibrate}). Kept together because they are settled alike: the answer goes to
 * the waiting api on the reply channel, the run is never given back to the queue for a retry (the
 * caller sees the failure and may ask again), and an {@code EXECUTE} audit entry is written after
 * the reply, so the caller does not wait for it, and before the message is completed, so a crash
 * in between brings the message back and the run is audited.
 */
final class SynchronousRuns {

    private static final Logger LOG = LoggerFactory.getLogger(SynchronousRuns.class);
    /**
     * What a calibration judging keeps of its time for what its budget does not count: the
     * compiles of the submission and of the validator (10 s each at most) and the reply.
     */
    static final Duration CALIBRATION_MARGIN = Duration.ofSeconds(25);

    private final Executor executor;
    private final Judge.Settings judgingSettings;
    private final ReplyChannel replies;
    private final JudgingMetrics metrics;
    private final Clock clock;
    private final String workerId;
    private final SandboxWatch sandbox;
    private final WorkSupport support;

    /** @param judgingSettings how a calibration judges (its budget set from the item's deadline) */
    SynchronousRuns(
            Executor executor,
            Judge.Settings judgingSettings,
            ReplyChannel replies,
            JudgingMetrics metrics,
            Clock clock,
            String workerId,
            SandboxWatch sandbox,
            WorkSupport support) {
        this.executor = executor;
        this.judgingSettings = judgingSettings;
        this.replies = replies;
        this.metrics = metrics;
        this.clock = clock;
        this.workerId = workerId;
        this.sandbox = sandbox;
        this.support = support;
    }

    /**
     * Whether the run goes ahead, which it does (its time in the queue logged as {@code doing} it)
     * unless this is the last delivery of a run whose earlier ones ended without a result: that
     * one tells the waiting api, dead-letters the message, and does not. Workers crashed on it, or
     * lost the broker while holding it (no start is stored for a synchronous run to tell them apart).
     */
    private boolean goesAhead(
            Delivery delivery, String replyTo, String requestId, Instant enqueuedAt, String doing, boolean lastChance) {
        if (lastChance) {
            String reason = "delivered " + (delivery.deliveryCount() - 1)
                    + " times without a result: workers crashed on it or lost the broker";
            replies.reply(replyTo, requestId, Json.write(Map.of("internalError", "the run was " + reason)));
            delivery.deadLetter(reason);
            return false;
        }
        metrics.queued(
                delivery.lane().name().toLowerCase(Locale.ROOT),
                doing + " " + requestId,
                Duration.between(enqueuedAt, clock.instant()));
        return true;
    }

    /**
     * A Piston execute, a contest Run, or an import's run of a plain problem's accepted submission:
     * the {@link ExecutionResult} is the reply.
     */
    void execute(Delivery delivery, WorkItem.Execute item, boolean lastChance) {
        if (clock.instant().isAfter(item.deadline())) {
            if (delivery.deliveryCount() == 1) {
                delivery.complete(); // nobody waits for it any more
                return;
            }
            // An earlier delivery may have run it and answered, then died before its audit entry
            // (or none ran it: a broker that froze counts deliveries nobody received): an entry
            // saying that it is not known, unless an earlier delivery wrote its own.
            AuditEntry unknown = AuditEntry.execute(
                            item.requestId(),
                            item.caller(),
                            item.enqueuedAt(),
                            clock.instant(),
                            item.request(),
                            null,
                            AuditEntry.UNKNOWN_OUTCOME,
                            workerId,
                            item.correlationId())
                    .withSession(AuditEntry.UNKNOWN_SESSION);
            support.settle(delivery, () -> {
                support.recordIfAbsent(unknown);
                delivery.complete();
            });
            return;
        }
        if (!goesAhead(delivery, item.replyTo(), item.requestId(), item.enqueuedAt(), "executing", lastChance)) {
            return;
        }
        // A person waits for an interactive run: it may use the capacity kept for that. Work on the
        // other lanes (an import's runs of its accepted submissions) takes a judging slot's.
        Executor runner = delivery.lane() == Lane.INTERACTIVE ? executor.interactive() : executor;
        String body;
        ExecutionResult result = null;
        String status;
        try {
            result = runner.execute(item.request());
            String sandboxFailure = result.sandboxFailure();
            if (sandboxFailure != null && clock.instant().isBefore(item.deadline())) {
                // The sandbox failed, not the program: once more before the client is answered
                // (the slot's relay is replaced by then); no new work until a probe passes.
                LOG.warn("sandbox failure executing {}: {}; running it again", item.requestId(), sandboxFailure);
                metrics.sandboxFailure("execute");
                sandbox.failed(sandboxFailure);
                result = runner.execute(item.request());
                if (result.sandboxFailure() != null) {
                    sandbox.failed(result.sandboxFailure());
                }
            }
            metrics.executed(item.request().language(), result);
            body = Json.write(result);
            status = AuditEntry.executeStatus(result);
        } catch (InvalidRequestException e) {
            body = Json.write(Map.of("error", e.getMessage()));
            status = "INVALID";
        } catch (ExecutorBusyException e) {
            // The client waits for this answer; it may ask again. Nothing ran, nothing failed.
            LOG.warn("execute {}: the executor had no room: {}", item.requestId(), e.getMessage());
            metrics.backPressure("execute");
            body = Json.write(Map.of("internalError", "no room to run this now, try again: " + e.getMessage()));
            status = "BUSY";
        } catch (RuntimeException e) {
            // A synchronous run is not retried: the client sees the failure and may ask again.
            LOG.error("execute {} failed", item.requestId(), e);
            metrics.sandboxFailure("execute");
            body = Json.write(Map.of("internalError", String.valueOf(e.getMessage())));
            status = "ERROR";
        }
        replies.reply(item.replyTo(), item.requestId(), body);
        metrics.ran(item.request().language(), status);
        AuditEntry entry = AuditEntry.execute(
                item.requestId(),
                item.caller(),
                item.enqueuedAt(),
                clock.instant(),
                item.request(),
                result,
                status,
                workerId,
                item.correlationId());
        // After the reply, so the client does not wait for it; before completing, so a crash in
        // between brings the message back (the rerun's reply finds nobody waiting) and it is audited.
        // The first entry written stays: a run again after a worker died, or by a worker that was
        // stopped past its lock while another ran it, must not replace the entry of the run whose
        // result the caller got.
        support.settle(delivery, () -> {
            support.recordIfAbsent(entry);
            delivery.complete();
        });
    }

    /**
     * An import's run of an accepted submission with its problem's validator: judged as a
     * submission with inline tests is (a judge of this worker's, the interaction path), with a
     * time budget that ends {@link #CALIBRATION_MARGIN} before the import stops waiting (the
     * judge overruns its budget by one test's worst case at most); tests the budget leaves out
     * are TLE "not run". The judgement is the reply. Audited as an execute of the importer's
     * (the submission's id), with its problem type.
     */
    void calibrate(Delivery delivery, WorkItem.Calibrate item, boolean lastChance) {
        Duration budget = Duration.between(clock.instant(), item.deadline()).minus(CALIBRATION_MARGIN);
        if (budget.toMillis() <= 0) {
            delivery.complete(); // too late for the import, which stops waiting at the deadline
            return;
        }
        if (!goesAhead(delivery, item.replyTo(), item.requestId(), item.enqueuedAt(), "calibrating", lastChance)) {
            return;
        }
        Submission s = item.submission();
        String body;
        Judgement judgement;
        String session = AuditEntry.NOWHERE;
        try {
            Judge calibrating = new Judge(executor, clock, workerId, judgingSettings.withJudgingBudget(budget));
            Judge.Judged judged = calibrating.judge(
                    s,
                    s.tests(),
                    s.checker(),
                    new Judge.TestLimits(item.timeLimit(), item.memoryBytes(), item.outputBytes()),
                    0,
                    1);
            if (judged.sandboxFailure() != null) {
                sandbox.failed(judged.sandboxFailure());
            }
            judgement = judged.judgement();
            session = AuditEntry.sessionOf(judged.execution());
            body = Json.write(judgement);
        } catch (RuntimeException e) {
            // The import may ask again (a busy executor, a failure): nothing is retried here.
            LOG.error("calibration run {} failed", item.requestId(), e);
            judgement = new Judgement(
                    Verdict.IE, 0, String.valueOf(e.getMessage()), List.of(), clock.instant(), workerId, 0, 1);
            body = Json.write(Map.of("internalError", String.valueOf(e.getMessage())));
        }
        replies.reply(item.replyTo(), item.requestId(), body);
        AuditEntry entry = WorkSupport.entryOf(
                AuditEntry.Kind.EXECUTE,
                s,
                judgement,
                session,
                item.correlationId(),
                CheckerSpec.problemType(s.checker()));
        support.settle(delivery, () -> {
            support.record(entry);
            delivery.complete();
        });
    }
}
