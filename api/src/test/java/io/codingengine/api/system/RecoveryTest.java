package io.codingengine.api.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.access.TestKeys;
import io.codingengine.common.json.Json;
import io.codingengine.common.queue.HostAddress;
import io.codingengine.worker.WorkerApplication;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * What {@link NothingLostTest} does not break, on the engine spread as it would be over several
 * hosts: one PostgreSQL, the api whose broker listens beyond loopback with a user and password,
 * and two workers with settings of their own that log in to it.
 * <ol>
 *   <li>both workers judge from the one database and broker, and their metrics listen on loopback only;</li>
 *   <li>a worker killed between storing a verdict and writing its audit entry: the next delivery
 *       writes the entry, once;</li>
 *   <li>a worker whose sandbox fails takes no more work and reports itself not ready until its
 *       sandbox passes a probe: the submission is judged by the other worker;</li>
 *   <li>the api SIGKILLed between storing a submission and queueing it: the sweeper of the
 *       restarted api sends it, and it is judged once.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class RecoveryTest {

    private static final String PREFIX = "rc" + UUID.randomUUID().toString().substring(0, 8);
    private static final String BROKER_USER = "engine";
    private static final String BROKER_PASSWORD = UUID.randomUUID().toString();
    private static final String AUDIT_GAP = "audit-gap";
    private static final String STALLED = "stalled";
    private static SystemProcesses system;
    private static Path dir;
    /** Where other hosts would reach this one: an address that is not loopback, when it has one. */
    private static String hostAddress;

    private static int brokerPort;
    private static JudgeClient judge;
    private static TestProcess api;
    private static final Map<String, TestProcess> workers = new LinkedHashMap<>();
    private static final Map<String, Integer> metricsPorts = new LinkedHashMap<>();

    @BeforeAll
    static void startSystem() throws IOException {
        system = new SystemProcesses(Path.of("target", "recovery", PREFIX));
        dir = system.dir();
        hostAddress = HostAddress.nonLoopback().orElse("127.0.0.1");
        int httpPort = TestProcess.freePort();
        brokerPort = TestProcess.freePort();
        judge = new JudgeClient(httpPort, RecoveryTest::logs);
        system.startDatabase();
        api = system.track(TestProcess.java(
                "api",
                dir,
                "io.codingengine.api.CodingEngineApi",
                List.of(
                        "--server.port=" + httpPort,
                        "--coding-engine.execution=queue",
                        "--coding-engine.data-dir=" + Files.createDirectories(dir.resolve("api-data")),
                        // The broker as other hosts' workers reach it: every address, a user, a password.
                        "--coding-engine.broker-host=0.0.0.0",
                        "--coding-engine.broker-port=" + brokerPort,
                        "--coding-engine.broker-user=" + BROKER_USER,
                        "--coding-engine.broker-password=" + BROKER_PASSWORD,
                        "--spring.datasource.url=" + system.jdbcUrl(),
                        "--spring.datasource.username=postgres",
                        "--coding-engine.access.admin-key-sha256=" + TestKeys.ADMIN_SHA256,
                        "--coding-engine.limits.max-waiting=1000",
                        "--coding-engine.limits.submissions-per-minute=100000",
                        // Workers send a heartbeat every second while they judge: 4 s without one is a stall.
                        "--coding-engine.sweeper.stuck-after=4s",
                        "--coding-engine.sweeper.interval=1s",
                        "--coding-engine.fault-injection.pause-before-queueing=" + STALLED)));
        judge.awaitUp(api);
        // Two workers as two hosts would run them, each with settings of its own.
        startWorker("w1", List.of("--coding-engine.worker.recycle-after=1000"));
        startWorker(
                "w2",
                List.of(
                        "--coding-engine.worker.recycle-after=0",
                        "--coding-engine.worker.parallel-tests=1",
                        "--coding-engine.worker.interactive-slots=0"));
        for (TestProcess w : workers.values()) {
            awaitConsuming(w);
        }
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.stopAll();
        }
    }

    @Test
    @Order(1)
    void twoWorkersWithSettingsOfTheirOwnJudgeFromOneDatabaseAndOneBroker() throws Exception {
        // One judging slot each: while one worker runs the first, only the other can take the second.
        List<String> ids = Stream.of("share-1", "share-2")
                .map(p -> judge.submit(JudgeClient.SLOW.formatted(p)))
                .toList();
        Set<String> judgedBy = new HashSet<>();
        for (String id : ids) {
            JsonNode done = judge.awaitDone(id);
            assertEquals("AC", done.get("verdict").asString(), done + "\n" + logs());
            judgedBy.add(done.get("worker").asString());
            assertEquals(1, auditEntries(id).size(), "one audit entry");
        }
        assertEquals(Set.of("w1", "w2"), judgedBy, logs());

        for (var worker : metricsPorts.entrySet()) {
            HttpResponse<String> health = JudgeClient.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + worker.getValue() + "/actuator/health/readiness"))
                    .GET());
            assertEquals(200, health.statusCode(), worker.getKey() + ": " + health.body());
            if (!hostAddress.equals("127.0.0.1")) {
                assertThrows(
                        IOException.class,
                        () -> connect(hostAddress, worker.getValue()),
                        worker.getKey() + "'s metrics listen on loopback only");
            }
        }
    }

    @Test
    @Order(2)
    void aWorkerKilledBetweenItsVerdictAndItsAuditEntryLeavesTheEntryToTheNextDelivery() {
        String id = judge.submit(JudgeClient.FAST.formatted(AUDIT_GAP));
        judge.awaitLog(
                "the worker judging " + id + " halts",
                () -> workers.values().stream().anyMatch(w -> !w.isAlive()));
        TestProcess victim =
                workers.values().stream().filter(w -> !w.isAlive()).findFirst().orElseThrow();
        assertEquals(70, victim.exitValue(), victim.tail());
        TestProcess survivor = workers.values().stream()
                .filter(TestProcess::isAlive)
                .findFirst()
                .orElseThrow();

        JsonNode done = judge.awaitDone(id);
        assertEquals("AC", done.get("verdict").asString());
        assertEquals(victim.name(), done.get("worker").asString(), "the verdict is the victim's: " + done);
        judge.awaitLog(
                survivor.name() + " writes the missing entry",
                () -> survivor.logContains("audited " + id + " round 0 for " + victim.name()
                        + ", which stored the verdict without its audit entry"));
        List<JsonNode> entries = auditEntries(id);
        assertEquals(1, entries.size(), entries.toString());
        assertEquals("AC", entries.getFirst().get("verdict").asString());
        assertEquals(victim.name(), entries.getFirst().get("worker").asString(), "who judged it, not who audited it");
        assertEquals("unknown", entries.getFirst().get("session").asString());
        assertFalse(survivor.logContains("judged " + id), "the survivor did not judge it again");

        victim.restart();
        awaitConsuming(victim);
    }

    @Test
    @Order(3)
    void aWorkerWhoseSandboxFailsTakesNoWorkUntilItsSandboxPassesAProbe() throws Exception {
        TestProcess w1 = workers.get("w1");
        TestProcess w2 = workers.get("w2");
        w2.stop(); // w1 takes the submission
        Path helper = dir.resolve("w1-data").resolve("bin").resolve("ce-sandbox");
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(helper);
        String id;
        try {
            // Nobody may run the sandbox's helper, and its relay servers are gone: every run of w1 fails.
            Files.setPosixFilePermissions(helper, Set.of());
            List<ProcessHandle> relays = w1.handle()
                    .descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains(" serve "))
                    .toList();
            relays.forEach(ProcessHandle::destroyForcibly);
            id = judge.submit(JudgeClient.FAST.formatted("sandbox-fails"));
            judge.awaitLog(
                    "w1 finds its sandbox failing",
                    () -> w1.logContains("sandbox failure judging " + id + " round 0 attempt 1"));
            judge.awaitLog(
                    "w1 stops taking work",
                    () -> w1.logContains("this worker takes no work until its sandbox passes a probe"));
            HttpResponse<String> readiness = readiness("w1");
            assertEquals(503, readiness.statusCode(), readiness.body());
            assertTrue(readiness.body().contains("OUT_OF_SERVICE"), readiness.body());

            w2.restart();
            awaitConsuming(w2);
            JsonNode done = judge.awaitDone(id);
            assertEquals("AC", done.get("verdict").asString(), done + "\n" + logs());
            assertEquals("w2", done.get("worker").asString(), done.toString());
            assertEquals(2, done.get("attempt").asInt(), done.toString());
            assertFalse(w1.logContains("judging " + id + " round 0 attempt 2"), "w1 did not take it back");
        } finally {
            Files.setPosixFilePermissions(helper, before);
        }
        judge.awaitLog("w1's sandbox passes its probe", () -> w1.logContains("the sandbox passed its probe"));
        assertEquals(200, readiness("w1").statusCode(), "ready again");
    }

    @Test
    @Order(4)
    void anApiKilledBetweenStoringAndQueueingLeavesTheSubmissionToTheSweeper() throws Exception {
        // The api stores it, then (fault injection) waits before queueing it; it is killed there.
        var hanging = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                judge.submit(JudgeClient.FAST.formatted(STALLED));
            } catch (RuntimeException | AssertionError expected) {
                // the api dies under the request
            }
        });
        Pattern paused = Pattern.compile("fault injection: \\[([0-9a-f-]{36})\\] stored, pausing before queueing them");
        judge.awaitLog(
                "the api stores and pauses", () -> paused.matcher(api.output()).find());
        Matcher m = paused.matcher(api.output());
        assertTrue(m.find());
        String id = m.group(1);
        api.kill();
        hanging.join();
        // Read in the store, not through the restarted api: with a 4 s stuck-after, its sweeper may
        // send the round again and a worker judge it before the api answers a first request.
        assertEquals("QUEUED 0", statusAndAttempt(id), "stored, not judged");
        api.restart();
        judge.awaitUp(api);

        JsonNode done = judge.awaitDone(id);
        assertEquals("AC", done.get("verdict").asString());
        assertEquals(1, done.get("attempt").asInt(), done.toString());
        // The sweeper found it still QUEUED, unchanged since it was stored: no message had carried
        // it to a worker.
        assertTrue(
                api.logContains("sent " + id + " round 0 again: QUEUED (attempt 0) without a change since"),
                api.tail());
        String workerLogs = workers.values().stream().map(TestProcess::output).collect(Collectors.joining("\n"));
        assertEquals(1, JudgeClient.count(workerLogs, "judged " + id), "judged once\n" + logs());
        assertEquals(1, auditEntries(id).size());
    }

    // ---- the processes ----

    private static void startWorker(String id, List<String> own) throws IOException {
        int index = Integer.parseInt(id.substring(1));
        int metricsPort = TestProcess.freePort();
        List<String> args = new ArrayList<>(List.of(
                "--spring.config.location=file:" + workerProperties(),
                "--server.port=" + metricsPort,
                "--coding-engine.worker.id=" + id,
                "--coding-engine.worker.broker-url=tcp://" + hostAddress + ":" + brokerPort,
                "--coding-engine.worker.broker-user=" + BROKER_USER,
                "--coding-engine.worker.broker-password=" + BROKER_PASSWORD,
                "--spring.datasource.url=" + system.jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--coding-engine.worker.data-dir=" + Files.createDirectories(dir.resolve(id + "-data")),
                "--coding-engine.worker.slots=1",
                "--coding-engine.worker.uid-base=" + (63000 + 100 * index),
                "--coding-engine.worker.cgroup-name=coding-engine-recovery-" + id,
                "--coding-engine.worker.receive-wait=500ms",
                "--coding-engine.worker.heartbeat=1s",
                "--coding-engine.worker.sandbox-probe-interval=1s",
                "--coding-engine.worker.fault-injection.crash-after-verdict-of=" + AUDIT_GAP));
        args.addAll(own);
        workers.put(id, system.track(TestProcess.java(id, dir, "io.codingengine.worker.WorkerApplication", args)));
        metricsPorts.put(id, metricsPort);
    }

    /**
     * The worker's own {@code application.properties}, as its jar carries it: on the tests' class
     * path the api's comes first and hides it (metrics on loopback, the readiness group).
     */
    private static Path workerProperties() throws IOException {
        Path copy = dir.resolve("worker.properties");
        if (!Files.exists(copy)) {
            URI code = URI.create(WorkerApplication.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toString());
            URI own = code.toString().endsWith(".jar")
                    ? URI.create("jar:" + code + "!/application.properties")
                    : code.resolve("application.properties");
            try (var in = own.toURL().openStream()) {
                Files.copy(in, copy);
            }
        }
        return copy;
    }

    private static void awaitConsuming(TestProcess worker) {
        JudgeClient.awaitReady(worker, Duration.ofSeconds(60), () -> worker.printedSinceStart("worker consuming with"));
    }

    private static HttpResponse<String> readiness(String worker) {
        return JudgeClient.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + metricsPorts.get(worker) + "/actuator/health/readiness"))
                .GET());
    }

    /** The submission's status and attempt as the store has them, e.g. {@code QUEUED 0}. */
    private static String statusAndAttempt(String id) throws SQLException {
        try (Connection connection = DriverManager.getConnection(system.jdbcUrl(), "postgres", "");
                PreparedStatement query =
                        connection.prepareStatement("SELECT status, attempt FROM submissions WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "stored: " + id);
                return row.getString(1) + " " + row.getInt(2);
            }
        }
    }

    private static List<JsonNode> auditEntries(String id) {
        HttpResponse<String> r = JudgeClient.send(judge.get("/api/v1/admin/audit?kind=JUDGE&max=10000"));
        assertEquals(200, r.statusCode(), r.body());
        List<JsonNode> entries = new ArrayList<>();
        Json.mapper().readTree(r.body()).forEach(entries::add);
        return entries.stream()
                .filter(e -> e.get("submissionId").asString().equals(id))
                .toList();
    }

    private static void connect(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
        }
    }

    private static String logs() {
        return system.logs();
    }
}
