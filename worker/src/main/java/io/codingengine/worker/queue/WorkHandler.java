package io.codingengine.worker.queue;

import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.ExecutorBusyException;
import io.codingengine.common.pipeline.ReplyChannel;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.queue.Delivery;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.worker.judge.Judge;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.MDC;

/**
 * Does what one message asks, by handing it to the class for its kind: a synchronous run, reply to
 * the waiting api ({@link SynchronousRuns}: an execute or a calibration), a live run
 * ({@link LiveRuns}) or the judging of a stored submission, verdict to the store ({@link Judgings}).
 * What they share (the lock renewal, the audit log) is {@link WorkSupport}, and the sandbox's
 * health ({@link SandboxWatch}) is one for all of them. The delivery is settled in every case
 * (after a finished run or judging, off the slot's thread when so set: {@link Settling}):
 * complete when the work is done or no longer wanted, dead-letter when it can never succeed,
 * abandon (it comes back after a delay) when the sandbox failed under a judging that a later
 * attempt may finish, and nothing (the lock expires, the message comes back) when this process
 * dies mid-way. When the executor has no room ({@link ExecutorBusyException}: a full or
 * unreachable session pool) a judging waits in place, its lock renewed, and starts again:
 * back-pressure never costs a delivery.
 */
public final class WorkHandler {

    /**
     * How the handler settles and watches its work (defaults in {@code WorkerProperties}).
     *
     * @param workerId             this worker's name in judgements, audit entries and logs
     * @param maxDeliveryCount     deliveries after which a message is poison
     * @param lockRenewal          how often a long judging renews its message's lock
     * @param heartbeat            how often a judging tells the store its attempt is alive
     *                             ({@code SubmissionStore.heartbeat}), so the sweeper leaves it alone
     * @param sandboxProbeInterval the pause between two probes of a failing sandbox
     * @param crashOnParticipant   a test aid: halt the JVM when judging this participant's
     *                             submission; empty or null: never
     * @param crashAfterVerdictOf  a test aid: halt the JVM between storing the verdict of this
     *                             participant's submission and writing its audit entry; empty or null: never
     * @param judging              how a judging uses the executor
     * @param settleOffSlots       whether a slot runs its next message while its last one's verdict,
     *                             audit entry and completion are written ({@link Settling}); false:
     *                             it writes them before it takes more
     */
    public record Settings(
            String workerId,
            int maxDeliveryCount,
            Duration lockRenewal,
            Duration heartbeat,
            Duration sandboxProbeInterval,
            String crashOnParticipant,
            String crashAfterVerdictOf,
            Judge.Settings judging,
            boolean settleOffSlots) {

        /**
         * What the tests' handlers use: the worker's default heartbeat and probe interval, no fault
         * injection, and each delivery settled before {@code handle} returns.
         */
        public static Settings of(String workerId, int maxDeliveryCount, Duration lockRenewal) {
            return new Settings(
                    workerId,
                    maxDeliveryCount,
                    lockRenewal,
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(5),
                    null,
                    null,
                    Judge.Settings.DEFAULTS,
                    false);
        }
    }

    private final JudgingMetrics metrics;
    private final int maxDeliveryCount;
    private final SandboxWatch sandbox;
    private final SynchronousRuns runs;
    private final LiveRuns live;
    private final Judgings judgings;
    private final Settling settling;
    private final WorkSupport support;

    public WorkHandler(
            Executor executor,
            SubmissionStore submissions,
            ProblemStore problems,
            ReplyChannel replies,
            AuditLog audit,
            JudgingMetrics metrics,
            Clock clock,
            String workerId,
            int maxDeliveryCount,
            Duration lockRenewal) {
        this(
                executor,
                submissions,
                problems,
                replies,
                audit,
                metrics,
                clock,
                Settings.of(workerId, maxDeliveryCount, lockRenewal));
    }

    public WorkHandler(
            Executor executor,
            SubmissionStore submissions,
            ProblemStore problems,
            ReplyChannel replies,
            AuditLog audit,
            JudgingMetrics metrics,
            Clock clock,
            Settings settings) {
        this.metrics = metrics;
        this.maxDeliveryCount = settings.maxDeliveryCount();
        this.sandbox = new SandboxWatch(executor::probe, settings.sandboxProbeInterval(), clock);
        this.settling = new Settling(settings.settleOffSlots());
        this.support = new WorkSupport(audit, settings.lockRenewal(), settling);
        this.runs = new SynchronousRuns(
                executor, settings.judging(), replies, metrics, clock, settings.workerId(), sandbox, support);
        this.live = new LiveRuns(executor, replies, metrics, clock, settings.workerId(), support::record);
        this.judgings = new Judgings(executor, submissions, problems, metrics, clock, settings, sandbox, support);
    }

    /** Whether this handler's sandbox works: the consumer's slots take no work while it fails. */
    public SandboxWatch sandbox() {
        return sandbox;
    }

    /**
     * Waits up to {@code max} for the deliveries still being settled off the slots' threads; for
     * a consumer whose slots have stopped.
     */
    public void drain(Duration max) {
        settling.drain(max);
    }

    public void handle(Delivery received) {
        RenewedDelivery delivery = support.renewing(received);
        try {
            handle(delivery);
        } finally {
            if (!delivery.accountedFor()) {
                delivery.release(); // its caller gives the message back
            }
        }
    }

    private void handle(RenewedDelivery delivery) {
        WorkItem item;
        try {
            item = WorkItem.fromJson(delivery.body());
        } catch (RuntimeException e) {
            delivery.deadLetter("malformed message: " + e.getMessage());
            return;
        }
        // Earlier deliveries of a synchronous run ended without a result: workers died on it or
        // lost the broker. The last one does not run it again; its deadline bounds the deliveries
        // too. A judging counts its starts instead (Judgings).
        boolean lastChance = delivery.deliveryCount() >= maxDeliveryCount;
        metrics.started();
        String correlationId = switch (item) {
            case WorkItem.Execute execute -> execute.correlationId();
            case WorkItem.Converse converse -> converse.correlationId();
            case WorkItem.Judge j -> j.correlationId();
            case WorkItem.Calibrate c -> c.correlationId();
        };
        if (correlationId != null) {
            MDC.put("correlationId", correlationId); // a session pool sends it on to the session
        }
        try {
            switch (item) {
                case WorkItem.Execute execute -> runs.execute(delivery, execute, lastChance);
                case WorkItem.Converse converse -> live.converse(delivery, converse);
                case WorkItem.Judge j -> judgings.judge(delivery, j);
                case WorkItem.Calibrate c -> runs.calibrate(delivery, c, lastChance);
            }
        } finally {
            MDC.remove("correlationId");
            metrics.finished();
        }
    }
}
