package io.codingengine.worker.queue;

import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.ExecutorBusyException;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Grading;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.problem.Problem;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.queue.Delivery;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.MessageLockLostException;
import io.codingengine.common.queue.QueueException;
import io.codingengine.common.store.SubmissionRecord;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.common.store.UpdateOutcome;
import io.codingengine.worker.judge.Judge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges stored submissions ({@link WorkItem.Judge}), one round at a time, the verdict going to
 * the store: reads the record and the task (its problem's tests, checker and limits, or its own),
 * marks the round running, judges it while telling the store it is alive and renewing the
 * message's lock, stores the verdict and then the round's audit entry. Apart from the synchronous
 * runs because nobody waits on a reply channel and a delivery may be given back: a judging the
 * sandbox failed under is judged again after a delay, one the executor had no room for waits in
 * place, a round found judged already only has its audit entry written if it is missing, and the
 * last delivery (or a deleted problem) stores an IE and dead-letters the message.
 */
final class Judgings {

    private static final Logger LOG = LoggerFactory.getLogger(Judgings.class);
    /** The longest wait between two starts of a judging the executor had no room for. */
    private static final Duration MAX_BUSY_WAIT = Duration.ofSeconds(30);
    /** The first wait of a judging given back after a sandbox failure; it doubles with each delivery. */
    private static final Duration SANDBOX_RETRY_DELAY = Duration.ofSeconds(5);

    private static final Duration MAX_SANDBOX_RETRY_DELAY = Duration.ofSeconds(60);

    private final Judge judge;
    /** For submissions on the interactive lane (a person waits): the executor's kept capacity first. */
    private final Judge interactiveJudge;

    private final SubmissionStore submissions;
    private final ProblemStore problems;
    private final JudgingMetrics metrics;
    private final Clock clock;
    private final String workerId;
    private final int maxDeliveryCount;
    private final Duration heartbeat;
    private final SandboxWatch sandbox;
    private final WorkSupport support;
    /** Test aids (WorkerProperties.FaultInjection): halt when judging this participant, or after its verdict; null: never. */
    private final String crashOnParticipant;

    private final String crashAfterVerdictOf;
    /** Apart from the renewals: a heartbeat waiting for a store that is down must not delay a lock's renewal. */
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("judging-heartbeat").factory());

    Judgings(
            Executor executor,
            SubmissionStore submissions,
            ProblemStore problems,
            JudgingMetrics metrics,
            Clock clock,
            WorkHandler.Settings settings,
            SandboxWatch sandbox,
            WorkSupport support) {
        this.judge = new Judge(executor, clock, settings.workerId(), settings.judging());
        this.interactiveJudge = new Judge(executor.interactive(), clock, settings.workerId(), settings.judging());
        this.submissions = submissions;
        this.problems = problems;
        this.metrics = metrics;
        this.clock = clock;
        this.workerId = settings.workerId();
        this.maxDeliveryCount = settings.maxDeliveryCount();
        this.heartbeat = settings.heartbeat();
        this.sandbox = sandbox;
        this.support = support;
        this.crashOnParticipant = blankToNull(settings.crashOnParticipant());
        this.crashAfterVerdictOf = blankToNull(settings.crashAfterVerdictOf());
    }

    private static String blankToNull(String participant) {
        return participant == null || participant.isBlank() ? null : participant;
    }

    /**
     * Judges the item's round and settles its delivery. A round that this message had started
     * {@code maxDeliveryCount - 1} times without a verdict is not run again but closed as IE.
     * Starts count, not the broker's deliveries: a broker that froze pushes waiting messages into
     * consumers it then drops on each of the workers' reconnections, a delivery counted each time
     * though no worker started the work. A start is the store's: the attempt a worker marked
     * running, which the next one counts on from.
     */
    void judge(Delivery delivery, WorkItem.Judge item) {
        String id = item.submissionId();
        Optional<SubmissionRecord> found = Retry.call("read " + id, Retry.STORE_PATIENCE, () -> submissions.get(id));
        if (found.isEmpty()) {
            delivery.deadLetter("no submission " + id);
            return;
        }
        SubmissionRecord record = found.get();
        if (record.round() > item.round()
                || record.round() == item.round() && record.status() == SubmissionStatus.DONE) {
            auditIfAbsent(record, item); // judged already, or a regrade superseded this round
            delivery.complete();
            return;
        }
        // A message the sweeper sent again counts on from the attempt it found running.
        int started = Math.max(item.priorAttempts(), record.round() == item.round() ? record.attempt() : 0);
        int attempt = started + 1;
        int startsBefore = started - item.priorAttempts(); // this message's, each ended without a verdict
        if (startsBefore >= maxDeliveryCount - 1) {
            String reason = "the submission was started " + startsBefore
                    + " times without a verdict: it crashed a worker, its sandbox failed, or its verdict could not be"
                    + " stored";
            complete(
                    record,
                    item,
                    new Judgement(Verdict.IE, 0, reason, List.of(), clock.instant(), workerId, item.round(), attempt),
                    AuditEntry.NOWHERE,
                    problemTypeOf(record.submission()));
            delivery.deadLetter(reason);
            return;
        }
        Task task;
        try {
            task = task(record);
        } catch (MissingProblemException e) {
            complete(
                    record,
                    item,
                    new Judgement(
                            Verdict.IE, 0, e.getMessage(), List.of(), clock.instant(), workerId, item.round(), attempt),
                    AuditEntry.NOWHERE,
                    problemTypeOf(record.submission()));
            delivery.deadLetter(e.getMessage());
            return;
        }
        requireLock(delivery); // a worker that was stopped past its lock finds out here, before the run
        UpdateOutcome running = Retry.call(
                "mark " + id + " running",
                Retry.STORE_PATIENCE,
                () -> submissions.markRunning(
                        id, item.round(), attempt, task.tests().size()));
        if (running == UpdateOutcome.ALREADY_DONE || running == UpdateOutcome.STALE) {
            if (running == UpdateOutcome.ALREADY_DONE) {
                Retry.call("read " + id, Retry.STORE_PATIENCE, () -> submissions.get(id))
                        .ifPresent(now -> auditIfAbsent(now, item));
            }
            delivery.complete();
            return;
        }
        Instant start = clock.instant();
        Duration waited = Duration.between(
                item.round() == 0 ? record.submission().createdAt() : Instant.ofEpochMilli(item.round()),
                start); // a regrade's round is its start time
        metrics.queued(
                item.round() == 0 ? "contest" : "regrade",
                "judging " + id + " round " + item.round() + " attempt " + attempt,
                waited);
        if (crashOnParticipant != null
                && crashOnParticipant.equals(record.submission().participant())) {
            LOG.error("fault injection: halting while judging {} of participant {}", id, crashOnParticipant);
            Runtime.getRuntime().halt(70);
        }
        Judge judging = delivery.lane() == Lane.INTERACTIVE ? interactiveJudge : judge;
        Judge.Judged judged = whileAlive(
                id,
                item.round(),
                attempt,
                () -> judgeWaitingForRoom(
                        judging,
                        record.submission(),
                        task,
                        item.allTests(),
                        item.firstRejectionEnds(),
                        item.round(),
                        attempt));
        Judgement judgement = judged.judgement();
        String sandboxFailure = judged.sandboxFailure();
        if (sandboxFailure != null) {
            // This worker takes nothing more until its sandbox passes a probe: the retry below goes
            // to another worker, or waits until this one works again.
            sandbox.failed(sandboxFailure);
        }
        if (sandboxFailure != null && startsBefore + 2 < maxDeliveryCount) {
            // The sandbox failed, not the program: judged again (by whichever worker takes it)
            // rather than an IE for the candidate; the last attempt that runs stores the IE.
            Duration delay = sandboxRetryDelay(startsBefore + 1);
            LOG.warn(
                    "sandbox failure judging {} round {} attempt {}: {}; it will be judged again in {} s",
                    id,
                    item.round(),
                    attempt,
                    sandboxFailure,
                    delay.toSeconds());
            metrics.sandboxFailure("judge");
            delivery.abandon(delay);
            return;
        }
        String problemType = CheckerSpec.problemType(task.checker());
        metrics.judged(
                record.submission().language(), problemType, judgement, Duration.between(start, clock.instant()));
        if (judged.execution() != null) {
            metrics.executed(record.submission().language(), judged.execution());
        }
        String session = AuditEntry.sessionOf(judged.execution());
        support.settle(delivery, () -> {
            // A worker stopped past its lock while judging (its message went to another) must not
            // store what it judged: the judging that holds the message does.
            requireLock(delivery);
            complete(record, item, judgement, session, problemType);
            delivery.complete();
        });
    }

    /**
     * Renews the lock, which fails once it is gone (this worker was stopped past it, and the
     * message went to another); a renewal that fails otherwise (the broker unreachable for a
     * moment) says nothing about the lock, and the judging goes on as between two renewals.
     */
    private static void requireLock(Delivery delivery) {
        try {
            delivery.renewLock();
        } catch (MessageLockLostException lost) {
            throw lost;
        } catch (QueueException unreachable) {
            LOG.warn("cannot renew the lock of {} now, going on: {}", delivery.messageId(), unreachable.toString());
        }
    }

    /**
     * 5, 10, 20, 40 s, then a minute, after the message's first, second, ... start: long enough
     * for a sandbox that fails for a while (a host under memory pressure, a broken mount) to pass
     * its probe or for another worker to take the message, before the starts run out.
     */
    static Duration sandboxRetryDelay(int starts) {
        Duration delay = SANDBOX_RETRY_DELAY.multipliedBy(1L << Math.min(10, Math.max(0, starts - 1)));
        return delay.compareTo(MAX_SANDBOX_RETRY_DELAY) > 0 ? MAX_SANDBOX_RETRY_DELAY : delay;
    }

    /**
     * Runs {@code work}, telling the store every {@code heartbeat} that this attempt is alive. A
     * failed heartbeat is only logged: the judging goes on, and at worst the sweeper sends the
     * round again, whose first judgement wins.
     */
    private <T> T whileAlive(String id, long round, int attempt, Supplier<T> work) {
        return WorkSupport.whileRepeating(
                heartbeats,
                heartbeat,
                () -> {
                    try {
                        UpdateOutcome beat = submissions.heartbeat(id, round, attempt);
                        if (beat != UpdateOutcome.APPLIED) {
                            LOG.info("heartbeat of {} round {} attempt {}: {}", id, round, attempt, beat);
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("heartbeat of {} round {} attempt {} failed: {}", id, round, attempt, e.toString());
                    }
                },
                work);
    }

    /**
     * Judges, and starts again after a wait whenever the executor had no room: the message's lock
     * is renewed meanwhile ({@link RenewedDelivery}), so it is neither given back nor counted again.
     */
    private Judge.Judged judgeWaitingForRoom(
            Judge using,
            Submission submission,
            Task task,
            boolean allTests,
            boolean firstRejectionEnds,
            long round,
            int attempt) {
        Duration wait = Duration.ofSeconds(1);
        while (true) {
            try {
                return using.judge(
                        submission,
                        task.tests(),
                        task.checker(),
                        task.limits(),
                        task.grading(),
                        allTests,
                        firstRejectionEnds,
                        round,
                        attempt);
            } catch (ExecutorBusyException e) {
                metrics.backPressure("judge");
                LOG.warn(
                        "judging {} round {} attempt {} waits {} ms for room in the executor (the delivery is kept): {}",
                        submission.id(),
                        round,
                        attempt,
                        wait.toMillis(),
                        e.getMessage());
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = wait.multipliedBy(2).compareTo(MAX_BUSY_WAIT) > 0 ? MAX_BUSY_WAIT : wait.multipliedBy(2);
            }
        }
    }

    /**
     * Stores the verdict and, when it is the one stored, writes the round's audit entry. The store
     * answers {@code APPLIED} then; but when a write of this verdict was applied and its response
     * lost, calling again (here, or the SDK sending it again) finds the round judged by it
     * ({@code ALREADY_DONE}), or regraded since with it in the history ({@code STALE}). Recording
     * the entry again is safe: it replaces the round's entry.
     */
    private void complete(
            SubmissionRecord record, WorkItem.Judge item, Judgement judgement, String session, String problemType) {
        String id = record.submission().id();
        UpdateOutcome outcome = Retry.call(
                "store the verdict of " + id, Retry.STORE_PATIENCE, () -> submissions.complete(id, judgement));
        boolean stored = outcome == UpdateOutcome.APPLIED
                || (outcome == UpdateOutcome.ALREADY_DONE || outcome == UpdateOutcome.STALE) && isStored(id, judgement);
        if (outcome == UpdateOutcome.ALREADY_DONE && !stored) {
            LOG.info(
                    "{} round {} was judged by another delivery first; this verdict is dropped", id, judgement.round());
        } else if (stored) {
            // Every stored verdict, IE ones that never ran included: the failures alert
            // (infra/monitoring.bicep) counts the IE lines.
            LOG.info(
                    "judged {} round {}: {} ({} tests)",
                    id,
                    judgement.round(),
                    judgement.verdict(),
                    judgement.tests().size());
            if (crashAfterVerdictOf != null
                    && crashAfterVerdictOf.equals(record.submission().participant())) {
                LOG.error("fault injection: halting between the verdict and the audit entry of {}", id);
                Runtime.getRuntime().halt(70);
            }
            support.record(entryOf(record.submission(), judgement, session, item.correlationId(), problemType));
        }
    }

    /**
     * The round is judged when its message comes (again): a worker stored the verdict and died
     * before its audit entry, or before it completed the message. The entry is written here if
     * the round has none, from the stored judgement; where the code ran is not stored with it, so
     * its session is {@value AuditEntry#UNKNOWN_SESSION}. An entry the judging worker wrote stays.
     */
    private void auditIfAbsent(SubmissionRecord record, WorkItem.Judge item) {
        Judgement judged = record.round() == item.round()
                ? record.judgement()
                : record.history().stream()
                        .filter(j -> j.round() == item.round())
                        .findFirst()
                        .orElse(null);
        if (judged == null) {
            return; // a regrade replaced the round before it was judged: there is nothing to audit
        }
        AuditEntry entry = entryOf(
                record.submission(),
                judged,
                AuditEntry.UNKNOWN_SESSION,
                item.correlationId(),
                problemTypeOf(record.submission()));
        if (support.recordIfAbsent(entry)) {
            LOG.warn(
                    "audited {} round {} for {}, which stored the verdict without its audit entry",
                    entry.submissionId(),
                    entry.round(),
                    judged.worker());
        }
    }

    /**
     * What kind of problem {@code s} is judged as ({@link CheckerSpec#problemType}), from its
     * inline checker or its problem's summary; {@code null} when its problem is gone.
     */
    private String problemTypeOf(Submission s) {
        if (s.problemId() == null) {
            return CheckerSpec.problemType(s.checker() != null ? s.checker() : CheckerSpec.DEFAULT);
        }
        return Retry.call("read problem " + s.problemId(), Retry.STORE_PATIENCE, () -> problems.get(s.problemId()))
                .map(p -> switch (p.checker()) {
                    case "INTERACTIVE" -> CheckerSpec.INTERACTIVE;
                    case "MULTI_PASS" -> CheckerSpec.MULTI_PASS;
                    default -> CheckerSpec.PLAIN;
                })
                .orElse(null);
    }

    /** The audit entry of a judged round. */
    private static AuditEntry entryOf(
            Submission s, Judgement judgement, String session, String correlationId, String problemType) {
        return WorkSupport.entryOf(AuditEntry.Kind.JUDGE, s, judgement, session, correlationId, problemType);
    }

    /** Whether the store holds {@code judgement} as its round's, current or moved to the history by a regrade. */
    private boolean isStored(String id, Judgement judgement) {
        return Retry.call("read " + id, Retry.STORE_PATIENCE, () -> submissions.get(id))
                .map(stored ->
                        judgement.equals(stored.judgement()) || stored.history().contains(judgement))
                .orElse(false);
    }

    /** What judging a submission needs: its problem's tests, checker and limits, or its own. */
    private Task task(SubmissionRecord record) {
        var s = record.submission();
        if (s.problemId() == null) {
            return new Task(
                    s.tests(),
                    s.checker() != null ? s.checker() : CheckerSpec.DEFAULT,
                    Judge.TestLimits.DEFAULTS,
                    null);
        }
        Problem problem = Retry.call(
                        "load problem " + s.problemId(), Retry.STORE_PATIENCE, () -> problems.load(s.problemId()))
                .orElseThrow(() -> new MissingProblemException("problem " + s.problemId() + " no longer exists"));
        List<TestCase> tests = new ArrayList<>(problem.samples());
        tests.addAll(problem.secretTests());
        return new Task(
                tests,
                problem.checker(),
                new Judge.TestLimits(problem.timeLimit(), problem.memoryLimitBytes(), problem.outputLimitBytes()),
                problem.grading());
    }

    /** @param grading the problem's test data groups, or {@code null} (see {@link Judge#judge}) */
    private record Task(List<TestCase> tests, CheckerSpec checker, Judge.TestLimits limits, Grading grading) {}

    /** The submission's problem was deleted: no delivery can ever judge it. */
    private static final class MissingProblemException extends RuntimeException {
        MissingProblemException(String message) {
            super(message);
        }
    }
}
