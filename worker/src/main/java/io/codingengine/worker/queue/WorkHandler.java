package io.codingengine.worker.queue;

import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.ExecutorBusyException;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.json.Json;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Grading;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.pipeline.ReplyChannel;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.problem.Problem;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.queue.Delivery;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.store.SubmissionRecord;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.common.store.UpdateOutcome;
import io.codingengine.worker.judge.Judge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Does what one message asks: a synchronous run (reply to the waiting api), a live run
 * ({@link LiveRuns}) or the judging of a stored submission (verdict to the store). Settles the delivery in every case: complete when the
 * work is done or no longer wanted, dead-letter when it can never succeed, abandon (it comes back
 * after a delay) when the sandbox failed under a judging that a later attempt may finish, and
 * nothing (the lock expires, the message comes back) when this process dies mid-way. When the
 * executor has no room ({@link ExecutorBusyException}: a full or unreachable session pool) a
 * judging waits in place, its lock renewed, and starts again: back-pressure never costs a delivery.
 */
public final class WorkHandler {

    private static final Logger LOG = LoggerFactory.getLogger(WorkHandler.class);
    private static final Duration STORE_PATIENCE = Duration.ofMinutes(2);
    /** The longest wait between two starts of a judging the executor had no room for. */
    private static final Duration MAX_BUSY_WAIT = Duration.ofSeconds(30);
    /**
     * What a calibration judging keeps of its time for what its budget does not count: the
     * compiles of the submission and of the validator (10 s each at most) and the reply.
     */
    static final Duration CALIBRATION_MARGIN = Duration.ofSeconds(25);
    /** The first wait of a judging given back after a sandbox failure; it doubles with each delivery. */
    private static final Duration SANDBOX_RETRY_DELAY = Duration.ofSeconds(5);

    private static final Duration MAX_SANDBOX_RETRY_DELAY = Duration.ofSeconds(60);

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
     */
    public record Settings(
            String workerId,
            int maxDeliveryCount,
            Duration lockRenewal,
            Duration heartbeat,
            Duration sandboxProbeInterval,
            String crashOnParticipant,
            String crashAfterVerdictOf,
            Judge.Settings judging) {

        /** What the tests' handlers use: the worker's default heartbeat and probe interval, no fault injection. */
        public static Settings of(String workerId, int maxDeliveryCount, Duration lockRenewal) {
            return new Settings(
                    workerId,
                    maxDeliveryCount,
                    lockRenewal,
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(5),
                    null,
                    null,
                    Judge.Settings.DEFAULTS);
        }
    }

    private final Executor executor;
    private final Judge.Settings judgingSettings;
    private final Judge judge;
    /** For submissions on the interactive lane (a person waits): the executor's kept capacity first. */
    private final Judge interactiveJudge;

    private final SubmissionStore submissions;
    private final ProblemStore problems;
    private final ReplyChannel replies;
    private final AuditLog audit;
    private final JudgingMetrics metrics;
    private final Clock clock;
    private final String workerId;
    private final int maxDeliveryCount;
    private final Duration lockRenewal;
    private final Duration heartbeat;
    private final SandboxWatch sandbox;
    /** Test aids (WorkerProperties.FaultInjection): halt when judging this participant, or after its verdict; null: never. */
    private final String crashOnParticipant;

    private final String crashAfterVerdictOf;
    private final LiveRuns live;
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("lock-renewal").factory());
    /** Apart from the renewals: a heartbeat waiting for a store that is down must not delay a lock's renewal. */
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("judging-heartbeat").factory());

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
        this.audit = audit;
        this.metrics = metrics;
        this.executor = executor;
        this.judgingSettings = settings.judging();
        this.judge = new Judge(executor, clock, settings.workerId(), settings.judging());
        this.interactiveJudge = new Judge(executor.interactive(), clock, settings.workerId(), settings.judging());
        this.submissions = submissions;
        this.problems = problems;
        this.replies = replies;
        this.clock = clock;
        this.workerId = settings.workerId();
        this.maxDeliveryCount = settings.maxDeliveryCount();
        this.lockRenewal = settings.lockRenewal();
        this.heartbeat = settings.heartbeat();
        this.sandbox = new SandboxWatch(executor::probe, settings.sandboxProbeInterval(), clock);
        this.crashOnParticipant = blankToNull(settings.crashOnParticipant());
        this.crashAfterVerdictOf = blankToNull(settings.crashAfterVerdictOf());
        this.live = new LiveRuns(executor, replies, metrics, clock, settings.workerId(), this::record);
    }

    private static String blankToNull(String participant) {
        return participant == null || participant.isBlank() ? null : participant;
    }

    /** Whether this handler's sandbox works: the consumer's slots take no work while it fails. */
    public SandboxWatch sandbox() {
        return sandbox;
    }

    public void handle(Delivery delivery) {
        WorkItem item;
        try {
            item = WorkItem.fromJson(delivery.body());
        } catch (RuntimeException e) {
            delivery.deadLetter("malformed message: " + e.getMessage());
            return;
        }
        // Earlier deliveries ended without a result: workers died on it, or (judgings) its sandbox
        // failed. The last one does not run it again.
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
                case WorkItem.Execute execute -> execute(delivery, execute, lastChance);
                case WorkItem.Converse converse -> live.converse(delivery, converse);
                case WorkItem.Judge j -> judge(delivery, j, lastChance);
                case WorkItem.Calibrate c -> calibrate(delivery, c, lastChance);
            }
        } finally {
            MDC.remove("correlationId");
            metrics.finished();
        }
    }

    /**
     * On the last delivery of a run that crashed workers before: tells the waiting api, dead-letters
     * the message, and says so; else false.
     */
    private boolean givenUp(Delivery delivery, String replyTo, String requestId, boolean lastChance) {
        if (!lastChance) {
            return false;
        }
        replies.reply(replyTo, requestId, Json.write(Map.of("internalError", "the run crashed the engine")));
        delivery.deadLetter("crashed a worker " + (delivery.deliveryCount() - 1) + " times");
        return true;
    }

    private void execute(Delivery delivery, WorkItem.Execute item, boolean lastChance) {
        if (clock.instant().isAfter(item.deadline())) {
            delivery.complete(); // nobody waits for it any more
            return;
        }
        if (givenUp(delivery, item.replyTo(), item.requestId(), lastChance)) {
            return;
        }
        metrics.queued(
                delivery.lane().name().toLowerCase(Locale.ROOT),
                "executing " + item.requestId(),
                Duration.between(item.enqueuedAt(), clock.instant()));
        // A person waits for an interactive run: it may use the capacity kept for that. Work on the
        // other lanes (an import's runs of its accepted submissions) takes a judging slot's.
        Executor runner = delivery.lane() == Lane.INTERACTIVE ? executor.interactive() : executor;
        String body;
        ExecutionResult result = null;
        String status;
        try {
            result = withLock(delivery, () -> runner.execute(item.request()));
            String sandboxFailure = result.sandboxFailure();
            if (sandboxFailure != null && clock.instant().isBefore(item.deadline())) {
                // The sandbox failed, not the program: once more before the client is answered
                // (the slot's relay is replaced by then); no new work until a probe passes.
                LOG.warn("sandbox failure executing {}: {}; running it again", item.requestId(), sandboxFailure);
                metrics.sandboxFailure("execute");
                sandbox.failed(sandboxFailure);
                result = withLock(delivery, () -> runner.execute(item.request()));
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
        record(entry);
        delivery.complete();
    }

    /**
     * An import's run of an accepted submission with its problem's validator: judged as a
     * submission with inline tests is (a judge of this worker's, the interaction path), with a
     * time budget that ends {@link #CALIBRATION_MARGIN} before the import stops waiting (the
     * judge overruns its budget by one test's worst case at most); tests the budget leaves out
     * are TLE "not run". The judgement is the reply. Audited as an execute of the importer's
     * (the submission's id), with its problem type.
     */
    private void calibrate(Delivery delivery, WorkItem.Calibrate item, boolean lastChance) {
        Duration budget = Duration.between(clock.instant(), item.deadline()).minus(CALIBRATION_MARGIN);
        if (budget.toMillis() <= 0) {
            delivery.complete(); // too late for the import, which stops waiting at the deadline
            return;
        }
        if (givenUp(delivery, item.replyTo(), item.requestId(), lastChance)) {
            return;
        }
        metrics.queued(
                delivery.lane().name().toLowerCase(Locale.ROOT),
                "calibrating " + item.requestId(),
                Duration.between(item.enqueuedAt(), clock.instant()));
        Submission s = item.submission();
        String body;
        Judgement judgement;
        String session = AuditEntry.NOWHERE;
        try {
            Judge calibrating = new Judge(executor, clock, workerId, judgingSettings.withJudgingBudget(budget));
            Judge.Judged judged = withLock(
                    delivery,
                    () -> calibrating.judge(
                            s,
                            s.tests(),
                            s.checker(),
                            new Judge.TestLimits(item.timeLimit(), item.memoryBytes(), item.outputBytes()),
                            0,
                            1));
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
        record(entryOf(
                AuditEntry.Kind.EXECUTE,
                s,
                judgement,
                session,
                item.correlationId(),
                CheckerSpec.problemType(s.checker())));
        delivery.complete();
    }

    private void record(AuditEntry entry) {
        Retry.call("audit " + entry.submissionId(), STORE_PATIENCE, () -> {
            audit.record(entry);
            return null;
        });
    }

    private void judge(Delivery delivery, WorkItem.Judge item, boolean lastChance) {
        String id = item.submissionId();
        Optional<SubmissionRecord> found = Retry.call("read " + id, STORE_PATIENCE, () -> submissions.get(id));
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
        int attempt = item.priorAttempts() + delivery.deliveryCount();
        if (lastChance) {
            String reason = "the submission was delivered " + (delivery.deliveryCount() - 1)
                    + " times without a verdict: it crashed a worker, or its sandbox failed";
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
        UpdateOutcome running = Retry.call(
                "mark " + id + " running",
                STORE_PATIENCE,
                () -> submissions.markRunning(
                        id, item.round(), attempt, task.tests().size()));
        if (running == UpdateOutcome.ALREADY_DONE || running == UpdateOutcome.STALE) {
            if (running == UpdateOutcome.ALREADY_DONE) {
                Retry.call("read " + id, STORE_PATIENCE, () -> submissions.get(id))
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
                () -> withLock(
                        delivery,
                        () -> judgeWaitingForRoom(
                                judging,
                                record.submission(),
                                task,
                                item.allTests(),
                                item.firstRejectionEnds(),
                                item.round(),
                                attempt)));
        Judgement judgement = judged.judgement();
        String sandboxFailure = judged.sandboxFailure();
        if (sandboxFailure != null) {
            // This worker takes nothing more until its sandbox passes a probe: the retry below goes
            // to another worker, or waits until this one works again.
            sandbox.failed(sandboxFailure);
        }
        if (sandboxFailure != null && delivery.deliveryCount() + 1 < maxDeliveryCount) {
            // The sandbox failed, not the program: judged again (by whichever worker takes it)
            // rather than an IE for the candidate; the last attempt that runs stores the IE.
            Duration delay = sandboxRetryDelay(delivery.deliveryCount());
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
        complete(record, item, judgement, AuditEntry.sessionOf(judged.execution()), problemType);
        delivery.complete();
    }

    /**
     * 5, 10, 20, 40 s, then a minute: long enough for a sandbox that fails for a while (a host
     * under memory pressure, a broken mount) to pass its probe or for another worker to take the
     * message, before the deliveries run out.
     */
    static Duration sandboxRetryDelay(int deliveryCount) {
        Duration delay = SANDBOX_RETRY_DELAY.multipliedBy(1L << Math.min(10, Math.max(0, deliveryCount - 1)));
        return delay.compareTo(MAX_SANDBOX_RETRY_DELAY) > 0 ? MAX_SANDBOX_RETRY_DELAY : delay;
    }

    /**
     * Runs {@code work}, telling the store every {@code heartbeat} that this attempt is alive. A
     * failed heartbeat is only logged: the judging goes on, and at worst the sweeper sends the
     * round again, whose first judgement wins.
     */
    private <T> T whileAlive(String id, long round, int attempt, java.util.function.Supplier<T> work) {
        ScheduledFuture<?> beats = heartbeats.scheduleAtFixedRate(
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
                heartbeat.toMillis(),
                heartbeat.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            return work.get();
        } finally {
            beats.cancel(false);
        }
    }

    /**
     * Judges, and starts again after a wait whenever the executor had no room: the caller renews
     * the message's lock meanwhile, so the delivery is neither given back nor counted again.
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
        UpdateOutcome outcome =
                Retry.call("store the verdict of " + id, STORE_PATIENCE, () -> submissions.complete(id, judgement));
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
            record(entryOf(record.submission(), judgement, session, item.correlationId(), problemType));
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
        if (Retry.call("audit " + entry.submissionId(), STORE_PATIENCE, () -> audit.recordIfAbsent(entry))) {
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
        return Retry.call("read problem " + s.problemId(), STORE_PATIENCE, () -> problems.get(s.problemId()))
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
        return entryOf(AuditEntry.Kind.JUDGE, s, judgement, session, correlationId, problemType);
    }

    /** The audit entry of a judged round, or ({@code EXECUTE}) of an import's calibration run. */
    private static AuditEntry entryOf(
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

    /** Whether the store holds {@code judgement} as its round's, current or moved to the history by a regrade. */
    private boolean isStored(String id, Judgement judgement) {
        return Retry.call("read " + id, STORE_PATIENCE, () -> submissions.get(id))
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
                        "load problem " + s.problemId(), STORE_PATIENCE, () -> problems.load(s.problemId()))
                .orElseThrow(() -> new MissingProblemException("problem " + s.problemId() + " no longer exists"));
        List<TestCase> tests = new ArrayList<>(problem.samples());
        tests.addAll(problem.secretTests());
        return new Task(
                tests,
                problem.checker(),
                new Judge.TestLimits(problem.timeLimit(), problem.memoryLimitBytes(), problem.outputLimitBytes()),
                problem.grading());
    }

    /** Runs {@code work} while renewing the delivery's lock, so a long judging keeps its message. */
    private <T> T withLock(Delivery delivery, java.util.function.Supplier<T> work) {
        ScheduledFuture<?> renewal = renewer.scheduleAtFixedRate(
                () -> {
                    try {
                        delivery.renewLock();
                    } catch (RuntimeException e) {
                        LOG.warn("cannot renew the lock of {}: {}", delivery.messageId(), e.toString());
                    }
                },
                lockRenewal.toMillis(),
                lockRenewal.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            return work.get();
        } finally {
            renewal.cancel(false);
        }
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
