package io.codingengine.worker.queue;

import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.queue.Delivery;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the kinds of work a {@link WorkHandler} does share, kept in one place so that the
 * synchronous runs ({@link SynchronousRuns}), the judgings ({@link Judgings}) and the live runs
 * ({@link LiveRuns}) keep a message and write an audit entry the same way: the renewal of a
 * delivery's lock while the worker holds it ({@link #renewing}), the writing of an audit entry with the
 * store's patience ({@link #record}), the audit entry of a judged submission ({@link #entryOf}),
 * and where a finished delivery's last writes and completion happen ({@link #settle}).
 */
final class WorkSupport {

    private static final Logger LOG = LoggerFactory.getLogger(WorkSupport.class);

    private final AuditLog audit;
    private final Duration lockRenewal;
    private final Settling settling;
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("lock-renewal").factory());

    /**
     * @param lockRenewal how often a long run renews its message's lock
     * @param settling    where finished deliveries are settled
     */
    WorkSupport(AuditLog audit, Duration lockRenewal, Settling settling) {
        this.audit = audit;
        this.lockRenewal = lockRenewal;
        this.settling = settling;
    }

    /**
     * Runs {@code settlement}, the writes that end {@code delivery}'s work and its completion,
     * inline or off the slot's thread ({@link Settling}).
     */
    void settle(Delivery delivery, Runnable settlement) {
        if (delivery instanceof RenewedDelivery renewed) {
            renewed.handedOver();
        }
        settling.settle(delivery, settlement);
    }

    /** {@code delivery}, its lock renewed until it is settled ({@link RenewedDelivery}). */
    RenewedDelivery renewing(Delivery delivery) {
        return RenewedDelivery.renewing(delivery, renewer, lockRenewal);
    }

    /** Runs {@code work}, running {@code task} on {@code scheduler} every {@code period} until it ends. */
    static <T> T whileRepeating(ScheduledExecutorService scheduler, Duration period, Runnable task, Supplier<T> work) {
        ScheduledFuture<?> repeating =
                scheduler.scheduleAtFixedRate(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return work.get();
        } finally {
            repeating.cancel(false);
        }
    }

    /** Writes {@code entry}, waiting for an audit log that is down ({@link Retry#STORE_PATIENCE}). */
    void record(AuditEntry entry) {
        Retry.call("audit " + entry.submissionId(), Retry.STORE_PATIENCE, () -> {
            audit.record(entry);
            return null;
        });
    }

    /**
     * Writes {@code entry} if its round has none, waiting for an audit log that is down; whether
     * it was written.
     */
    boolean recordIfAbsent(AuditEntry entry) {
        return Retry.call("audit " + entry.submissionId(), Retry.STORE_PATIENCE, () -> audit.recordIfAbsent(entry));
    }

    /** The audit entry of a judged round, or ({@code EXECUTE}) of an import's calibration run. */
    static AuditEntry entryOf(
            AuditEntry.Kind kind,
            Submission s,
            Judgement judgement,
            String session,
            String correlationId,
            String problemType) {
        return new AuditEntry(
                kind,
                s.id(),
                judgement.round(),
                s.participant(),
                s.createdAt(),
                judgement.judgedAt(),
                s.language(),
                AuditEntry.sourceSha256(s.files()),
                s.problemId(),
                judgement.verdict().name(),
                judgement.tests().stream().mapToLong(TestResult::timeMs).max().orElse(0),
                judgement.tests().stream()
                        .mapToLong(TestResult::memoryBytes)
                        .max()
                        .orElse(0),
                judgement.worker(),
                session,
                correlationId,
                problemType);
    }
}
