package io.codingengine.worker.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.audit.AuditQuery;
import io.codingengine.common.audit.PostgresAuditLog;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.common.json.Json;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.pipeline.ReplyChannel;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.problem.PostgresProblemStore;
import io.codingengine.common.queue.Delivery;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.MessageLockLostException;
import io.codingengine.common.queue.QueueException;
import io.codingengine.common.store.PostgresExtension;
import io.codingengine.common.store.PostgresSubmissionStore;
import io.codingengine.common.store.SubmissionRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a worker does with a delivery after another went wrong, on a real PostgreSQL: the round's
 * audit entry that a dead worker did not write, a round the sweeper sent again, and a sandbox
 * that fails. The executor only answers (each run's output is its input), or fails as a sandbox
 * does ({@code XX}), and its probe fails as long as the test says.
 */
class WorkHandlerRecoveryTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final String WORKER = "recovering-worker";

    private static PostgresSubmissionStore submissions;
    private static PostgresAuditLog audit;
    private static PostgresProblemStore problems;

    @BeforeAll
    static void connect() {
        submissions = new PostgresSubmissionStore(POSTGRES.dataSource());
        audit = new PostgresAuditLog(POSTGRES.dataSource());
        problems = new PostgresProblemStore(POSTGRES.dataSource());
    }

    /** Answers each run with its input, or as a failing sandbox while {@code failing} holds. */
    private static final class Echo implements Executor {
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger probes = new AtomicInteger();
        final AtomicInteger runs = new AtomicInteger();
        /** What happens to the worker while a run goes on. */
        volatile Runnable meanwhile = () -> {};

        @Override
        public List<RuntimeInfo> runtimes() {
            return List.of();
        }

        @Override
        public int capacity() {
            return 1;
        }

        @Override
        public ExecutionResult execute(ExecutionRequest request) {
            this.runs.incrementAndGet();
            meanwhile.run();
            List<StageResult> runs = request.runs().stream()
                    .map(run -> failing.get()
                            ? new StageResult(
                                    "", "", "", null, null, StageStatus.XX, StageStatus.XX.message(0), 0, 0, 0)
                            : new StageResult(run.stdin(), "", run.stdin(), 0, null, null, null, 5, 5, 1 << 20))
                    .toList();
            return new ExecutionResult(request.language(), "1", null, runs, "echo:slot-0");
        }

        @Override
        public String probe() {
            probes.incrementAndGet();
            return failing.get() ? "the box cannot be built" : null;
        }
    }

    private static WorkHandler handler(Executor executor) {
        return new WorkHandler(
                executor,
                submissions,
                problems,
                null /* no synchronous runs here */,
                audit,
                new JudgingMetrics(new SimpleMeterRegistry(), 1),
                Clock.systemUTC(),
                new WorkHandler.Settings(
                        WORKER,
                        5,
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(1),
                        Duration.ofMillis(100),
                        null,
                        null,
                        io.codingengine.worker.judge.Judge.Settings.DEFAULTS,
                        false));
    }

    /**
     * A worker answered an execute and wrote its audit entry, then died before it completed the
     * message; the next delivery runs it again for nobody. The entry kept is the one of the run
     * whose result the caller got (a rerun of code whose output varies may end otherwise).
     */
    @Test
    void anExecuteRunAgainAfterAWorkerDiedKeepsTheAuditEntryOfTheRunItsCallerGot() {
        String requestId = UUID.randomUUID().toString();
        Instant queued = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String body = executeBody(requestId, queued, queued.plusSeconds(60), "anonymous@10.0.0.9");
        List<String> answered = new CopyOnWriteArrayList<>();
        ApiReplies api = new ApiReplies(answered);
        CompletableFuture<String> reply = api.expect(requestId, Duration.ofSeconds(10));

        executeHandler("first-worker", api).handle(new RecordedDelivery(requestId, body, 1));
        assertEquals(
                "seen\n",
                Json.read(reply.join(), ExecutionResult.class).runs().getFirst().stdout());
        RecordedDelivery again = new RecordedDelivery(requestId, body, 2);
        executeHandler("second-worker", api).handle(again);

        assertEquals(2, answered.size(), "run twice, answered twice");
        assertEquals(List.of("complete"), again.settled());
        List<AuditEntry> entries = executeEntries(queued, "anonymous@10.0.0.9");
        assertEquals(1, entries.size());
        assertEquals("first-worker", entries.getFirst().worker());
    }

    /**
     * A worker stopped past an execute's lock finishes its run after the worker that took the
     * message over answered and audited it: the entry of the run whose result the caller got stays.
     */
    @Test
    void anExecuteFinishedByAWorkerThatLostItsLockKeepsTheEntryOfTheRunThatHeldIt() {
        String requestId = UUID.randomUUID().toString();
        Instant queued = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String body = executeBody(requestId, queued, queued.plusSeconds(60), "anonymous@10.0.0.10");
        ApiReplies api = new ApiReplies(new CopyOnWriteArrayList<>());

        executeHandler("holder", api).handle(new RecordedDelivery(requestId, body, 2));
        executeHandler("stopped", api).handle(new RecordedDelivery(requestId, body, 1));

        List<AuditEntry> entries = executeEntries(queued, "anonymous@10.0.0.10");
        assertEquals(1, entries.size());
        assertEquals("holder", entries.getFirst().worker());
    }

    /**
     * A worker ran an execute, answered, and died before its audit entry; the message came back
     * after its deadline. It is not run again (nobody waits), but audited: the outcome unknown.
     */
    @Test
    void anExecuteBackAfterItsDeadlineIsAuditedWithItsOutcomeUnknown() {
        String requestId = UUID.randomUUID().toString();
        Instant queued = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.MILLIS);
        String body = executeBody(requestId, queued, queued.plusSeconds(60), "anonymous@10.0.0.11");
        List<String> answered = new CopyOnWriteArrayList<>();
        RecordedDelivery again = new RecordedDelivery(requestId, body, 2);
        executeHandler("late", new ApiReplies(answered)).handle(again);

        assertEquals(List.of(), answered, "not run");
        assertEquals(List.of("complete"), again.settled());
        List<AuditEntry> entries = executeEntries(queued, "anonymous@10.0.0.11");
        assertEquals(1, entries.size());
        assertEquals(AuditEntry.UNKNOWN_OUTCOME, entries.getFirst().verdict());
        assertEquals(AuditEntry.UNKNOWN_SESSION, entries.getFirst().session());

        // Its first delivery past the deadline never ran anywhere: nothing to audit.
        String never = UUID.randomUUID().toString();
        RecordedDelivery first = new RecordedDelivery(
                never, executeBody(never, queued, queued.plusSeconds(60), "anonymous@10.0.0.12"), 1);
        executeHandler("late", new ApiReplies(answered)).handle(first);
        assertEquals(List.of("complete"), first.settled());
        assertEquals(List.of(), executeEntries(queued, "anonymous@10.0.0.12"));
    }

    private static String executeBody(String requestId, Instant queued, Instant deadline, String caller) {
        ExecutionRequest request = new ExecutionRequest(
                "python",
                "*",
                List.of(SourceFile.utf8(null, "print(input())")),
                Map.of(),
                null,
                null,
                List.of(new RunInput("seen\n", List.of())));
        return WorkItem.toJson(new WorkItem.Execute(requestId, "api-replies", request, deadline, queued, caller, null));
    }

    private static List<AuditEntry> executeEntries(Instant queued, String caller) {
        return audit.query(new AuditQuery(
                queued.minusSeconds(1),
                Instant.now().plusSeconds(1),
                caller,
                null,
                null,
                null,
                AuditEntry.Kind.EXECUTE,
                10));
    }

    /** A handler of executes whose replies go to {@code api}, the api that waits for them. */
    private static WorkHandler executeHandler(String worker, ApiReplies api) {
        return new WorkHandler(
                new EchoExecutor(),
                submissions,
                problems,
                api,
                audit,
                new JudgingMetrics(new SimpleMeterRegistry(), 1),
                Clock.systemUTC(),
                worker,
                5,
                Duration.ofSeconds(30));
    }

    /**
     * The api's end of the reply channel, in this process: what the worker replies goes to
     * {@code answered} and to whoever expects or listens for its request.
     */
    private record ApiReplies(List<String> answered, Map<String, Consumer<String>> listeners) implements ReplyChannel {

        ApiReplies(List<String> answered) {
            this(answered, new ConcurrentHashMap<>());
        }

        @Override
        public String address() {
            return "api-replies";
        }

        @Override
        public CompletableFuture<String> expect(String requestId, Duration timeout) {
            CompletableFuture<String> reply = new CompletableFuture<>();
            listeners.put(requestId, reply::complete);
            return reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public Listening listen(String requestId, Consumer<String> onMessage) {
            listeners.put(requestId, onMessage);
            return () -> listeners.remove(requestId, onMessage);
        }

        @Override
        public boolean receives() {
            return true;
        }

        @Override
        public void reply(String address, String requestId, String body) {
            answered.add(body);
            Consumer<String> listener = listeners.get(requestId);
            if (listener != null) {
                listener.accept(body);
            }
        }

        @Override
        public void close() {
            listeners.clear();
        }
    }

    private static Submission created(String participant) {
        Submission s = new Submission(
                "s-" + UUID.randomUUID(),
                null,
                null,
                participant,
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", "print(input())")),
                List.of(new TestCase("t1", "1\n", "1\n", true)),
                null,
                Instant.now());
        assertTrue(submissions.create(s));
        return s;
    }

    private static RecordedDelivery delivery(WorkItem.Judge item, int deliveryCount) {
        return new RecordedDelivery(item.submissionId() + "-" + item.round(), WorkItem.toJson(item), deliveryCount);
    }

    private static List<AuditEntry> auditOf(Submission s) {
        return audit.query(new AuditQuery(
                s.createdAt().minusSeconds(1),
                Instant.now().plusSeconds(1),
                s.participant(),
                null,
                null,
                null,
                AuditEntry.Kind.JUDGE,
                100));
    }

    @Test
    void aJudgedRoundWithoutItsAuditEntryIsAuditedByItsNextDeliveryOnce() {
        Submission s = created("gap");
        // The judging worker stored this and died before its audit entry.
        Judgement stored = new Judgement(
                Verdict.AC,
                100,
                null,
                List.of(),
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                "dead-worker",
                0,
                1); // to the microsecond, as the audit log keeps times
        submissions.complete(s.id(), stored);
        WorkItem.Judge item = new WorkItem.Judge(s.id(), 0, "corr-gap");

        RecordedDelivery again = delivery(item, 2);
        handler(new Echo()).handle(again);
        assertEquals(List.of("complete"), again.settled());
        List<AuditEntry> entries = auditOf(s);
        assertEquals(1, entries.size(), entries.toString());
        AuditEntry entry = entries.getFirst();
        assertEquals("AC", entry.verdict());
        assertEquals("dead-worker", entry.worker(), "the worker that judged it");
        assertEquals(AuditEntry.UNKNOWN_SESSION, entry.session());
        assertEquals("corr-gap", entry.correlationId());
        assertEquals(stored.judgedAt(), entry.judgedAt());

        handler(new Echo()).handle(delivery(item, 3));
        assertEquals(List.of(entry), auditOf(s), "a later delivery neither adds nor replaces");
        assertEquals(stored, submissions.get(s.id()).orElseThrow().judgement(), "nor judges again");
    }

    @Test
    void theEntryTheJudgingWorkerWroteStays() {
        Submission s = created("whole");
        WorkItem.Judge item = new WorkItem.Judge(s.id(), 0, "corr-whole");
        handler(new Echo()).handle(delivery(item, 1));
        List<AuditEntry> written = auditOf(s);
        assertEquals(1, written.size());
        assertEquals("echo:slot-0", written.getFirst().session());

        handler(new Echo()).handle(delivery(item, 2)); // a duplicate delivery after the verdict
        assertEquals(written, auditOf(s));
    }

    @Test
    void aRoundSentAgainTakesItOverFromTheAttemptThatStalled() {
        Submission s = created("taken-over");
        // Attempt 2 marked it running and its worker is gone with the message.
        submissions.markRunning(s.id(), 0, 2, 1);
        RecordedDelivery swept = delivery(new WorkItem.Judge(s.id(), 0, null, 2), 1);
        handler(new Echo()).handle(swept);

        assertEquals(List.of("complete"), swept.settled());
        SubmissionRecord done = submissions.get(s.id()).orElseThrow();
        assertEquals(SubmissionStatus.DONE, done.status());
        assertEquals(Verdict.AC, done.judgement().verdict());
        assertEquals(3, done.judgement().attempt(), "the attempts count on from the stalled one");
    }

    /**
     * A broker that froze counts a delivery each time it pushes a waiting message into a consumer
     * it then drops: a round delivered as often as a message may be but never started is judged,
     * not closed as IE.
     */
    @Test
    void aRoundDeliveredOftenButNeverStartedIsJudged() {
        Submission s = created("never-started");
        Echo executor = new Echo();
        RecordedDelivery fifth = delivery(new WorkItem.Judge(s.id(), 0, null), 5);
        handler(executor).handle(fifth);

        assertEquals(List.of("complete"), fifth.settled());
        assertEquals(1, executor.runs.get());
        Judgement judged = submissions.get(s.id()).orElseThrow().judgement();
        assertEquals(Verdict.AC, judged.verdict());
        assertEquals(1, judged.attempt(), "its first start");
    }

    /** Starts count: the fifth start of a round whose four before it ended without a verdict does not run it. */
    @Test
    void aRoundStartedAsOftenAsAllowedWithoutAVerdictIsClosedAsIE() {
        Submission s = created("crashing");
        submissions.markRunning(s.id(), 0, 4, 1); // the fourth start; each worker died on it
        Echo executor = new Echo();
        RecordedDelivery next = delivery(new WorkItem.Judge(s.id(), 0, null), 2);
        handler(executor).handle(next);

        assertEquals(0, executor.runs.get(), "not run again");
        assertEquals(1, next.settled().size());
        assertTrue(
                next.settled().getFirst().startsWith("dead-letter: the submission was started 4 times"),
                next.settled().toString());
        Judgement judged = submissions.get(s.id()).orElseThrow().judgement();
        assertEquals(Verdict.IE, judged.verdict());
        assertEquals(5, judged.attempt());
    }

    /**
     * A worker stopped past its message's lock while judging (the message went to another worker
     * meanwhile) finds out before it stores anything: the verdict is the holder's to store.
     */
    @Test
    void aWorkerStoppedPastItsLockWhileJudgingStoresNothing() {
        Submission s = created("stopped-judging");
        AtomicReference<RuntimeException> renewal = new AtomicReference<>();
        Echo executor = new Echo();
        executor.meanwhile = () -> renewal.set(new MessageLockLostException("the lock ran out", null));
        LockedDelivery judging = new LockedDelivery(delivery(new WorkItem.Judge(s.id(), 0, null), 1), renewal);

        assertThrows(MessageLockLostException.class, () -> handler(executor).handle(judging));
        assertEquals(1, executor.runs.get());
        SubmissionRecord record = submissions.get(s.id()).orElseThrow();
        assertEquals(SubmissionStatus.RUNNING, record.status(), "no verdict stored");
        assertEquals(List.of(), auditOf(s));
        assertEquals(List.of(), judging.delivery().settled());
    }

    @Test
    void aWorkerStoppedPastItsLockBeforeTheRunDoesNotStartIt() {
        Submission s = created("stopped-before");
        Echo executor = new Echo();
        LockedDelivery judging = new LockedDelivery(
                delivery(new WorkItem.Judge(s.id(), 0, null), 1),
                new AtomicReference<>(new MessageLockLostException("the lock ran out", null)));

        assertThrows(MessageLockLostException.class, () -> handler(executor).handle(judging));
        assertEquals(0, executor.runs.get());
        assertEquals(
                SubmissionStatus.QUEUED, submissions.get(s.id()).orElseThrow().status());
    }

    /**
     * A renewal that fails because the broker cannot be reached for a moment says nothing about the
     * lock: the judging goes on and stores its verdict, as it would between two periodic renewals.
     */
    @Test
    void aBrokerUnreachableForAMomentDoesNotStopAJudging() {
        Submission s = created("broker-blip");
        Echo executor = new Echo();
        LockedDelivery judging = new LockedDelivery(
                delivery(new WorkItem.Judge(s.id(), 0, null), 1),
                new AtomicReference<>(new QueueException("the broker did not answer", null)));
        handler(executor).handle(judging);

        assertEquals(1, executor.runs.get());
        assertEquals(
                Verdict.AC, submissions.get(s.id()).orElseThrow().judgement().verdict());
        assertEquals(List.of("complete"), judging.delivery().settled());
    }

    /** A delivery whose lock renewal throws what {@code renewal} holds, if anything: for a lock gone, or a broker unreachable. */
    private record LockedDelivery(RecordedDelivery delivery, AtomicReference<RuntimeException> renewal)
            implements Delivery {

        @Override
        public String messageId() {
            return delivery.messageId();
        }

        @Override
        public String body() {
            return delivery.body();
        }

        @Override
        public Lane lane() {
            return delivery.lane();
        }

        @Override
        public int deliveryCount() {
            return delivery.deliveryCount();
        }

        @Override
        public void complete() {
            requireLock();
            delivery.complete();
        }

        @Override
        public void abandon(Duration delay) {
            requireLock();
            delivery.abandon(delay);
        }

        @Override
        public void deadLetter(String reason) {
            requireLock();
            delivery.deadLetter(reason);
        }

        @Override
        public Instant renewLock() {
            RuntimeException failure = renewal.get();
            if (failure != null) {
                throw failure;
            }
            return delivery.renewLock();
        }

        private void requireLock() {
            if (renewal.get() instanceof MessageLockLostException lost) {
                throw lost;
            }
        }
    }

    @Test
    void aFailingSandboxClosesTheGateUntilAProbePasses() {
        Echo executor = new Echo();
        executor.failing.set(true);
        WorkHandler handler = handler(executor);
        Submission s = created("sandbox");
        RecordedDelivery first = delivery(new WorkItem.Judge(s.id(), 0), 1);
        handler.handle(first);

        assertEquals(List.of("abandon"), first.settled(), "given back for another worker, not an IE");
        SandboxWatch.Failing failing =
                assertInstanceOf(SandboxWatch.Failing.class, handler.sandbox().state());
        assertEquals("Internal error", failing.reason());
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.probes.get() >= 2);
        assertFalse(handler.sandbox().awaitOpen(Duration.ofMillis(200)), "closed while the probes fail");
        assertEquals(
                SubmissionStatus.RUNNING, submissions.get(s.id()).orElseThrow().status());

        executor.failing.set(false);
        assertTrue(handler.sandbox().awaitOpen(Duration.ofSeconds(10)), "open once a probe passes");
        assertInstanceOf(SandboxWatch.Working.class, handler.sandbox().state());
    }

    @Test
    void aJudgingGivenBackAfterASandboxFailureWaitsLongerEachTime() {
        assertEquals(
                List.of(
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(40),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60)),
                List.of(1, 2, 3, 4, 5, 9).stream()
                        .map(Judgings::sandboxRetryDelay)
                        .toList());
    }
}
