package io.codingengine.api.judge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.InProcessWorker;
import io.codingengine.api.PostgresSettings;
import io.codingengine.api.access.TestKeys;
import io.codingengine.common.json.Json;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.problem.Problem;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.problem.StatementFile;
import io.codingengine.common.problem.UnixZip;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.store.PostgresExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Importing hostile packages through {@code PUT /api/v1/problems/{id}}, the real api (embedded
 * broker, PostgreSQL stores) and a real worker: a picture that is secret test data, statements
 * that would blow up the heap, and accepted submissions that never end. Each answers with a clear
 * status within its bound, and the rest of the engine goes on serving.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"coding-engine.execution=queue", "coding-engine.broker-port=0"})
class PackageImportTest {

    private static final PostgresExtension.Database DATABASE = PostgresExtension.newDatabase("PackageImportTest");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static InProcessWorker worker;

    @LocalServerPort
    int port;

    @Autowired
    ProblemStore problems;

    @Autowired
    MeterRegistry metrics;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "coding-engine.data-dir",
                () -> InProcessWorker.tempDir("ce-api-import-").toString());
        PostgresSettings.register(registry, DATABASE);
        registry.add("coding-engine.access.admin-key-sha256", () -> TestKeys.ADMIN_SHA256);
    }

    @BeforeAll
    static void startWorker(@Autowired EmbeddedArtemisBroker broker, @Autowired MeterRegistry metrics) {
        worker = InProcessWorker.start(
                broker.url(), DATABASE.dataSource(), 69000, "coding-engine-api-import-test", metrics);
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    // ------------------------------------------------------------------ pictures

    @Test
    void aPictureLinkedToSecretDataIsRefusedAndNothingButPicturesIsServed() throws Exception {
        // the attack review's package: problem_statement/fig.png -> ../data/secret/1.ans
        HttpResponse<String> linked = importZip(
                "linked-" + suffix(),
                zip(base("Figure: ![fig](fig.png)\n")).link("problem_statement/fig.png", "../data/secret/1.ans"));
        assertEquals(400, linked.statusCode(), linked.body());
        assertEquals(
                "application/problem+json",
                linked.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(
                "statement picture problem_statement/fig.png is a link to data/secret/1.ans, outside the statement's"
                        + " directory problem_statement/: only files of that directory are shown to participants",
                detail(linked));

        HttpResponse<String> impostor = importZip(
                "impostor-" + suffix(),
                zip(base("![fig](fig.png)")).file("problem_statement/fig.png", "TOPSECRET_ANS\n"));
        assertEquals(400, impostor.statusCode(), impostor.body());
        assertTrue(detail(impostor).contains("is not image/png as its name says"), impostor.body());

        // a picture stored before the import checked them: not served, whatever its name
        String old = "old-" + suffix();
        byte[] secret = "TOPSECRET_ANS\n".getBytes(StandardCharsets.UTF_8);
        problems.save(new Problem(
                old,
                "Old",
                Duration.ofSeconds(1),
                64L << 20,
                1L << 20,
                CheckerSpec.Tokens.kattis(List.of()),
                List.of(new TestCase("sample/1", "1\n", "1\n", true)),
                List.of(),
                "![fig](statement/fig.png)",
                List.of(new StatementFile("fig.png", "image/png", sha256(secret), secret)),
                null));
        assertEquals(404, get("/api/v1/problems/" + old + "/statement/fig.png").statusCode());

        // an SVG is served as one, never to run: no sniffing, a sandbox, a download when opened
        String svg = "svg-" + suffix();
        assertEquals(
                201,
                importZip(
                                svg,
                                zip(base("![s](s.svg)"))
                                        .file(
                                                "problem_statement/s.svg",
                                                "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"))
                        .statusCode());
        HttpResponse<String> served = get("/api/v1/problems/" + svg + "/statement/s.svg");
        assertEquals(200, served.statusCode());
        assertEquals(
                "image/svg+xml", served.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(
                "nosniff", served.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertTrue(served.headers()
                .firstValue("Content-Security-Policy")
                .orElseThrow()
                .contains("sandbox"));
        assertEquals(
                "attachment; filename=\"s.svg\"",
                served.headers().firstValue("Content-Disposition").orElseThrow());
    }

    // ------------------------------------------------------------------ statements' size

    @Test
    void statementsAreBoundedBeforeTheyAreBuilt() throws Exception {
        // a 1 KB zip whose tabular is 10^10 cells once padded: imported, cut, with a note
        String tex = "\\begin{tabular}{c}\n" + "&".repeat(100_000) + "x\\\\\n" + "x\\\\".repeat(100_000)
                + "\n\\end{tabular}\n";
        Map<String, String> latex = base(null);
        latex.put("problem_statement/problem.en.tex", tex);
        long started = System.nanoTime();
        HttpResponse<String> table = importZip("table-" + suffix(), zip(latex));
        assertEquals(201, table.statusCode(), table.body());
        String statement = Json.mapper().readTree(table.body()).get("statement").asString();
        assertTrue(
                statement.length() <= Problem.MAX_STATEMENT_CHARS
                        && statement.endsWith("longer than a statement may be.)*\n"),
                statement.substring(statement.length() - 100));
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(30).toNanos());

        // constants: a 200 KB constant 20 000 times, and 20 KB 2000 times (40 MB on every contest page)
        for (int[] sizes : new int[][] {{200_000, 20_000}, {20_000, 2000}}) {
            Map<String, String> files = new LinkedHashMap<>(base(null));
            files.remove("problem_statement/problem.en.md");
            files.put(
                    "problem.yaml",
                    "problem_format_version: 2023-07\nname: C\nlimits:\n  time_limit: 1\nconstants:\n  c: "
                            + "x".repeat(sizes[0]) + "\n");
            files.put("statement/problem.en.md", "{{c}}".repeat(sizes[1]));
            HttpResponse<String> constants = importZip("const-" + suffix(), zip(files));
            assertEquals(400, constants.statusCode(), constants.body());
            assertEquals(
                    "with its constants substituted, statement/problem.en.md would be longer than 1048576 characters",
                    detail(constants));
        }

        // Markdown as written: at most what a statement may be, and a contest's page carries it
        HttpResponse<String> longer =
                importZip("long-" + suffix(), zip(base("x".repeat(Problem.MAX_STATEMENT_CHARS + 1))));
        assertEquals(400, longer.statusCode(), longer.body());
        assertTrue(detail(longer).endsWith("a statement may be at most 1048576"), detail(longer));
        String longest = "longest-" + suffix();
        assertEquals(
                201,
                importZip(longest, zip(base("x".repeat(Problem.MAX_STATEMENT_CHARS))))
                        .statusCode());
        String contest = "bounded-" + suffix();
        Instant now = Instant.now();
        HttpResponse<String> put = send(
                "PUT",
                "/api/v1/admin/contests/" + contest,
                Json.write(Map.of(
                        "title",
                        "Bounded",
                        "problemIds",
                        List.of(longest),
                        "start",
                        now.minus(1, ChronoUnit.HOURS).toString(),
                        "end",
                        now.plus(1, ChronoUnit.HOURS).toString(),
                        "scoring",
                        "ICPC",
                        "invitations",
                        List.of())));
        assertEquals(200, put.statusCode(), put.body());
        HttpResponse<String> page = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/contests/" + contest)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(
                page.body().length() < Problem.MAX_STATEMENT_CHARS + 64 * 1024,
                "page of " + page.body().length());
    }

    // ------------------------------------------------------------------ time limits from accepted submissions

    @Test
    void aCalibrationThatNeverEndsIsBoundedAndStarvesNothing() throws Exception {
        assertTrue(
                TimeLimitCalibration.worstCall(TimeLimitCalibration.MAX_TESTS_PER_CALL)
                                .compareTo(TimeLimitCalibration.BUDGET)
                        < 0,
                "a call of the most tests fits in the budget");
        // the attack review's package: no time limit, 16 tests, an accepted submission that sleeps
        Map<String, String> files = base("Sleeps.");
        files.put("problem.yaml", "name: Slow\n");
        for (int i = 0; i < 15; i++) {
            files.put("data/secret/%02d.in".formatted(i), i + "\n");
            files.put("data/secret/%02d.ans".formatted(i), i + "\n");
        }
        files.put("submissions/accepted/sleepy.py", "import time\ntime.sleep(1000)\n");
        byte[] slow = bytes(zip(files));
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> first =
                HTTP.sendAsync(importRequest("slow-" + suffix(), slow), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> busySlots() > 0); // its first call runs

        // a second import that needs its limit computed: not now, and when to try again
        HttpResponse<String> second =
                HTTP.send(importRequest("slow-" + suffix(), slow), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, second.statusCode(), second.body());
        assertTrue(detail(second).startsWith("another import is computing its time limit"), second.body());
        long retryAfter =
                Long.parseLong(second.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(
                retryAfter >= 1 && retryAfter <= TimeLimitCalibration.BUDGET.toSeconds() + 1,
                "Retry-After " + retryAfter);

        // meanwhile a Piston execute and a judging are served at once (the calibration waits behind them)
        long piston = System.nanoTime();
        HttpResponse<String> execute = send(
                "POST",
                "/api/v2/execute",
                "{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":\"print(42)\"}]}");
        assertEquals(200, execute.statusCode(), execute.body());
        assertEquals(
                "42\n",
                Json.mapper().readTree(execute.body()).get("run").get("stdout").asString());
        assertTrue(System.nanoTime() - piston < Duration.ofSeconds(10).toNanos(), "Piston waited behind the import");
        HttpResponse<String> submitted = send("POST", "/api/v1/submissions", """
                {"participant":"ada","language":"python","files":[{"content":"print(input())"}],
                 "tests":[{"name":"t","input":"1","expectedOutput":"1"}]}""");
        assertEquals(202, submitted.statusCode(), submitted.body());
        String ticket = Json.mapper().readTree(submitted.body()).get("ticket").asString();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> "DONE"
                        .equals(Json.mapper()
                                .readTree(get("/api/v1/submissions/" + ticket).body())
                                .get("status")
                                .asString()));

        // the import ends within the bound, as problemtools would: the package is refused, saying why
        HttpResponse<String> answer = first.get();
        assertEquals(400, answer.statusCode(), answer.body());
        assertEquals(
                "submissions/accepted/sleepy.py (accepted) did not finish sample/1 within 10 s of CPU time (12 s of"
                        + " wall time) at import, to compute the time limit; problemtools fails a package whose accepted"
                        + " submission is too slow: give limits.time_limit in problem.yaml",
                detail(answer));
        assertTrue(
                System.nanoTime() - started
                        < TimeLimitCalibration.worstCall(1).plusSeconds(10).toNanos(),
                "took " + Duration.ofNanos(System.nanoTime() - started));
        await().atMost(Duration.ofSeconds(5)).until(() -> busySlots() == 0); // nothing runs on after it
        assertTrue(
                metrics.get("coding_engine_time_in_queue")
                                .tag("lane", "regrade")
                                .timer()
                                .count()
                        > 0,
                "its runs went on the regrade lane");
    }

    /**
     * An interactive package without a time limit: each accepted submission is judged with the
     * validator at import (the worker's interaction path), the slowest accepted one's CPU time
     * sets the limit, and one the validator rejects is left out and named.
     */
    @Test
    void anInteractivePackagesLimitComesFromItsAcceptedSubmissionsJudgedWithItsValidator() throws Exception {
        Map<String, String> files = base("Say the number back.");
        files.put("problem.yaml", "name: Echo\nvalidation: custom interactive\n");
        files.put("output_validators/echo/validate.py", """
                import sys
                secret = open(sys.argv[1]).read().strip()
                print(secret, flush=True)
                sys.exit(42 if sys.stdin.readline().strip() == secret else 43)
                """);
        // burns about 0.3 s of CPU on every test, then answers
        files.put(
                "submissions/accepted/busy.py",
                "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3:\n    pass\n"
                        + "print(input(), flush=True)\n");
        files.put("submissions/accepted/quick.py", "print(input(), flush=True)\n");
        files.put("submissions/accepted/wrong.py", "input()\nprint('no', flush=True)\n");
        String id = "echo-" + suffix();
        HttpResponse<String> imported = importZip(id, zip(files));
        assertEquals(201, imported.statusCode(), imported.body());
        JsonNode problem = Json.mapper().readTree(imported.body());
        assertEquals("INTERACTIVE", problem.get("checker").asString());
        String source = problem.get("timeLimitSource").asString();
        assertTrue(
                source.startsWith("from the accepted submissions: the slowest, submissions/accepted/busy.py"), source);
        assertTrue(source.contains("left out") && source.contains("submissions/accepted/wrong.py (WA on "), source);
        long limitMs = problems.get(id).orElseThrow().timeLimit().toMillis();
        assertTrue(limitMs >= 1000 && limitMs <= 5000, "busy.py's 0.3 s, times 5, in whole seconds: " + limitMs);
    }

    // ------------------------------------------------------------------ helpers

    /** A package with a sample and a secret test, a time limit, and {@code statement} as its Markdown (none if null). */
    private static Map<String, String> base(String statement) {
        Map<String, String> files = new LinkedHashMap<>(Map.of(
                "problem.yaml",
                "name: P\nlimits:\n  time_limit: 1\n",
                "data/sample/1.in",
                "1\n",
                "data/sample/1.ans",
                "1\n",
                "data/secret/1.in",
                "TOPSECRET_IN\n",
                "data/secret/1.ans",
                "TOPSECRET_ANS\n"));
        if (statement != null) {
            files.put("problem_statement/problem.en.md", statement);
        }
        return files;
    }

    private static UnixZip zip(Map<String, String> files) {
        return new UnixZip().files("", files);
    }

    private static byte[] bytes(UnixZip zip) throws IOException {
        Path file = Files.createTempFile("ce-import-test-", ".zip");
        try {
            return Files.readAllBytes(zip.write(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private HttpResponse<String> importZip(String id, UnixZip zip) throws Exception {
        return HTTP.send(importRequest(id, bytes(zip)), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest importRequest(String id, byte[] zip) {
        return HttpRequest.newBuilder(uri("/api/v1/problems/" + id))
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                .header("Content-Type", "application/zip")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(zip))
                .build();
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** What the worker runs now: the gauge it reports to the api's registry. */
    private double busySlots() {
        return metrics.get("coding_engine_worker_slots_busy").gauge().value();
    }

    private static String detail(HttpResponse<String> response) {
        JsonNode body = Json.mapper().readTree(response.body());
        return body.get("detail").asString();
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
