package io.codingengine.worker.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.audit.AuditQuery;
import io.codingengine.common.audit.TableAuditLog;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.json.Json;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.pipeline.ReplyChannel;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.problem.BlobProblemStore;
import io.codingengine.common.problem.Problem;
import io.codingengine.common.queue.ArtemisReplyChannel;
import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.store.AzuriteExtension;
import io.codingengine.common.store.TableSubmissionStore;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A contestant's Run never waits behind judging: a whole worker (a real broker, sandbox, stores
 * and audit on Azurite, the real handler and consumer) with two judging slots and one slot kept
 * for the interactive lane, a backlog of slow judgings (each holding a judging slot for seconds),
 * and Runs (Piston executes) sent while both judging slots are held. What is asserted is order
 * and slot use, not times: every Run is answered before any judging of the backlog ends, each Run
 * ran in the kept slot and no judging did. With the reservation off, the same Run waits for a
 * judging to end, which is what the first assertion would catch.
 */
@ExtendWith(AzuriteExtension.class)
class RunCapacityTest {

    /** A judging holds its slot this long (a problem's test sleeping it): the Runs fit many times over. */
    private static final int SLEEP_SECONDS = 6;

    @TempDir
    Path dir;

    @Test
    void runsAreAnsweredFromTheKeptSlotBeforeAnyJudgingOfTheBacklogEnds() throws Exception {
        try (Worker worker = new Worker(dir, 1, 65600)) {
            List<String> backlog = worker.queueSlowJudgings(4);
            worker.awaitRunning(backlog, 2); // both judging slots are held
            List<String> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(worker.run());
                assertEquals(0, worker.done(backlog), "Run " + i + " was answered only after a judging ended");
            }
            worker.awaitDone(backlog);
            for (String run : runs) {
                assertTrue(
                        worker.session(run, AuditEntry.Kind.EXECUTE).endsWith("/slot-2"),
                        "a Run runs in the kept slot: " + worker.session(run, AuditEntry.Kind.EXECUTE));
            }
            for (String judging : backlog) {
                String session = worker.session(judging, AuditEntry.Kind.JUDGE);
                assertTrue(session.matches("local:\\S+/slot-[01]"), "judging never takes the kept slot: " + session);
                assertEquals(Verdict.AC, worker.verdict(judging));
            }
        }
    }

    @Test
    void withoutTheReservationARunWaitsForAJudgingToEnd() throws Exception {
        try (Worker worker = new Worker(dir, 0, 65650)) {
            List<String> backlog = worker.queueSlowJudgings(2);
            worker.awaitRunning(backlog, 2);
            worker.run();
            assertTrue(worker.done(backlog) >= 1, "with every slot judging, the Run had to wait for one to end");
            worker.awaitDone(backlog);
        }
    }

    /** One worker's parts, with {@code kept} interactive slots besides two judging slots. */
    private static final class Worker implements AutoCloseable {
        private final EmbeddedArtemisBroker broker;
        private final ArtemisSubmissionQueue queue;
        private final SandboxedExecutor executor;
        private final TableSubmissionStore submissions;
        private final BlobProblemStore problems;
        private final TableAuditLog audit;
        private final ReplyChannel apiReplies;
        private final QueueConsumer consumer;
        private final Instant started = Instant.now();
        private final String problemId =
                "sleepy-" + UUID.randomUUID().toString().substring(0, 8);

        Worker(Path dir, int kept, int uidBase) {
            broker = EmbeddedArtemisBroker.start(dir.resolve("broker"), 0);
            queue = ArtemisSubmissionQueue.connect(broker.url());
            executor = SandboxedExecutor.start(
                    SandboxConfig.defaults()
                            .withDataDir(dir.resolve("sandbox"))
                            .withSlots(2 + kept)
                            .withInteractiveSlots(kept)
                            .withUidBase(uidBase)
                            .withCgroupName("coding-engine-run-capacity-" + kept),
                    ExecutorConfig.defaults());
            String prefix = "rc" + UUID.randomUUID().toString().substring(0, 8);
            submissions = TableSubmissionStore.fromConnectionString(AzuriteExtension.connectionString(), prefix);
            problems = BlobProblemStore.fromConnectionString(AzuriteExtension.connectionString(), prefix);
            audit = TableAuditLog.fromConnectionString(AzuriteExtension.connectionString(), prefix);
            problems.save(new Problem(
                    problemId,
                    "Sleepy",
                    Duration.ofSeconds(SLEEP_SECONDS + 2),
                    256L << 20,
                    Problem.DEFAULT_OUTPUT_LIMIT_BYTES,
                    CheckerSpec.Tokens.KATTIS,
                    List.of(),
                    List.of(new TestCase("secret/1", "", "ok\n", false)),
                    null));
            WorkHandler handler = new WorkHandler(
                    executor,
                    submissions,
                    problems,
                    ArtemisReplyChannel.sending(broker.url()),
                    audit,
                    new JudgingMetrics(new SimpleMeterRegistry(), 2),
                    Clock.systemUTC(),
                    "run-capacity",
                    5,
                    Duration.ofSeconds(5));
            apiReplies = ArtemisReplyChannel.listening(broker.url());
            assertEquals(2, executor.capacity());
            assertEquals(kept, executor.interactiveCapacity());
            consumer = new QueueConsumer(
                    queue, handler, executor.capacity(), executor.interactiveCapacity(), Duration.ofMillis(100));
            consumer.start();
        }

        /** {@code n} submissions of the problem whose one test sleeps, each for another participant. */
        List<String> queueSlowJudgings(int n) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Submission s = new Submission(
                        "rc-" + UUID.randomUUID(),
                        problemId,
                        null,
                        "p" + i,
                        "python",
                        "*",
                        List.of(SourceFile.utf8(
                                "main.py", "import time\ntime.sleep(" + SLEEP_SECONDS + ")\nprint('ok')")),
                        List.of(),
                        null,
                        Instant.now());
                submissions.create(s);
                queue.send(Lane.CONTEST, s.id(), WorkItem.toJson(new WorkItem.Judge(s.id(), 0)));
                ids.add(s.id());
            }
            return ids;
        }

        void awaitRunning(List<String> ids, int n) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ids.stream()
                                    .filter(id ->
                                            submissions.get(id).orElseThrow().status() == SubmissionStatus.RUNNING)
                                    .count()
                            >= n);
        }

        int done(List<String> ids) {
            return (int) ids.stream()
                    .filter(id -> submissions.get(id).orElseThrow().status() == SubmissionStatus.DONE)
                    .count();
        }

        void awaitDone(List<String> ids) {
            await().atMost(Duration.ofSeconds(120)).until(() -> done(ids) == ids.size());
        }

        Verdict verdict(String id) {
            return submissions.get(id).orElseThrow().judgement().verdict();
        }

        /** A Run (a Piston execute of print(1) on the interactive lane), waited for; its request id. */
        String run() throws Exception {
            String requestId = UUID.randomUUID().toString();
            var reply = apiReplies.expect(requestId, Duration.ofSeconds(90));
            Instant now = Instant.now();
            queue.send(
                    Lane.INTERACTIVE,
                    requestId,
                    WorkItem.toJson(new WorkItem.Execute(
                            requestId,
                            apiReplies.address(),
                            new ExecutionRequest(
                                    "python",
                                    "*",
                                    List.of(SourceFile.utf8(null, "print(1)")),
                                    Map.of(),
                                    null,
                                    null,
                                    List.of(new RunInput("", List.of()))),
                            now.plusSeconds(90),
                            now,
                            "anonymous@10.0.0.9",
                            "corr-" + requestId)));
            ExecutionResult result = Json.read(reply.get(), ExecutionResult.class);
            assertEquals("1\n", result.runs().getFirst().stdout(), result.toString());
            return requestId;
        }

        /** The sandbox slots the audit entry of {@code id} names. */
        String session(String id, AuditEntry.Kind kind) {
            return await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> audit
                                    .query(new AuditQuery(
                                            started.minusSeconds(5),
                                            Instant.now().plusSeconds(5),
                                            null,
                                            null,
                                            null,
                                            null,
                                            kind,
                                            1000))
                                    .stream()
                                    .filter(e -> e.submissionId().equals(id))
                                    .map(AuditEntry::session)
                                    .findFirst(),
                            java.util.Optional::isPresent)
                    .orElseThrow();
        }

        @Override
        public void close() throws Exception {
            consumer.stop();
            apiReplies.close();
            queue.close();
            executor.close();
            broker.stop();
        }
    }
}
