package io.codingengine.api.system;

import io.codingengine.api.access.TestKeys;
import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.DeadLetter;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.store.PostgresExtension;
import io.codingengine.common.json.Json;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Three tests of 2 s each (the run limit is 3 s per test): about 6 s of judging to break into. */
    private static final String SLOW = """
            {"participant":"%s","language":"python","files":[{"content":"import time\\ntime.sleep(2)\\nprint(int(input()) * 2)"}],
             "tests":[{"name":"a","input":"1\\n","expectedOutput":"2\\n","visible":true},
                      {"name":"b","input":"2\\n","expectedOutput":"4\\n","visible":true},
                      {"name":"c","input":"3\\n","expectedOutput":"6\\n","visible":true}]}""";
    private static final String FAST = """
            {"participant":"%s","language":"python","files":[{"content":"print(int(input()) + 1)"}],
             "tests":[{"name":"a","input":"41\\n","expectedOutput":"42\\n","visible":true}]}""";

    private static Path dir;
    private static int httpPort;
    private static int brokerPort;
    private static PostgresExtension.Server cluster;
    private static TestProcess database;
    private static TestProcess api;
    private static final Map<String, TestProcess> workers = new LinkedHashMap<>();
    private static final List<TestProcess> all = new ArrayList<>();

    @BeforeAll
    static void startSystem() throws IOException {
        dir = Files.createDirectories(Path.of("target", "nothing-lost", PREFIX)).toAbsolutePath();
        httpPort = TestProcess.freePort();
        brokerPort = TestProcess.freePort();
        // PostgreSQL's own durable settings (fsync on), in a cluster of this test.
        cluster = PostgresExtension.newCluster();
        database = track(TestProcess.start("postgres", dir, cluster.foregroundCommand()));
        awaitReady(database, Duration.ofSeconds(30), NothingLostTest::databaseAnswers);
        Path apiData = Files.createDirectories(dir.resolve("api-data"));
        api = track(TestProcess.java("api", dir, "io.codingengine.api.CodingEngineApi", List.of(
                "--server.port=" + httpPort, "--coding-engine.broker-port=" + brokerPort,
                "--coding-engine.execution=queue", "--coding-engine.data-dir=" + apiData,
                "--spring.datasource.url=" + cluster.jdbcUrl("postgres"),
                "--spring.datasource.username=postgres",
                // Fail fast while the database is down, so that the retries show in the logs.
                "--spring.datasource.hikari.connection-timeout=2000",
                "--coding-engine.access.admin-key-sha256=" + TestKeys.ADMIN_SHA256,
                // this test queues many submissions with no worker: the waiting limit is not what it checks
                "--coding-engine.limits.max-waiting=1000", "--coding-engine.limits.submissions-per-minute=100000")));
        awaitApi();
        startWorkers("w1", "w2");
    }

    @AfterAll
    static void stopSystem() {
        // Workers first (they hold sandboxes), then the api, then the store.
        List<TestProcess> order = new ArrayList<>(all);
        java.util.Collections.reverse(order);
        for (TestProcess p : order) {
            try {
                p.stop();
            } catch (RuntimeException e) {
                System.err.println("cannot stop " + p.name() + ": " + e);
            }
        }
        unmountLeftovers();
        if (cluster != null) {
            cluster.stop();
        }
    }

    /** A SIGKILLed worker cannot unmount its boxes (tmpfs, network namespace); the host keeps no trace of the test. */
    private static void unmountLeftovers() {
        if (dir == null) {
            return;
        }
        try {
            List<String> mounts = Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .map(line -> line.split(" ")[1]).filter(m -> m.startsWith(dir.toString()))
                    .sorted(java.util.Comparator.reverseOrder()).toList();
            for (String m : mounts) {
                new ProcessBuilder("umount", "-l", m).inheritIO().start().waitFor();
            }
        } catch (IOException e) {
            System.err.println("cannot unmount what the workers left under " + dir + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Order(1)
    void aWorkerKilledMidRunIsReplacedByTheOther() {
        String id = submit(SLOW.formatted("sigkill"));
        awaitLog("a worker starts judging " + id, () -> workers.values().stream().anyMatch(w -> w.logContains("judging " + id)));
        TestProcess victim = workers.values().stream().filter(w -> w.logContains("judging " + id)).findFirst().orElseThrow();
        String survivor = workers.keySet().stream().filter(k -> !k.equals(victim.name())).findFirst().orElseThrow();
        assertEquals("RUNNING", view(id).get("status").asString(), logs());
        victim.kill();

        JsonNode done = awaitDone(id);
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
        List<String> ids = Stream.of("restart-1", "restart-2", "restart-3").map(p -> submit(FAST.formatted(p))).toList();
        ids.forEach(id -> assertEquals("QUEUED", view(id).get("status").asString()));

        api.stop();
        api.restart();
        awaitApi();
        ids.forEach(id -> assertEquals("QUEUED", view(id).get("status").asString(), "nothing judged it yet"));
        startWorkers("w1");

        for (String id : ids) {
            assertOneVerdict(awaitDone(id), "AC");
        }
    }

    @Test
    @Order(3)
    void aDatabaseCrashWhileJudgingLosesNothingAndIsRetriedInPlace() {
        TestProcess worker = workers.values().iterator().next();
        String id = submit(SLOW.formatted("outage"));
        awaitLog(worker.name() + " starts judging " + id, () -> worker.logContains("judging " + id));
        // Acknowledged while the only worker is busy: they are in the database alone.
        List<String> queued = Stream.of("crash-1", "crash-2").map(p -> submit(FAST.formatted(p))).toList();
        database.kill();
        // The judging ends while the store is down: the verdict's write fails and is retried.
        awaitLog(worker.name() + " retries storing the verdict of " + id,
                () -> worker.logContains("store the verdict of " + id + " failed, retrying"));
        database.restart();
        awaitReady(database, Duration.ofSeconds(30), NothingLostTest::databaseAnswers);

        JsonNode done = awaitDone(id);
        assertOneVerdict(done, "AC");
        assertEquals(1, done.get("attempt").asInt(), "retried in place, not redelivered: " + done);
        for (String acknowledged : queued) {
            assertOneVerdict(awaitDone(acknowledged), "AC");
        }
    }

    @Test
    @Order(4)
    void aSubmissionThatCrashesEveryWorkerIsDeadLettered() throws Exception {
        TestProcess worker = workers.values().iterator().next();
        String id = submit(FAST.formatted(CRASH_PARTICIPANT));
        // Deliveries 1 .. max-1 each halt the worker; it is restarted as an orchestrator would.
        for (int crash = 1; crash < MAX_DELIVERY_COUNT; crash++) {
            awaitLog("crash " + crash + " of " + worker.name(), () -> !worker.isAlive());
            assertEquals(70, worker.exitValue(), "halted by the fault injection\n" + worker.tail());
            assertEquals("RUNNING", view(id).get("status").asString(), "marked running before the crash");
            worker.restart();
            awaitReady(worker, Duration.ofSeconds(60), () -> worker.printedSinceStart("worker consuming with"));
        }

        JsonNode done = awaitDone(id);
        assertOneVerdict(done, "IE");
        assertEquals(MAX_DELIVERY_COUNT, done.get("attempt").asInt(), done.toString());
        assertTrue(done.get("compileOutput").asString().contains("delivered " + (MAX_DELIVERY_COUNT - 1) + " times without a verdict"),
                "the reason is given: " + done);
        assertTrue(worker.isAlive(), "the last delivery did not crash it\n" + worker.tail());
        try (ArtemisSubmissionQueue queue = ArtemisSubmissionQueue.connect("tcp://127.0.0.1:" + brokerPort)) {
            // The worker stores the IE verdict first, then dead-letters the message.
            // The api sends round r of a submission as message "<id>-<r>".
            Callable<List<DeadLetter>> deadLetters = () -> queue.deadLetters(Lane.CONTEST, 100).stream()
                    .filter(d -> d.messageId().equals(id + "-0")).toList();
            awaitLog("the dead letter of " + id, () -> !deadLetters.call().isEmpty());
            List<DeadLetter> dead = deadLetters.call();
            assertEquals(1, dead.size(), "dead-lettered once: " + dead);
            assertTrue(dead.getFirst().reason().contains("crashed a worker"), dead.toString());
        }
    }

    // ---- the processes ----

    /** Whether the database takes queries (it takes connections a moment before, while it recovers). */
    private static boolean databaseAnswers() {
        try (Connection connection = DriverManager.getConnection(cluster.jdbcUrl("postgres"), "postgres", "");
             Statement statement = connection.createStatement()) {
            return statement.execute("SELECT 1");
        } catch (SQLException e) {
            return false;
        }
    }

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
            TestProcess w = track(TestProcess.java(id, dir, "io.codingengine.worker.WorkerApplication", List.of(
                    "--spring.main.web-application-type=none",
                    "--coding-engine.worker.id=" + id,
                    "--coding-engine.worker.broker-url=tcp://127.0.0.1:" + brokerPort,
                    "--spring.datasource.url=" + cluster.jdbcUrl("postgres"),
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
            awaitReady(w, Duration.ofSeconds(60), () -> w.printedSinceStart("worker consuming with"));
        }
    }

    private static TestProcess track(TestProcess p) {
        all.add(p);
        // Should the test JVM itself be stopped, the processes it started go with it.
        Runtime.getRuntime().addShutdownHook(new Thread(p::stop, "stop-" + p.name()));
        return p;
    }

    private static void awaitApi() {
        awaitReady(api, Duration.ofSeconds(60), () -> {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/")).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        });
    }

    private static void awaitReady(TestProcess p, Duration atMost, Callable<Boolean> ready) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> !p.isAlive() || ready.call());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(p.name() + " not ready within " + atMost + "\n" + p.tail(), e);
        }
        if (!p.isAlive()) {
            throw new AssertionError(p.name() + " exited at start (code " + p.exitValue() + ")\n" + p.tail());
        }
    }

    private static void awaitLog(String what, Callable<Boolean> condition) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("waited in vain for: " + what + "\n" + logs(), e);
        }
    }

    /** One process per log file (restarted workers are new objects on the same log). */
    private static java.util.Collection<TestProcess> latestByName() {
        Map<String, TestProcess> byName = new LinkedHashMap<>();
        all.forEach(p -> byName.put(p.name(), p));
        return byName.values();
    }

    private static String logs() {
        return latestByName().stream().map(TestProcess::tail).collect(Collectors.joining("\n"));
    }

    // ---- the judge API ----

    private static String submit(String body) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/submissions"))
                .header("Content-Type", "application/json").header("Authorization", TestKeys.bearer(TestKeys.ADMIN)).POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(202, r.statusCode(), r.body() + "\n" + logs());
        return Json.mapper().readTree(r.body()).get("ticket").asString();
    }

    private static JsonNode view(String id) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/submissions/" + id))
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN)).GET());
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    /** Waits for DONE; the api may answer errors meanwhile (its store is down in one scenario). */
    private static JsonNode awaitDone(String id) {
        try {
            return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> view(id), v -> "DONE".equals(v.get("status").asString()));
        } catch (ConditionTimeoutException e) {
            String last;
            try {
                last = view(id).toString();
            } catch (RuntimeException | AssertionError ex) {
                last = ex.toString();
            }
            throw new AssertionError(id + " is not DONE, last seen: " + last + "\n" + logs(), e);
        }
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
        String workerLogs = latestByName().stream().filter(p -> p.name().startsWith("w"))
                .map(TestProcess::output).collect(Collectors.joining("\n"));
        assertTrue(count(workerLogs, "judged " + id) <= 1, "judged at most once\n" + logs());
        assertEquals(0, count(workerLogs, id + " round 0 was judged by another delivery first"), logs());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }
}
