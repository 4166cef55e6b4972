package io.codingengine.api.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.access.TestKeys;
import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.DeadLetter;
import io.codingengine.common.queue.Lane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * "Nothing lost": the engine as separate OS processes (PostgreSQL, the api with its embedded
 * broker, workers), each killed or restarted the way production loses processes, and every
 * submission still ends DONE with exactly one verdict.
 * <ol>
 *   <li>a worker SIGKILLed mid-run: the other worker judges the submission on the next delivery;</li>
 *   <li>the api (and its broker) restarted with submissions queued and no worker: they survive in
 *       the journal and are judged once a worker starts;</li>
 *   <li>the database killed (SIGKILL, as a crash would) while a worker judges and started again
 *       on the same data: the submissions acknowledged before the crash are all there, the worker
 *       retries the store in place and the first delivery's verdict is stored;</li>
 *   <li>a submission that crashes every worker: after max-delivery-count deliveries it is DONE
 *       with IE and a reason, and its message is in the dead letters.</li>
 * </ol>
 * The scenarios run in order and share the processes; each leaves at least one worker running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class NothingLostTest {

    private static final String CRASH_PARTICIPANT = "crash-the-worker";
    private static final int MAX_DELIVERY_COUNT = 3;
    private static final String PREFIX = "nl" + UUID.randomUUID().toString().substring(0, 8);
    private static SystemProcesses system;
    private static Path dir;
    private static JudgeClient judge;
    private static int brokerPort;
    private static TestProcess database;
    private static TestProcess api;
    private static final Map<String, TestProcess> workers = new LinkedHashMap<>();

    @BeforeAll
    static void startSystem() throws IOException {
        system = new SystemProcesses(Path.of("target", "nothing-lost", PREFIX));
        dir = system.dir();
        int httpPort = TestProcess.freePort();
        judge = new JudgeClient(httpPort, NothingLostTest::logs);
        brokerPort = TestProcess.freePort();
        database = system.startDatabase();
        Path apiData = Files.createDirectories(dir.resolve("api-data"));
        api = system.track(TestProcess.java(
                "api",
                dir,
                "io.codingengine.api.CodingEngineApi",
                List.of(
                        "--server.port=" + httpPort,
                        "--coding-engine.broker-port=" + brokerPort,
                        "--coding-engine.execution=queue",
                        "--coding-engine.data-dir=" + apiData,
                        "--spring.datasource.url=" + system.jdbcUrl(),
                        "--spring.datasource.username=postgres",
                        // Fail fast while the database is down, so that the retries show in the logs.
                        "--spring.datasource.hikari.connection-timeout=2000",
                        "--coding-engine.access.admin-key-sha256=" + TestKeys.ADMIN_SHA256,
                        // this test queues many submissions with no worker: the waiting limit is not what it checks
                        "--coding-engine.limits.max-waiting=1000",
                        "--coding-engine.limits.submissions-per-minute=100000")));
        judge.awaitUp(api);
        startWorkers("w1", "w2");
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.stopAll();
        }
    }

    @Test
    @Order(1)
    void aWorkerKilledMidRunIsReplacedByTheOther() {
        String id = judge.submit(JudgeClient.SLOW.formatted("sigkill"));
        judge.awaitLog(
                "a worker starts judging " + id,
                () -> workers.values().stream().anyMatch(w -> w.logContains("judging " + id)));
        TestProcess victim = workers.values().stream()
                .filter(w -> w.logContains("judging " + id))
                .findFirst()
                .orElseThrow();
        String survivor = workers.keySet().stream()
                .filter(k -> !k.equals(victim.name()))
                .findFirst()
                .orElseThrow();
        assertEquals("RUNNING", judge.view(id).get("status").asString(), logs());
        victim.kill();

        JsonNode done = judge.awaitDone(id);
        assertOneVerdict(done, "AC");
        assertEquals(survivor, done.get("worker").asString(), "the surviving worker judged it: " + done);
        assertTrue(done.get("attempt").asInt() >= 2, "a second delivery: " + done);
        workers.remove(victim.name());
    }

    @Test
    @Order(2)
    void queuedSubmissionsSurviveAnApiRestart() {
        workers.values().forEach(TestProcess::stop);
        workers.clear();
        List<String> ids = Stream.of("restart-1", "restart-2", "restart-3")
                .map(p -> judge.submit(JudgeClient.FAST.formatted(p)))
                .toList();
        ids.forEach(id -> assertEquals("QUEUED", judge.view(id).get("status").asString()));

        api.stop();
        api.restart();
        judge.awaitUp(api);
        ids.forEach(id -> assertEquals("QUEUED", judge.view(id).get("status").asString(), "nothing judged it yet"));
        startWorkers("w1");

        for (String id : ids) {
            assertOneVerdict(judge.awaitDone(id), "AC");
        }
    }

    @Test
    @Order(3)
    void aDatabaseCrashWhileJudgingLosesNothingAndIsRetriedInPlace() {
        TestProcess worker = workers.values().iterator().next();
        String id = judge.submit(JudgeClient.SLOW.formatted("outage"));
        judge.awaitLog(worker.name() + " starts judging " + id, () -> worker.logContains("judging " + id));
        // Acknowledged while the only worker is busy: they are in the database alone.
        List<String> queued = Stream.of("crash-1", "crash-2")
                .map(p -> judge.submit(JudgeClient.FAST.formatted(p)))
                .toList();
        database.kill();
        // The judging ends while the store is down: the verdict's write fails and is retried.
        judge.awaitLog(
                worker.name() + " retries storing the verdict of " + id,
                () -> worker.logContains("store the verdict of " + id + " failed, retrying"));
        database.restart();
        system.awaitDatabase(database);

        JsonNode done = judge.awaitDone(id);
        assertOneVerdict(done, "AC");
        assertEquals(1, done.get("attempt").asInt(), "retried in place, not redelivered: " + done);
        for (String acknowledged : queued) {
            assertOneVerdict(judge.awaitDone(acknowledged), "AC");
        }
    }

    @Test
    @Order(4)
    void aSubmissionThatCrashesEveryWorkerIsDeadLettered() throws Exception {
        TestProcess worker = workers.values().iterator().next();
        String id = judge.submit(JudgeClient.FAST.formatted(CRASH_PARTICIPANT));
        // Deliveries 1 .. max-1 each halt the worker; it is restarted as an orchestrator would.
        for (int crash = 1; crash < MAX_DELIVERY_COUNT; crash++) {
            judge.awaitLog("crash " + crash + " of " + worker.name(), () -> !worker.isAlive());
            assertEquals(70, worker.exitValue(), "halted by the fault injection\n" + worker.tail());
            assertEquals("RUNNING", judge.view(id).get("status").asString(), "marked running before the crash");
            worker.restart();
            JudgeClient.awaitReady(
                    worker, Duration.ofSeconds(60), () -> worker.printedSinceStart("worker consuming with"));
        }

        JsonNode done = judge.awaitDone(id);
        assertOneVerdict(done, "IE");
        assertEquals(MAX_DELIVERY_COUNT, done.get("attempt").asInt(), done.toString());
        assertTrue(
                done.get("compileOutput")
                        .asString()
                        .contains("started " + (MAX_DELIVERY_COUNT - 1) + " times without a verdict"),
                "the reason is given: " + done);
        assertTrue(worker.isAlive(), "the last delivery did not crash it\n" + worker.tail());
        try (ArtemisSubmissionQueue queue = ArtemisSubmissionQueue.connect("tcp://127.0.0.1:" + brokerPort)) {
            // The worker stores the IE verdict first, then dead-letters the message.
            // The api sends round r of a submission as message "<id>-<r>".
            Callable<List<DeadLetter>> deadLetters = () -> queue.deadLetters(Lane.CONTEST, 100).stream()
                    .filter(d -> d.messageId().equals(id + "-0"))
                    .toList();
            judge.awaitLog("the dead letter of " + id, () -> !deadLetters.call().isEmpty());
            List<DeadLetter> dead = deadLetters.call();
            assertEquals(1, dead.size(), "dead-lettered once: " + dead);
            assertTrue(dead.getFirst().reason().contains("crashed a worker"), dead.toString());
        }
    }

    // ---- the processes ----

    /** Starts workers in parallel (each JVM start takes seconds) and waits until all consume. */
    private static void startWorkers(String... ids) {
        for (String id : ids) {
            int index = Integer.parseInt(id.substring(1));
            Path data;
            try {
                // The same sandbox directory on every start, as a restarted service would have: a
                // killed worker leaves its boxes' mounts there, and the next one must cope.
                data = Files.createDirectories(dir.resolve(id + "-data"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            TestProcess w = system.track(TestProcess.java(
                    id,
                    dir,
                    "io.codingengine.worker.WorkerApplication",
                    List.of(
                            "--spring.main.web-application-type=none",
                            "--coding-engine.worker.id=" + id,
                            "--coding-engine.worker.broker-url=tcp://127.0.0.1:" + brokerPort,
                            "--spring.datasource.url=" + system.jdbcUrl(),
                            "--spring.datasource.username=postgres",
                            "--spring.datasource.hikari.connection-timeout=2000",
                            "--coding-engine.worker.data-dir=" + data,
                            "--coding-engine.worker.slots=1",
                            "--coding-engine.worker.uid-base=" + (64000 + 100 * index),
                            "--coding-engine.worker.cgroup-name=coding-engine-nothing-lost-" + id,
                            "--coding-engine.worker.receive-wait=500ms",
                            "--coding-engine.worker.max-delivery-count=" + MAX_DELIVERY_COUNT,
                            "--coding-engine.worker.fault-injection.crash-on-participant=" + CRASH_PARTICIPANT)));
            workers.put(id, w);
        }
        for (String id : ids) {
            TestProcess w = workers.get(id);
            JudgeClient.awaitReady(w, Duration.ofSeconds(60), () -> w.printedSinceStart("worker consuming with"));
        }
    }

    private static String logs() {
        return system.logs();
    }

    /**
     * DONE, with the expected verdict, no earlier verdict, and no second judging of the same
     * round by any worker (a worker logs each verdict it stores and each one it drops).
     */
    private static void assertOneVerdict(JsonNode view, String verdict) {
        String id = view.get("id").asString();
        assertEquals("DONE", view.get("status").asString(), view.toString());
        assertEquals(verdict, view.get("verdict").asString(), view + "\n" + logs());
        assertEquals(0, view.get("history").size(), view.toString());
        String workerLogs = system.latestByName().stream()
                .filter(p -> p.name().startsWith("w"))
                .map(TestProcess::output)
                .collect(Collectors.joining("\n"));
        assertTrue(JudgeClient.count(workerLogs, "judged " + id) <= 1, "judged at most once\n" + logs());
        assertEquals(0, JudgeClient.count(workerLogs, id + " round 0 was judged by another delivery first"), logs());
    }
}
