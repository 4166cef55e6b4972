package io.codingengine.worker.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import io.codingengine.common.store.SubmissionRecord;
import io.codingengine.common.store.TableSubmissionStore;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The worker's loop against a real broker, a real Azurite and the real executor: a judged
 * submission reaches the store with one verdict, a synchronous run gets its reply.
 */
@ExtendWith(AzuriteExtension.class)
class WorkerPipelineTest {

    @TempDir
    static Path dir;

    private static EmbeddedArtemisBroker broker;
    private static ArtemisSubmissionQueue queue;
    private static SandboxedExecutor executor;
    private static Path executorData;
    private static TableSubmissionStore submissions;
    private static ReplyChannel apiReplies;
    private static QueueConsumer consumer;
    private static TableAuditLog audit;
    private static BlobProblemStore problems;
    private static final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    /** What the worker logs, which is what the alert rules of infra/monitoring.bicep read. */
    private static final ListAppender<ILoggingEvent> handlerLog = new ListAppender<>();
    /** The classes whose log lines {@code handlerLog} takes: those that handle a message, and the metrics'. */
    private static final List<Class<?>> LOGGING =
            List.of(SynchronousRuns.class, Judgings.class, WorkSupport.class, JudgingMetrics.class);

    @BeforeAll
    static void start() throws Exception {
        handlerLog.start();
        LOGGING.forEach(c -> ((Logger) LoggerFactory.getLogger(c)).addAppender(handlerLog));
        broker = EmbeddedArtemisBroker.start(dir.resolve("broker"), 0);
        queue = ArtemisSubmissionQueue.connect(broker.url());
        executorData = Files.createTempDirectory("ce-worker-it-");
        executor = SandboxedExecutor.start(
                SandboxConfig.defaults()
                        .withDataDir(executorData)
                        .withSlots(2)
                        .withUidBase(62000)
                        .withCgroupName("coding-engine-worker-it"),
                ExecutorConfig.defaults());
        String prefix = "w" + UUID.randomUUID().toString().substring(0, 8);
        submissions = TableSubmissionStore.fromConnectionString(AzuriteExtension.connectionString(), prefix);
        problems = BlobProblemStore.fromConnectionString(AzuriteExtension.connectionString(), prefix);
        audit = TableAuditLog.fromConnectionString(AzuriteExtension.connectionString(), prefix);
        WorkHandler handler = new WorkHandler(
                executor,
                submissions,
                problems,
                ArtemisReplyChannel.sending(broker.url()),
                audit,
                new JudgingMetrics(metrics, 2),
                Clock.systemUTC(),
                "it-worker",
                5,
                Duration.ofSeconds(5));
        apiReplies = ArtemisReplyChannel.listening(broker.url());
        consumer = new QueueConsumer(queue, handler, executor.capacity(), Duration.ofMillis(200));
        consumer.start();
    }

    @AfterAll
    static void stop() {
        LOGGING.forEach(c -> ((Logger) LoggerFactory.getLogger(c)).detachAppender(handlerLog));
        consumer.stop();
        apiReplies.close();
        queue.close();
        executor.close();
        broker.stop();
    }

    @Test
    void aQueuedSubmissionIsJudgedOnce() {
        Submission s = new Submission(
                "it-" + UUID.randomUUID(),
                null,
                "contest-1",
                "alice",
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", "print(sum(map(int, input().split())))")),
                List.of(new TestCase("t1", "1 2\n", "3\n", true), new TestCase("t2", "5 5\n", "10\n", false)),
                null,
                Instant.now());
        // The registry is the class's: other tests' judgings count too, so this one's is a difference.
        double acBefore = count(() -> metrics.get("coding_engine_executions")
                .tags("kind", "judge", "language", "python", "verdict", "AC")
                .counter()
                .count());
        double runsBefore =
                count(() -> metrics.get("coding_engine_run_cpu_time").timer().count());
        double plainBefore = judgedTests("plain", "AC");
        submissions.create(s);
        queue.send(Lane.CONTEST, s.id(), WorkItem.toJson(new WorkItem.Judge(s.id(), 0, "corr-it-1")));
        SubmissionRecord done = await().atMost(Duration.ofSeconds(60))
                .until(() -> submissions.get(s.id()).orElseThrow(), r -> r.status() == SubmissionStatus.DONE);
        assertEquals(Verdict.AC, done.judgement().verdict());
        assertEquals(100, done.judgement().score());
        assertEquals("it-worker", done.judgement().worker());
        // A duplicate message for the same round changes nothing.
        queue.send(Lane.CONTEST, s.id() + "-again", WorkItem.toJson(new WorkItem.Judge(s.id(), 0)));
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.depth(Lane.CONTEST) == 0);
        assertEquals(done.judgement(), submissions.get(s.id()).orElseThrow().judgement());
        // One audit entry for the round, with who, what (hash only) and where.
        var entries = audit
                .query(new AuditQuery(
                        s.createdAt().minusSeconds(1),
                        Instant.now().plusSeconds(1),
                        "alice",
                        null,
                        null,
                        null,
                        AuditEntry.Kind.JUDGE,
                        100))
                .stream()
                .filter(e -> e.submissionId().equals(s.id()))
                .toList();
        assertEquals(1, entries.size());
        assertEquals(AuditEntry.Kind.JUDGE, entries.getFirst().kind());
        assertTrue(
                entries.getFirst().session().matches("local:.+/slot-[01]( local:.+/slot-[01])?"),
                "the sandbox slots it ran in: " + entries.getFirst().session());
        assertEquals("AC", entries.getFirst().verdict());
        assertEquals("it-worker", entries.getFirst().worker());
        assertEquals("corr-it-1", entries.getFirst().correlationId());
        assertEquals("plain", entries.getFirst().problemType(), "inline tests with a plain checker");
        assertEquals(64, entries.getFirst().sourceSha256().length());
        assertEquals(plainBefore + 2, judgedTests("plain", "AC"), "both tests counted as plain");
        assertEquals(
                acBefore + 1,
                metrics.get("coding_engine_executions")
                        .tags("kind", "judge", "language", "python", "verdict", "AC")
                        .counter()
                        .count());
        assertEquals(
                runsBefore + 2,
                metrics.get("coding_engine_run_cpu_time").timer().count());
        assertEquals("contest", queueAgeLaneLoggedFor(s.id()));
        assertTrue(
                logLines(s.id())
                        .noneMatch(line -> ALERTS.judgedIe().matcher(line).find()),
                "an AC is no failure");
    }

    /**
     * A judged interactive problem's tests are counted by problem type and verdict, and its audit
     * entry says it was interactive.
     */
    @Test
    void anInteractiveProblemsTestsAreCountedAndAuditedAsInteractive() {
        CheckerSpec.Custom echo =
                CheckerSpec.Custom.of("python", "validate.py", """
                        import sys
                        secret = open(sys.argv[1]).read().strip()
                        print(secret, flush=True)
                        sys.exit(42 if sys.stdin.readline().strip() == secret else 43)
                        """).judging(true, 1);
        String id = "talk" + UUID.randomUUID().toString().substring(0, 8);
        problems.save(new Problem(
                id,
                "Talk",
                Duration.ofSeconds(2),
                256L << 20,
                Problem.DEFAULT_OUTPUT_LIMIT_BYTES,
                echo,
                List.of(new TestCase("sample/1", "7\n", "7\n", true)),
                List.of(new TestCase("secret/1", "8\n", "8\n", false), new TestCase("secret/2", "9\n", "9\n", false)),
                null));
        double interactiveBefore = judgedTests("interactive", "AC");
        double plainBefore = judgedTests("plain", "AC");
        Submission s = new Submission(
                "it-" + UUID.randomUUID(),
                id,
                null,
                "talker",
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", "print(input(), flush=True)")),
                List.of(),
                null,
                Instant.now());
        submissions.create(s);
        queue.send(Lane.CONTEST, s.id(), WorkItem.toJson(new WorkItem.Judge(s.id(), 0)));
        SubmissionRecord done = await().atMost(Duration.ofSeconds(60))
                .until(() -> submissions.get(s.id()).orElseThrow(), r -> r.status() == SubmissionStatus.DONE);
        assertEquals(Verdict.AC, done.judgement().verdict(), done.judgement().toString());
        assertEquals(interactiveBefore + 3, judgedTests("interactive", "AC"));
        assertEquals(plainBefore, judgedTests("plain", "AC"), "no plain test counted");
        AuditEntry entry = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> audit
                                .query(new AuditQuery(
                                        s.createdAt().minusSeconds(1),
                                        Instant.now().plusSeconds(1),
                                        "talker",
                                        id,
                                        null,
                                        null,
                                        AuditEntry.Kind.JUDGE,
                                        10))
                                .stream()
                                .filter(e -> e.submissionId().equals(s.id()))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
        assertEquals("interactive", entry.problemType());
        assertEquals("AC", entry.verdict());
    }

    private static double judgedTests(String problemType, String verdict) {
        return count(() -> metrics.get("coding_engine_judged_tests")
                .tags("problem_type", problemType, "verdict", verdict)
                .counter()
                .count());
    }

    /** A problem's output limit (a package's {@code limits.output}) is what its runs get. */
    @Test
    void aProblemsOutputLimitHolds() {
        List<TestCase> tests = List.of(new TestCase("secret/1", "", "Hello World!\n", false));
        String padded = "print('Hello World!' + ' ' * 100000)"; // 100 KB: Kattis's 8 MiB takes it
        String loose = "o" + UUID.randomUUID().toString().substring(0, 8);
        String tight = "o" + UUID.randomUUID().toString().substring(0, 8);
        problems.save(new Problem(
                loose,
                "Loose",
                Duration.ofSeconds(2),
                256L << 20,
                Problem.DEFAULT_OUTPUT_LIMIT_BYTES,
                CheckerSpec.Tokens.KATTIS,
                List.of(),
                tests,
                null));
        problems.save(new Problem(
                tight,
                "Tight",
                Duration.ofSeconds(2),
                256L << 20,
                64 << 10,
                CheckerSpec.Tokens.KATTIS,
                List.of(),
                tests,
                null));
        assertEquals(Verdict.AC, judgeProblem(loose, padded));
        assertEquals(Verdict.OLE, judgeProblem(tight, padded));
        assertEquals(Verdict.AC, judgeProblem(tight, "print('Hello World!')"));
    }

    private static Verdict judgeProblem(String problemId, String source) {
        Submission s = new Submission(
                "it-" + UUID.randomUUID(),
                problemId,
                null,
                "alice",
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", source)),
                List.of(),
                null,
                Instant.now());
        submissions.create(s);
        queue.send(Lane.CONTEST, s.id(), WorkItem.toJson(new WorkItem.Judge(s.id(), 0)));
        return await().atMost(Duration.ofSeconds(60))
                .until(() -> submissions.get(s.id()).orElseThrow(), r -> r.status() == SubmissionStatus.DONE)
                .judgement()
                .verdict();
    }

    /**
     * The sandbox failing under a run (its slot's relay servers killed mid-run: the run's stream
     * breaks, an internal error) is not the candidate's IE: the submission is judged again and
     * gets the verdict its program deserves, on the next attempt.
     */
    @Test
    void aSandboxFailureIsJudgedAgainNotStoredAsIe() {
        Submission s = new Submission(
                "it-" + UUID.randomUUID(),
                null,
                null,
                "erin",
                "python",
                "*",
                List.of(SourceFile.utf8("sleeper.py", "import time\ntime.sleep(3)\nprint('slept')")),
                List.of(new TestCase("t1", "", "slept\n", true)),
                null,
                Instant.now());
        assertJudgedAgainAfterTheRelayServersDie(s, "sleeper.py");
    }

    /** The same when the sandbox fails under the submission's custom checker. */
    @Test
    void aSandboxFailureUnderTheCheckerIsJudgedAgain() {
        CheckerSpec checker = new CheckerSpec.Custom(
                "python",
                "*",
                List.of(SourceFile.utf8(
                        "slow_checker.py",
                        "import sys, time\ntime.sleep(3)\nsys.exit(42 if sys.stdin.read() == 'ok\\n' else 43)")));
        Submission s = new Submission(
                "it-" + UUID.randomUUID(),
                null,
                null,
                "frank",
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", "print('ok')")),
                List.of(new TestCase("t1", "", "ok\n", true)),
                checker,
                Instant.now());
        assertJudgedAgainAfterTheRelayServersDie(s, "slow_checker.py");
    }

    /** A meter's count, 0 before it exists. */
    private static double count(java.util.function.DoubleSupplier meter) {
        try {
            return meter.getAsDouble();
        } catch (io.micrometer.core.instrument.search.MeterNotFoundException notYet) {
            return 0;
        }
    }

    /** A Piston execute the sandbox fails under is run once more before it is answered. */
    @Test
    void aSandboxFailureUnderAnExecuteIsRunAgainBeforeTheReply() throws Exception {
        String requestId = UUID.randomUUID().toString();
        var reply = apiReplies.expect(requestId, Duration.ofSeconds(60));
        ExecutionRequest request = new ExecutionRequest(
                "python",
                "*",
                List.of(SourceFile.utf8("exec_nap.py", "import time\ntime.sleep(2)\nprint('slept')")),
                Map.of(),
                null,
                // Room for the sleep on a loaded machine (Piston's default wall time is 3 s).
                new io.codingengine.common.execution.LimitRequest(null, Duration.ofSeconds(10), null, null),
                List.of(new RunInput("", List.of())));
        Instant queued = Instant.now();
        queue.send(
                Lane.INTERACTIVE,
                requestId,
                WorkItem.toJson(new WorkItem.Execute(
                        requestId,
                        apiReplies.address(),
                        request,
                        queued.plusSeconds(60),
                        queued,
                        "anonymous@10.0.0.8",
                        "corr-exec-sandbox")));
        killRelayServersWhileRunning("exec_nap.py");
        ExecutionResult result = Json.read(reply.get(), ExecutionResult.class);
        assertEquals("slept\n", result.runs().getFirst().stdout(), result.toString());
        assertTrue(handlerLog.list.stream()
                .anyMatch(e -> e.getFormattedMessage().startsWith("sandbox failure executing " + requestId)));
    }

    /**
     * Kills the slots' relay servers once a program of {@code runningFile} runs. Each test's file
     * has a name no other's contains: a program of an earlier test whose relay was killed may
     * still be sleeping, and a match on it would kill the relays before this test's run began.
     */
    private static void killRelayServersWhileRunning(String runningFile) {
        // The program itself is running (it sleeps for seconds), so its relay has taken the run.
        // Its command line is python's run command (`-B FILE`): the compile check before it names
        // the file too, and a kill that came as that check had just ended reached no run at all.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> ProcessHandle.current().descendants().anyMatch(p -> {
                    String command = p.info().commandLine().orElse("");
                    return command.contains(runningFile) && command.contains(" -B ");
                }));
        List<ProcessHandle> servers = ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(executorData + "/")
                        && p.info().commandLine().orElse("").contains(" serve "))
                .toList();
        assertFalse(servers.isEmpty(), "the slots' relay servers");
        servers.forEach(ProcessHandle::destroyForcibly);
    }

    /** Kills the slots' relay servers while {@code runningFile} runs: AC on attempt 2, no IE stored. */
    private void assertJudgedAgainAfterTheRelayServersDie(Submission s, String runningFile) {
        submissions.create(s);
        queue.send(Lane.CONTEST, s.id(), WorkItem.toJson(new WorkItem.Judge(s.id(), 0, "corr-it-sandbox")));
        killRelayServersWhileRunning(runningFile);
        SubmissionRecord done = await().atMost(Duration.ofSeconds(60))
                .until(() -> submissions.get(s.id()).orElseThrow(), r -> r.status() == SubmissionStatus.DONE);
        assertEquals(Verdict.AC, done.judgement().verdict(), done.judgement().toString());
        assertEquals(2, done.judgement().attempt());
        assertTrue(
                logLines(s.id())
                        .anyMatch(line -> line.contains("sandbox failure judging " + s.id() + " round 0 attempt 1")),
                logLines(s.id()).toList().toString());
        assertTrue(
                logLines(s.id())
                        .noneMatch(line -> ALERTS.judgedIe().matcher(line).find()),
                "no IE was stored");
    }

    /** An IE that never ran (its problem is gone) is stored, dead-lettered, and seen by the failures alert. */
    @Test
    void anIeVerdictIsLoggedAsTheFailuresAlertExpects() {
        Submission s = new Submission(
                "it-" + UUID.randomUUID(),
                "deleted-problem",
                null,
                "dave",
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", "print(1)")),
                List.of(),
                null,
                Instant.now());
        submissions.create(s);
        queue.send(Lane.CONTEST, s.id(), WorkItem.toJson(new WorkItem.Judge(s.id(), 0, "corr-it-ie")));
        SubmissionRecord done = await().atMost(Duration.ofSeconds(60))
                .until(() -> submissions.get(s.id()).orElseThrow(), r -> r.status() == SubmissionStatus.DONE);
        assertEquals(Verdict.IE, done.judgement().verdict());
        assertTrue(
                logLines(s.id())
                        .anyMatch(line -> ALERTS.judgedIe().matcher(line).find()),
                "the failures alert's pattern " + ALERTS.judgedIe() + " matches none of "
                        + logLines(s.id()).toList());
    }

    @Test
    void aSynchronousRunGetsItsReply() throws Exception {
        String requestId = UUID.randomUUID().toString();
        var reply = apiReplies.expect(requestId, Duration.ofSeconds(60));
        ExecutionRequest request = new ExecutionRequest(
                "c",
                "*",
                List.of(SourceFile.utf8(
                        null, "#include <stdio.h>\nint main(void){ puts(\"from the queue\"); return 0; }")),
                Map.of(),
                null,
                null,
                List.of(new RunInput("", List.of())));
        Instant queued = Instant.now();
        queue.send(
                Lane.INTERACTIVE,
                requestId,
                WorkItem.toJson(new WorkItem.Execute(
                        requestId,
                        apiReplies.address(),
                        request,
                        queued.plusSeconds(60),
                        queued,
                        "anonymous@10.0.0.7",
                        "corr-exec-1")));
        ExecutionResult result = Json.read(reply.get(), ExecutionResult.class);
        assertEquals("from the queue\n", result.runs().getFirst().stdout());
        // Audited as an execute: who, what (hash), how it ended, where, and the request's id.
        var entry = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> audit.query(new AuditQuery(
                                queued.minusSeconds(1),
                                Instant.now().plusSeconds(1),
                                "anonymous@10.0.0.7",
                                null,
                                null,
                                null,
                                AuditEntry.Kind.EXECUTE,
                                10)),
                        found -> found.size() == 1)
                .getFirst();
        assertEquals(requestId, entry.submissionId());
        assertEquals("OK", entry.verdict());
        assertEquals("c", entry.language());
        assertEquals("corr-exec-1", entry.correlationId());
        assertEquals("it-worker", entry.worker());
        assertTrue(entry.session().matches("local:.+/slot-[01]"), entry.session());
        assertEquals(64, entry.sourceSha256().length());
        assertTrue(entry.memoryBytes() > 0 && entry.timeMs() >= 0, entry.toString());
        // The interactive lane's time in queue, and the compile and run wall times, are measured.
        assertEquals(
                1,
                metrics.get("coding_engine_time_in_queue")
                        .tag("lane", "interactive")
                        .timer()
                        .count());
        assertTrue(metrics.get("coding_engine_compile_time")
                        .tag("language", "c")
                        .timer()
                        .count()
                >= 1);
        assertTrue(metrics.get("coding_engine_run_wall_time")
                        .tag("language", "c")
                        .timer()
                        .count()
                >= 1);
        assertEquals("interactive", queueAgeLaneLoggedFor(requestId));
        assertEquals(
                1.0,
                metrics.get("coding_engine_executions")
                        .tags("kind", "execute", "language", "c", "verdict", "OK")
                        .counter()
                        .count(),
                "a Piston execute counts among the executions, by its status");
    }

    /**
     * The KQL regular expressions of the alert rules' log queries, in their order in
     * {@code infra/monitoring.bicep}; the second ("execute ... failed") needs an executor that
     * throws, which the real one does not for a good request, so it is not checked here.
     */
    private record AlertPatterns(Pattern judgedIe, Pattern queueLane, Pattern queueWaitedMs) {
        static AlertPatterns read() {
            try {
                String bicep = Files.readString(Path.of("..", "infra", "monitoring.bicep"));
                Matcher verbatim = Pattern.compile("@\"([^\"]*)\"").matcher(bicep); // KQL's @"..." strings
                List<Pattern> found = new java.util.ArrayList<>();
                while (verbatim.find()) {
                    found.add(Pattern.compile(verbatim.group(1).replace("\\\\", "\\"))); // Bicep's \\ is one backslash
                }
                assertEquals(4, found.size(), "the alert queries' patterns: " + found);
                return new AlertPatterns(found.get(0), found.get(2), found.get(3));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static final AlertPatterns ALERTS = AlertPatterns.read();

    private static java.util.stream.Stream<String> logLines(String id) {
        synchronized (handlerLog.list) {
            return List.copyOf(handlerLog.list).stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains(id));
        }
    }

    /** The lane the queue-age alert reads from the worker's log line about {@code id}, checking its time parses. */
    private static String queueAgeLaneLoggedFor(String id) {
        List<String> lines =
                logLines(id).filter(l -> ALERTS.queueLane().matcher(l).find()).toList();
        assertEquals(
                1,
                lines.size(),
                "one time-in-queue line the alert reads for " + id + ": "
                        + logLines(id).toList());
        Matcher waited = ALERTS.queueWaitedMs().matcher(lines.getFirst());
        assertTrue(waited.find() && Long.parseLong(waited.group(1)) >= 0, lines.getFirst());
        Matcher lane = ALERTS.queueLane().matcher(lines.getFirst());
        assertTrue(lane.find());
        return lane.group(1);
    }
}
