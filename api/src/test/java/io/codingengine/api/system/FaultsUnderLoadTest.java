package io.codingengine.api.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.access.TestKeys;
import io.codingengine.common.json.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Faults as production has them, each a SIGKILL, while clients keep submitting and polling: the
 * worker judging a submission, the database server (down for a while, then started again on its
 * data), and the api with its embedded broker (started again on its journal). Throughout, a
 * client thread submits a judge request every {@link #SUBMIT_EVERY} and another polls every
 * ticket it was given. At the end:
 * <ul>
 *   <li>every acknowledged ticket ({@code 202}) reaches {@code DONE} with its verdict, one verdict
 *       (no history), and has exactly one audit entry (counted in the database);</li>
 *   <li>no ticket went back: its status never went from {@code DONE} to another, nor from
 *       {@code RUNNING} to {@code QUEUED}, its verdict never changed once shown, and it never
 *       answered {@code 404} once acknowledged;</li>
 *   <li>no client got a {@code 500} (or any 5xx but {@code 503}); every {@code 503} carried
 *       {@code Retry-After}, and while the database was down the clients did get {@code 503}s.</li>
 * </ul>
 * Submissions the api stored but had not queued when it was killed (their client got no answer)
 * are judged too: the restarted api's sweeper sends them ({@code stuck-after} is short here).
 */
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
class FaultsUnderLoadTest {

    private static final String PREFIX = "fl" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration SUBMIT_EVERY = Duration.ofMillis(700);
    private static final Duration DATABASE_DOWN = Duration.ofSeconds(8);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static SystemProcesses system;
    private static JudgeClient judge;
    private static int httpPort;
    private static TestProcess database;
    private static TestProcess api;
    private static final Map<String, TestProcess> workers = new LinkedHashMap<>();

    /** Acknowledged tickets, in the order of their 202. */
    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    /** Every answer a client got that breaks the rules above, with what was asked. */
    private final List<String> violations = new CopyOnWriteArrayList<>();
    /** Per ticket, what a poll last saw: status rank and verdict. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicInteger unreachable = new AtomicInteger();
    private final AtomicBoolean databaseDown = new AtomicBoolean();
    private final AtomicInteger unavailableWhileDatabaseDown = new AtomicInteger();
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private final AtomicBoolean polling = new AtomicBoolean(true);

    private record Seen(int rank, String verdict) {}

    @BeforeAll
    static void startSystem() throws IOException {
        system = new SystemProcesses(Path.of("target", "faults-under-load", PREFIX));
        Path dir = system.dir();
        httpPort = TestProcess.freePort();
        int brokerPort = TestProcess.freePort();
        judge = new JudgeClient(httpPort, FaultsUnderLoadTest::logs);
        database = system.startDatabase();
        api = system.track(TestProcess.java(
                "api",
                dir,
                "io.codingengine.api.CodingEngineApi",
                List.of(
                        "--server.port=" + httpPort,
                        "--coding-engine.broker-port=" + brokerPort,
                        "--coding-engine.execution=queue",
                        "--coding-engine.data-dir=" + Files.createDirectories(dir.resolve("api-data")),
                        "--spring.datasource.url=" + system.jdbcUrl(),
                        "--spring.datasource.username=postgres",
                        // Requests fail fast (503) while the database is down, rather than wait 30 s for a connection.
                        "--spring.datasource.hikari.connection-timeout=2000",
                        "--coding-engine.access.admin-key-sha256=" + TestKeys.ADMIN_SHA256,
                        "--coding-engine.limits.max-waiting=1000",
                        "--coding-engine.limits.submissions-per-minute=100000",
                        "--coding-engine.sweeper.stuck-after=20s",
                        "--coding-engine.sweeper.interval=2s")));
        judge.awaitUp(api);
        for (String id : List.of("w1", "w2")) {
            int index = Integer.parseInt(id.substring(1));
            workers.put(
                    id,
                    system.track(TestProcess.java(
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
                                    "--coding-engine.worker.data-dir="
                                            + Files.createDirectories(dir.resolve(id + "-data")),
                                    "--coding-engine.worker.slots=1",
                                    "--coding-engine.worker.uid-base=" + (65000 + 100 * index),
                                    "--coding-engine.worker.cgroup-name=coding-engine-faults-" + id,
                                    "--coding-engine.worker.receive-wait=500ms",
                                    "--coding-engine.worker.heartbeat=2s"))));
        }
        workers.values().forEach(FaultsUnderLoadTest::awaitConsuming);
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.stopAll();
        }
    }

    @Test
    void acknowledgedSubmissionsSurviveSigkillsOfAWorkerTheDatabaseAndTheApi() throws Exception {
        Thread submitter = Thread.ofPlatform().name("submitter").start(this::submitLoop);
        Thread poller = Thread.ofPlatform().name("poller").start(this::pollLoop);
        try {
            awaitAcknowledged(5);

            // 1. A worker SIGKILLed while it judges; started again, as its supervisor would.
            String slow = judge.submit(JudgeClient.SLOW.formatted("slow-victim"));
            acknowledged.add(slow);
            judge.awaitLog(
                    "a worker starts judging " + slow,
                    () -> workers.values().stream().anyMatch(w -> w.logContains("judging " + slow)));
            TestProcess victim = workers.values().stream()
                    .filter(w -> w.logContains("judging " + slow))
                    .findFirst()
                    .orElseThrow();
            victim.kill();
            awaitAcknowledged(acknowledged.size() + 3);
            victim.restart();
            awaitConsuming(victim);

            // 2. The database server SIGKILLed, down for a while, then started again on its data.
            awaitAcknowledged(acknowledged.size() + 3);
            databaseDown.set(true);
            database.kill();
            Thread.sleep(DATABASE_DOWN);
            database.restart();
            system.awaitDatabase(database);
            databaseDown.set(false);
            awaitAcknowledged(acknowledged.size() + 3);

            // 3. The api, with its embedded broker, SIGKILLed and started again on its journal.
            api.kill();
            Thread.sleep(2000);
            api.restart();
            judge.awaitUp(api);
            awaitAcknowledged(acknowledged.size() + 5);
        } finally {
            loading.set(false);
            submitter.join();
        }

        try {
            for (String id : acknowledged) {
                JsonNode done = judge.awaitDone(id);
                assertEquals("AC", done.get("verdict").asString(), done + "\n" + logs());
                assertEquals(0, done.get("history").size(), "one verdict: " + done);
            }
        } finally {
            polling.set(false);
            poller.join();
        }
        pollOnce(); // every ticket once more, now that all are done

        Map<String, Integer> audited = auditEntriesPerRound();
        List<String> notOnce = acknowledged.stream()
                .filter(id -> audited.getOrDefault(id + "/0", 0) != 1)
                .map(id -> id + "=" + audited.getOrDefault(id + "/0", 0))
                .toList();
        assertTrue(notOnce.isEmpty(), "exactly one audit entry per judged round, not: " + notOnce + "\n" + logs());
        assertTrue(audited.keySet().stream().noneMatch(k -> !k.endsWith("/0")), "only round 0 was judged: " + audited);
        // Stored by an api killed before it answered, never acknowledged: judged and audited all the same.
        List<String> unanswered = submissionsNotIn(acknowledged);
        for (String id : unanswered) {
            assertEquals("AC", judge.awaitDone(id).get("verdict").asString());
        }
        Map<String, Integer> auditedAtLast = auditEntriesPerRound();
        assertTrue(
                unanswered.stream().allMatch(id -> auditedAtLast.getOrDefault(id + "/0", 0) == 1),
                unanswered + " " + auditedAtLast);

        assertTrue(
                violations.isEmpty(),
                violations.size() + " violations:\n"
                        + violations.stream().limit(20).collect(Collectors.joining("\n")) + "\n" + logs());
        assertTrue(
                unavailableWhileDatabaseDown.get() > 0,
                "the clients met the database's outage (503s while it was down): " + unavailable + " 503s in all");
        System.out.printf(
                "faults under load: %d acknowledged, %d stored unanswered, %d answered 503, %d unreachable%n",
                acknowledged.size(), unanswered.size(), unavailable.get(), unreachable.get());
    }

    // ---- the clients ----

    private void submitLoop() {
        int n = 0;
        while (loading.get()) {
            String participant = "load-" + n++;
            Optional<HttpResponse<String>> r = send(
                    HttpRequest.newBuilder(judge.uri("/api/v1/submissions"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                            .POST(HttpRequest.BodyPublishers.ofString(JudgeClient.FAST.formatted(participant))),
                    "submit " + participant);
            if (r.isPresent() && r.get().statusCode() == 202) {
                acknowledged.add(
                        Json.mapper().readTree(r.get().body()).get("ticket").asString());
            } else if (r.isPresent() && r.get().statusCode() != 503) {
                violations.add("submit " + participant + ": " + r.get().statusCode() + " "
                        + r.get().body());
            }
            sleep(SUBMIT_EVERY);
        }
    }

    private void pollLoop() {
        while (polling.get()) {
            pollOnce();
            sleep(Duration.ofMillis(300));
        }
    }

    /** Polls every acknowledged ticket not seen DONE, and those seen DONE too (they must stay so). */
    private void pollOnce() {
        for (String id : List.copyOf(acknowledged)) {
            Optional<HttpResponse<String>> r = send(judge.get("/api/v1/submissions/" + id), "poll " + id);
            if (r.isEmpty() || r.get().statusCode() == 503) {
                continue;
            }
            if (r.get().statusCode() != 200) {
                violations.add("poll " + id + " (acknowledged): " + r.get().statusCode() + " "
                        + r.get().body());
                continue;
            }
            JsonNode view = Json.mapper().readTree(r.get().body());
            String status = view.get("status").asString();
            int rank = switch (status) {
                case "QUEUED" -> 0;
                case "RUNNING" -> 1;
                case "DONE" -> 2;
                default -> -1;
            };
            if (rank < 0) {
                violations.add(id + ": status " + status);
                continue;
            }
            String verdict = view.hasNonNull("verdict") ? view.get("verdict").asString() : null;
            Seen now = new Seen(rank, verdict);
            Seen before = seen.put(id, now);
            if (before != null
                    && (now.rank() < before.rank()
                            || (before.verdict() != null && !before.verdict().equals(now.verdict())))) {
                violations.add(id + " went back: " + before + " then " + now);
            }
        }
    }

    /**
     * Sends; a 5xx other than 503, or a 503 without {@code Retry-After}, is a violation. An api
     * that is down (connection refused or reset) is empty.
     */
    private Optional<HttpResponse<String>> send(HttpRequest.Builder request, String what) {
        HttpResponse<String> r;
        try {
            r = HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            unreachable.incrementAndGet();
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (r.statusCode() == 503) {
            unavailable.incrementAndGet();
            if (databaseDown.get()) {
                unavailableWhileDatabaseDown.incrementAndGet();
            }
            if (r.headers().firstValue("Retry-After").isEmpty()) {
                violations.add(what + ": 503 without Retry-After " + r.body());
            }
        } else if (r.statusCode() >= 500) {
            violations.add(what + ": " + r.statusCode() + " " + r.body());
        }
        return Optional.of(r);
    }

    private void awaitAcknowledged(int count) {
        judge.awaitLog(
                count + " acknowledged submissions (" + acknowledged.size() + " so far)",
                () -> acknowledged.size() >= count);
    }

    // ---- the database, read directly ----

    /** Audit entries of kind JUDGE per "submission/round". */
    private static Map<String, Integer> auditEntriesPerRound() throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection c = DriverManager.getConnection(system.jdbcUrl(), "postgres", "");
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(
                        "SELECT submission_id, round, count(*) FROM audit_entries WHERE kind = 'JUDGE' GROUP BY 1, 2")) {
            while (rows.next()) {
                counts.put(rows.getString(1) + "/" + rows.getLong(2), rows.getInt(3));
            }
        }
        return counts;
    }

    /** The stored submissions that no client was given a ticket for. */
    private static List<String> submissionsNotIn(List<String> tickets) throws SQLException {
        List<String> others = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(system.jdbcUrl(), "postgres", "");
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT id FROM submissions")) {
            while (rows.next()) {
                if (!tickets.contains(rows.getString(1))) {
                    others.add(rows.getString(1));
                }
            }
        }
        return others;
    }

    // ---- the processes ----

    private static void awaitConsuming(TestProcess worker) {
        JudgeClient.awaitReady(worker, Duration.ofSeconds(60), () -> worker.printedSinceStart("worker consuming with"));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String logs() {
        return system.logs();
    }
}
