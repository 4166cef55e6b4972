package io.codingengine.api.judge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.InProcessWorker;
import io.codingengine.api.KattisZip;
import io.codingengine.api.PostgresSettings;
import io.codingengine.api.access.TestKeys;
import io.codingengine.common.json.Json;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.store.PostgresExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The whole pipeline in one JVM: the real api (embedded broker, PostgreSQL stores, queue-backed
 * execute) and a real worker (its own sandbox) draining the broker the api embeds.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=queue",
            "coding-engine.broker-port=0",
            "logging.structured.format.console=ecs"
        }) // JSON logs, as the azure profiles set them
class JudgePipelineTest {

    private static final PostgresExtension.Database DATABASE = PostgresExtension.newDatabase("JudgePipelineTest");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static InProcessWorker worker;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "coding-engine.data-dir",
                () -> InProcessWorker.tempDir("ce-api-pipeline-").toString());
        PostgresSettings.register(registry, DATABASE);
        registry.add("coding-engine.access.admin-key-sha256", () -> TestKeys.ADMIN_SHA256);
    }

    @BeforeAll
    static void startWorker(@Autowired EmbeddedArtemisBroker broker, @Autowired MeterRegistry metrics) {
        worker = InProcessWorker.start(
                broker.url(), DATABASE.dataSource(), 63000, "coding-engine-api-pipeline-test", metrics);
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    @Test
    void pistonExecuteGoesThroughTheQueue() throws Exception {
        JsonNode r = post("/api/v2/execute", """
                {"language":"python","version":"*","files":[{"content":"print(input()[::-1])"}],"stdin":"olleh"}""", 200);
        assertEquals("hello\n", r.get("run").get("stdout").asString());
        JsonNode bad = post("/api/v2/execute", """
                {"language":"python","version":"*","files":[{"name":"../x.py","content":"print(1)"}]}""", 400);
        assertTrue(bad.get("message").asString().contains("files[0].name"), bad.toString());
    }

    @Test
    void inlineSubmissionsAreJudgedAndPolled() throws Exception {
        String tests = """
                "tests":[{"name":"a","input":"2 3\\n","expectedOutput":"5\\n","visible":true},
                         {"name":"b","input":"10 -4\\n","expectedOutput":"6\\n","visible":false}]""";
        JsonNode ac = submitAndWait("""
                {"participant":"alice","language":"cpp","files":[{"name":"a.cpp","content":"#include <iostream>\\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<'\\\\n';}"}],%s}""".formatted(tests));
        assertEquals("AC", ac.get("verdict").asString(), ac.toString());
        assertEquals(100, ac.get("score").asInt());
        assertTrue(ac.get("tests").get(1).get("output").isNull(), "hidden test output stays hidden");
        JsonNode wa = submitAndWait("""
                {"participant":"bob","language":"python","files":[{"content":"a,b=map(int,input().split())\\nprint(a*b if a==10 else a+b)"}],%s}""".formatted(tests));
        assertEquals("WA", wa.get("verdict").asString());
        assertEquals("WA", wa.get("tests").get(1).get("verdict").asString());
        JsonNode ce = submitAndWait("""
                {"participant":"carol","language":"java","files":[{"content":"public class X { int x = ; }"}],%s}""".formatted(tests));
        assertEquals("CE", ce.get("verdict").asString());
        assertTrue(ce.get("compileOutput").asString().contains("error"), ce.toString());
    }

    /** After a judged submission: its audit entry (JSON and CSV) and the worker's and api's series. */
    @Test
    void auditAndMetricsAfterSubmissions() throws Exception {
        JsonNode done = submitAndWait("""
                {"participant":"erin","language":"javascript","files":[{"content":"console.log(2)"}],
                 "tests":[{"name":"t","input":"","expectedOutput":"2"}]}""");
        String id = done.get("id").asString();
        JsonNode entries = get("/api/v1/admin/audit?participant=erin", 200);
        JsonNode entry = entries.get(0);
        assertEquals(id, entry.get("submissionId").asString(), entries.toString());
        assertEquals("AC", entry.get("verdict").asString());
        assertEquals(InProcessWorker.WORKER_ID, entry.get("worker").asString());
        assertEquals(64, entry.get("sourceSha256").asString().length());
        assertFalse(entry.get("correlationId").isNull(), "the request's correlation id reached the worker");
        HttpResponse<String> csv = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/admin/audit?participant=erin"))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Accept", "text/csv")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(csv.body().startsWith("submissionId,round,participant"), csv.body());
        assertTrue(csv.body().contains("\"" + id + "\""), csv.body());
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(uri("/actuator/prometheus"))
                                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        for (String series : List.of(
                "coding_engine_executions_total{kind=\"judge\",language=\"javascript\",verdict=\"AC\"}",
                "coding_engine_judging_time_seconds{language=\"javascript\",quantile=\"0.99\"}",
                "coding_engine_run_cpu_time_seconds{language=\"javascript\",quantile=\"0.95\"}",
                "coding_engine_time_in_queue_seconds{lane=\"contest\",quantile=\"0.5\"}",
                "coding_engine_worker_slots_busy",
                "coding_engine_worker_slots",
                "coding_engine_sandbox_failures_total{kind=\"judge\"}",
                "coding_engine_sandbox_failures_total{kind=\"execute\"}",
                "coding_engine_queue_depth{lane=\"contest\"}",
                "coding_engine_queue_depth{lane=\"regrade\"}",
                "coding_engine_queue_depth{lane=\"interactive\"}",
                "coding_engine_dead_letters{lane=\"contest\"}",
                "coding_engine_dead_letters{lane=\"regrade\"}",
                "coding_engine_dead_letters{lane=\"interactive\"}",
                "http_server_requests_seconds_count",
                "http_server_requests_seconds_bucket")) {
            assertTrue(metrics.contains(series), series + " missing from /actuator/prometheus");
        }
        // the submit endpoint's latency as a histogram: histogram_quantile gives its p50/p95/p99
        List<String> submitBuckets = metrics.lines()
                .filter(l -> l.startsWith("http_server_requests_seconds_bucket{")
                        && l.contains("method=\"POST\"")
                        && l.contains("uri=\"/api/v1/submissions\""))
                .toList();
        assertTrue(
                submitBuckets.size() >= 10
                        && submitBuckets.stream().anyMatch(l -> l.contains("le=\"+Inf\"") && !l.endsWith(" 0")),
                "the submit latency histogram: " + submitBuckets);
    }

    /** JSON log lines, and the client's correlation id a field of the worker's lines about its submission. */
    @Test
    void jsonLogsCarryTheRequestsCorrelationIdIntoTheWorker(CapturedOutput output) throws Exception {
        HttpResponse<String> submitted = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/submissions"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("X-Correlation-Id", "corr-json-7")
                        .POST(HttpRequest.BodyPublishers.ofString("""
                        {"participant":"gil","language":"python","files":[{"content":"print(3)"}],
                         "tests":[{"name":"t","input":"","expectedOutput":"3"}]}"""))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, submitted.statusCode(), submitted.body());
        assertEquals(
                "corr-json-7",
                submitted.headers().firstValue("X-Correlation-Id").orElse(""));
        String id = Json.mapper().readTree(submitted.body()).get("ticket").asString();
        await().atMost(Duration.ofSeconds(90))
                .until(() -> get("/api/v1/submissions/" + id, 200)
                        .get("status")
                        .asString()
                        .equals("DONE"));
        List<JsonNode> workerLines = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> output.getOut()
                                .lines()
                                .filter(l -> l.startsWith("{") && l.contains(id))
                                .map(l -> Json.mapper().readTree(l))
                                .toList(),
                        lines -> lines.stream()
                                .anyMatch(l -> l.path("message").asString().startsWith("judged ")));
        for (JsonNode line : workerLines) {
            JsonNode correlation = line.findValue("correlationId");
            assertTrue(
                    correlation != null && correlation.asString().equals("corr-json-7"),
                    "no correlation id in " + line);
        }
        assertTrue(workerLines.size() >= 2, "the judging and judged lines: " + workerLines);
    }

    /**
     * {@code infra/grafana/coding-engine.json} parses, and every metric its PromQL uses is a
     * series of this api's scrape after some work (the in-process worker reports into it, as
     * each worker's own endpoint would).
     */
    @Test
    void theDashboardQueriesOnlySeriesTheEngineExposes() throws Exception {
        submitAndWait("""
                {"participant":"fay","language":"c","files":[{"content":"#include <stdio.h>\\nint main(void){puts(\\"1\\");}"}],
                 "tests":[{"name":"t","input":"","expectedOutput":"1"}]}""");
        post("/api/v2/execute", """
                {"language":"python","version":"*","files":[{"content":"print(1)"}]}""", 200);
        String scrape = HTTP.send(
                        HttpRequest.newBuilder(uri("/actuator/prometheus"))
                                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        java.util.Set<String> exposed = scrape.lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("[{ ]", 2)[0])
                .collect(java.util.stream.Collectors.toSet());
        JsonNode dashboard = Json.mapper()
                .readTree(java.nio.file.Files.readString(
                        java.nio.file.Path.of("..", "infra", "grafana", "coding-engine.json")));
        List<String> expressions = new java.util.ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                expressions.add(target.get("expr").asString());
            }
        }
        assertTrue(expressions.size() >= 14, "every panel has its query: " + expressions);
        java.util.Set<String> used = new java.util.TreeSet<>();
        for (String expr : expressions) {
            used.addAll(PromQl.metricNames(expr));
        }
        assertTrue(
                used.containsAll(List.of(
                        "coding_engine_compile_time_seconds",
                        "coding_engine_time_in_queue_seconds",
                        "http_server_requests_seconds_bucket")),
                "the parser finds the names: " + used);
        for (String name : used) {
            assertTrue(
                    exposed.contains(name), name + " is queried by the dashboard but not exposed; exposed: " + exposed);
        }
        assertTrue(
                scrape.contains("coding_engine_time_in_queue_seconds{lane=\"interactive\",quantile=\"0.95\"}"), scrape);
        assertTrue(scrape.contains("coding_engine_compile_time_seconds{language=\"c\",quantile=\"0.99\"}"), scrape);
        assertTrue(
                scrape.contains("coding_engine_run_wall_time_seconds{language=\"python\",quantile=\"0.5\"}"), scrape);
        assertTrue(
                scrape.contains("coding_engine_executions_total{kind=\"execute\",language=\"python\",verdict=\"OK\"}"),
                scrape);
    }

    /** Just enough PromQL to find the metric names of an expression. */
    static final class PromQl {

        private static final java.util.Set<String> WORDS = java.util.Set.of(
                "sum",
                "max",
                "min",
                "avg",
                "count",
                "rate",
                "irate",
                "increase",
                "histogram_quantile",
                "by",
                "without",
                "on",
                "ignoring",
                "group_left",
                "group_right",
                "and",
                "or",
                "unless",
                "topk",
                "bottomk",
                "quantile",
                "abs",
                "clamp_min",
                "clamp_max",
                "offset");

        static List<String> metricNames(String expr) {
            String bare = expr.replaceAll("\\{[^}]*}", " ") // label matchers
                    .replaceAll("\\[[^]]*]", " ") // range selectors
                    .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " "); // grouping labels
            List<String> names = new java.util.ArrayList<>();
            var m = java.util.regex.Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
            while (m.find()) {
                if (!WORDS.contains(m.group())) {
                    names.add(m.group());
                }
            }
            return names;
        }
    }

    @Test
    void badSubmissionsAreRefusedAsProblemDetails() throws Exception {
        JsonNode unknown = post("/api/v1/submissions", """
                {"participant":"x","language":"cobol","files":[{"content":"x"}],"tests":[{"name":"t","input":"","expectedOutput":""}]}""", 400);
        assertEquals("cobol-* runtime is unknown", unknown.get("detail").asString());
        assertEquals(400, unknown.get("status").asInt());
        post("/api/v1/submissions", "{not json", 400);
        JsonNode source = post("/api/v1/submissions", """
                {"participant":"x","language":"python","files":[{"content":"#%s"}],"tests":[{"name":"t","input":"","expectedOutput":""}]}""".formatted("x".repeat(1_100_000)), 413);
        assertEquals(
                "files must not exceed 1048576 bytes in total",
                source.get("detail").asString());
        post("/api/v1/submissions", """
                {"participant":"x","language":"python","files":[{"content":"print(1)"}],"problemId":"no-such-problem"}""", 404);
        JsonNode batch = post("/api/v1/submissions/batch", """
                [{"participant":"x","language":"python","files":[{"content":"print(1)"}],"tests":[{"name":"t","input":"","expectedOutput":"1"}]},
                 {"participant":"x","language":"python","files":[{"name":"/abs.py","content":"print(1)"}],"tests":[{"name":"t","input":"","expectedOutput":"1"}]}]""", 400);
        assertEquals(1, batch.get("index").asInt());
        get("/api/v1/submissions/" + UUID.randomUUID(), 404);
        JsonNode checker = post("/api/v1/submissions", """
                {"participant":"x","language":"python","files":[{"content":"print(1)"}],"tests":[{"name":"t","input":"","expectedOutput":"1"}],
                 "checker":{"type":"CUSTOM","language":"brainfuck","version":"*","files":[{"content":"+"}]}}""", 400);
        assertEquals("brainfuck-* runtime is unknown", checker.get("detail").asString());
    }

    /** Mistakes a fuzzing of the running api once answered with 500. */
    @Test
    void malformedRequestsAre4xxProblemDetailsNot500() throws Exception {
        String ok = """
                {"participant":"x","language":"python","files":[{"content":"print(1)"}],"tests":[{"name":"t","input":"","expectedOutput":"1"}]}""";
        assertEquals(
                "a batch needs at least one submission",
                post("/api/v1/submissions/batch", "[]", 400).get("detail").asString());
        JsonNode nullItem = post("/api/v1/submissions/batch", "[" + ok + ", null]", 400);
        assertEquals(1, nullItem.get("index").asInt());
        assertEquals(
                "submissions[1]: a submission must be an object, not null",
                nullItem.get("detail").asString());
        assertEquals(
                "files[0] must be an object, not null",
                post("/api/v1/submissions", """
                {"participant":"x","language":"python","files":[null],"tests":[{"name":"t","input":"","expectedOutput":"1"}]}""", 400).get("detail").asString());
        assertEquals(
                "tests[0] must be an object, not null",
                post("/api/v1/submissions", ok.replace("\"tests\":[", "\"tests\":[null,"), 400)
                        .get("detail")
                        .asString());
        assertEquals(
                400,
                post(
                                "/api/v1/submissions",
                                ok.replace(
                                        "{\"participant\"",
                                        "{\"contestId\":\"" + "c".repeat(129) + "\",\"participant\""),
                                400)
                        .get("status")
                        .asInt());
        assertEquals(
                "python-xx runtime is unknown",
                post(
                                "/api/v1/submissions",
                                ok.replace("\"language\":\"python\"", "\"language\":\"python\",\"version\":\"xx\""),
                                400)
                        .get("detail")
                        .asString());
        String longest = "p".repeat(Submissions.MAX_PARTICIPANT_CHARS);
        assertEquals(
                202,
                HTTP.send(
                                json(
                                        "/api/v1/submissions",
                                        ok.replace("\"x\"", "\"" + longest + "\""),
                                        "application/json"),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
        assertEquals(
                "participant is at most " + Submissions.MAX_PARTICIPANT_CHARS + " characters",
                post("/api/v1/submissions", ok.replace("\"x\"", "\"" + longest + "p\""), 400)
                        .get("detail")
                        .asString());
        // PostgreSQL's text refuses NUL and Table Storage keys refuse control characters: a 400, not a 500.
        assertEquals(
                "participant must not contain control characters",
                post("/api/v1/submissions", ok.replace("\"x\"", "\"a\\u0000b\""), 400)
                        .get("detail")
                        .asString());
        assertEquals(
                "subject must not contain control characters",
                post("/api/v1/admin/keys", "{\"subject\":\"a\\u0000b\",\"role\":\"PARTICIPANT\"}", 400)
                        .get("detail")
                        .asString());
        assertEquals(
                "query parameters must not contain control characters",
                get("/api/v1/submissions?participant=a%00b", 400).get("detail").asString());
        assertEquals(
                400,
                get("/api/v1/submissions?problemId=a%00b", 400).get("status").asInt());
        assertEquals(
                400,
                get("/api/v1/admin/audit?participant=a%01b", 400).get("status").asInt());
        // A participant key's subject is what it submits as: no longer than a participant may be.
        assertEquals(
                "subject is at most " + Submissions.MAX_PARTICIPANT_CHARS + " characters",
                post("/api/v1/admin/keys", "{\"subject\":\"" + longest + "p\",\"role\":\"PARTICIPANT\"}", 400)
                        .get("detail")
                        .asString());
        assertEquals(
                "pageSize must be 1..1000, was 0",
                get("/api/v1/submissions?pageSize=0", 400).get("detail").asString());
        get("/api/v1/submissions?pageSize=1001", 400);
        assertEquals(
                "not a continuation token of this store",
                get("/api/v1/submissions?continuationToken=zzz", 400)
                        .get("detail")
                        .asString());
        assertEquals(
                "malformed request parameters (percent-encoded UTF-8 expected)",
                get("/api/v1/submissions?continuationToken=%ff%fe", 400)
                        .get("detail")
                        .asString());
        HttpResponse<String> badId = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/problems/" + "p".repeat(129)))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", "application/zip")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(KattisZip.sum()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, badId.statusCode(), badId.body());
        // A multipart type without a boundary once failed in the servlet before any handler.
        HttpResponse<String> multipart =
                HTTP.send(json("/api/v1/submissions", ok, "multipart/form-data"), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, multipart.statusCode(), multipart.body());
        assertEquals(415, Json.mapper().readTree(multipart.body()).get("status").asInt());
    }

    private HttpRequest json(String path, String body, String contentType) {
        return HttpRequest.newBuilder(uri(path))
                .header("Content-Type", contentType)
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    @Test
    void problemsHideSecretDataAndRegradesKeepHistory() throws Exception {
        String id = "sum-" + UUID.randomUUID().toString().substring(0, 6);
        HttpResponse<String> imported = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/problems/" + id))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", "application/zip")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(KattisZip.sum()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, imported.statusCode(), imported.body());
        String shown = get("/api/v1/problems/" + id, 200).toString();
        assertFalse(shown.contains("777 0"), "secret input never leaves the server: " + shown);
        assertTrue(shown.contains("1 1"), "samples are shown");

        JsonNode first = submitAndWait("""
                {"participant":"dan","problemId":"%s","language":"python","files":[{"content":"print(sum(map(int, input().split())))"}]}""".formatted(id));
        assertEquals("AC", first.get("verdict").asString(), first.toString());
        assertTrue(first.get("tests").get(1).get("output").isNull());

        JsonNode regrade = post("/api/v1/problems/" + id + "/regrade", "", 202);
        long round = regrade.get("round").asLong();
        assertEquals(1, regrade.get("total").asInt());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> get("/api/v1/problems/" + id + "/regrades/" + round, 200)
                                .get("done")
                                .asInt()
                        == 1);
        JsonNode after = get("/api/v1/submissions/" + first.get("id").asString(), 200);
        assertEquals(round, after.get("round").asLong());
        assertEquals("AC", after.get("verdict").asString());
        assertEquals(1, after.get("history").size(), "the first verdict is kept: " + after);
        assertEquals("AC", after.get("history").get(0).get("verdict").asString());

        // An admin's output limit holds for the problem's next runs; a limit that is no limit is a 400.
        String padded = """
                {"participant":"dan","problemId":"%s","language":"python","files":[{"content":"print(sum(map(int, input().split())), ' ' * 100000)"}]}""".formatted(id);
        assertEquals("AC", submitAndWait(padded).get("verdict").asString(), "100 KB is within the default 8 MiB");
        assertEquals(400, putLimits(id, "{\"outputLimitBytes\":0}").statusCode());
        // Limits the executor cannot run would make every later submission IE: refused instead.
        HttpResponse<String> tooMuchMemory = putLimits(id, "{\"memoryLimitBytes\":2147483648}");
        assertEquals(400, tooMuchMemory.statusCode(), tooMuchMemory.body());
        assertTrue(
                tooMuchMemory
                        .body()
                        .contains("the memory limit of 2048 MiB is above this engine's maximum of 1024 MiB"),
                tooMuchMemory.body());
        assertEquals(400, putLimits(id, "{\"timeLimitMs\":600000}").statusCode());
        HttpResponse<String> limited = putLimits(id, "{\"outputLimitBytes\":65536}");
        assertEquals(200, limited.statusCode(), limited.body());
        assertEquals("OLE", submitAndWait(padded).get("verdict").asString());
    }

    private HttpResponse<String> putLimits(String problemId, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/admin/problems/" + problemId + "/limits"))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ hidden test data and participants

    private static final String INPUT_SECRET = "INPUT-SECRET-5f3a";
    private static final String NUMBER_SECRET = "271828.1828";
    private static final String ANSWER_SECRET = "ANSWER-SECRET-c9d2";
    /** Prints what it read to stderr and junk to stdout, except on the sample. */
    private static final String JUNK =
            "import sys\ns = input()\nprint(s, file=sys.stderr)\nprint('1.5' if s == '1' else 'junk')";

    /**
     * A Kattis output validator as testlib-style validators are: it quotes the answer on stdout
     * and stderr, writes it to judgemessage.txt, and the input to teammessage.txt.
     */
    private static final String QUOTING_VALIDATOR = """
            import os, sys
            given, answer = (open(f).read().strip() for f in sys.argv[1:3])
            team = sys.stdin.read().strip()
            if team == answer:
                sys.exit(42)
            print("wrong answer: expected '%s', found '%s'" % (answer, team))
            print("wrong answer: expected '%s'" % answer, file=sys.stderr)
            with open(os.path.join(sys.argv[3], "judgemessage.txt"), "w") as f:
                f.write("judge: expected " + answer)
            with open(os.path.join(sys.argv[3], "teammessage.txt"), "w") as f:
                f.write("team: your input was " + given)
            sys.exit(43)
            """;

    /** Neither secret appears anywhere in what {@code body} (a whole response) tells the participant. */
    private static void noSecretIn(String body) {
        for (String secret : List.of(INPUT_SECRET, NUMBER_SECRET, ANSWER_SECRET, "status 77")) {
            assertFalse(body.contains(secret), "a participant reads '" + secret + "' in " + body);
        }
        assertFalse(body.contains("judge: expected"), body);
    }

    @Test
    void builtInCheckersAndExitCodesTellParticipantsNothingOfHiddenTests() throws Exception {
        String key =
                participantKey("hidden-builtin-" + UUID.randomUUID().toString().substring(0, 6));
        for (String flags : List.of("validator_flags: float_tolerance 1e-6\n", "")) { // FLOAT, then TOKENS
            String problem = importProblem(
                    "hidden-num",
                    Map.of(
                            "problem.yaml",
                            "name: Number\n" + flags,
                            "data/sample/1.in",
                            "1\n",
                            "data/sample/1.ans",
                            "1.5\n",
                            "data/secret/1.in",
                            INPUT_SECRET + "\n",
                            "data/secret/1.ans",
                            NUMBER_SECRET + "\n"));
            String junk = submitAs(key, problem, JUNK);
            String wa = pollAs(key, junk);
            noSecretIn(wa);
            JsonNode mine = Json.mapper().readTree(wa);
            assertEquals("WA", mine.get("verdict").asString(), wa);
            assertEquals(2, mine.get("failedTest").asInt());
            assertEquals("1.5\n", mine.get("tests").get(0).get("output").asString(), "a sample keeps its details");
            assertTrue(mine.get("tests").get(1).get("message").isNull(), wa);
            noSecretIn(send(key, "GET", "/api/v1/submissions?problemId=" + problem, null, 200));

            String admin = get("/api/v1/submissions/" + junk, 200).toString();
            assertTrue(
                    admin.contains("token 1 differs: expected " + NUMBER_SECRET + ", got junk"),
                    "admins read it all: " + admin);

            String exits = submitAs(key, problem, "import sys\ns = input()\nprint(1.5) if s == '1' else sys.exit(77)");
            String re = pollAs(key, exits);
            assertEquals("RE", Json.mapper().readTree(re).get("verdict").asString(), re);
            noSecretIn(re); // the program chose 77 from the hidden input
            assertTrue(get("/api/v1/submissions/" + exits, 200).toString().contains("Exited with error status 77"));
        }
    }

    @Test
    void aCustomValidatorsWordsReachParticipantsOnlyAsTheTeamMessageOfASample() throws Exception {
        String key =
                participantKey("hidden-custom-" + UUID.randomUUID().toString().substring(0, 6));
        String problem = importProblem("hidden-quote", quoteProblem());
        String ticket = submitAs(key, problem, "print('junk')");
        String body = pollAs(key, ticket);
        noSecretIn(body);
        JsonNode mine = Json.mapper().readTree(body);
        assertEquals("WA", mine.get("verdict").asString(), body);
        assertEquals(
                "team: your input was in-v",
                mine.get("tests").get(0).get("message").asString(),
                body);
        assertTrue(mine.get("tests").get(1).get("message").isNull(), body);

        JsonNode admin = get("/api/v1/submissions/" + ticket, 200);
        String secret = admin.get("tests").get(1).get("judgeMessage").asString();
        assertTrue(secret.contains("judgemessage.txt: judge: expected " + ANSWER_SECRET), admin.toString());
        assertTrue(secret.contains("team: your input was " + INPUT_SECRET), admin.toString());
        assertTrue(
                admin.get("tests").get(0).get("judgeMessage").asString().contains("judge: expected ans-v"),
                admin.toString());
    }

    @Test
    void inAnIcpcContestParticipantsSeeTheVerdictAndTheFirstFailingTest() throws Exception {
        String participant = "hidden-icpc-" + UUID.randomUUID().toString().substring(0, 6);
        String key = participantKey(participant);
        String problem = importProblem("hidden-icpc", quoteProblem());
        String contest = "icpc-" + UUID.randomUUID().toString().substring(0, 8);
        java.time.Instant now = java.time.Instant.now();
        // by invitation: an admin-issued participant key acts in a contest that invites its subject
        putContest(
                contest,
                "ICPC",
                List.of(problem),
                now,
                List.of(Map.of("token", "tok-" + participant, "participant", participant)));
        String passesTheSample = "print('ans-v' if input() == 'in-v' else 'junk')";
        String ticket = Json.mapper()
                .readTree(send(
                        key,
                        "POST",
                        "/api/v1/contests/" + contest + "/submissions",
                        Json.write(Map.of(
                                "problemId",
                                problem,
                                "language",
                                "python",
                                "files",
                                List.of(Map.of("content", passesTheSample)))),
                        202))
                .get("ticket")
                .asString();
        String body = pollAs(key, ticket);
        noSecretIn(body);
        JsonNode mine = Json.mapper().readTree(body);
        assertEquals("WA", mine.get("verdict").asString(), body);
        assertEquals(2, mine.get("failedTest").asInt(), body);
        assertTrue(mine.get("score").isNull(), "no score (the share of tests passed) in ICPC: " + body);
        assertEquals(1, mine.get("tests").size(), "per-test results of the sample only: " + body);
        assertEquals("sample/1", mine.get("tests").get(0).get("testName").asString());

        JsonNode listed =
                Json.mapper().readTree(send(key, "GET", "/api/v1/contests/" + contest + "/submissions", null, 200));
        assertEquals(ticket, listed.get(0).get("id").asString());
        assertTrue(listed.get(0).get("score").isNull(), listed.toString());
        JsonNode paged =
                Json.mapper().readTree(send(key, "GET", "/api/v1/submissions?contestId=" + contest, null, 200));
        assertTrue(paged.get("items").get(0).get("score").isNull(), paged.toString());
        JsonNode board =
                Json.mapper().readTree(send(null, "GET", "/api/v1/contests/" + contest + "/scoreboard", null, 200));
        JsonNode row = board.get("rows").get(0);
        assertEquals(participant, row.get("participant").asString());
        assertEquals(0, row.get("points").asInt(), board.toString());
        assertEquals(0, row.get("problems").get(problem).get("bestScore").asInt(), board.toString());

        // The same problem outside the contest, or (by a service, as a participant key names no
        // contest on the judge API) naming a points contest it is not in: the ICPC contest's rules
        // still apply.
        String points = "points-" + UUID.randomUUID().toString().substring(0, 8);
        putContest(points, "POINTS", List.of(), now, List.of());
        String service = post(
                        "/api/v1/admin/keys", "{\"subject\":\"lms-" + participant + "\",\"role\":\"SERVICE\"}", 201)
                .get("key")
                .asString();
        String outside = submitAs(key, problem, passesTheSample);
        String named = Json.mapper()
                .readTree(send(
                        service,
                        "POST",
                        "/api/v1/submissions",
                        Json.write(Map.of(
                                "problemId",
                                problem,
                                "contestId",
                                points,
                                "participant",
                                participant,
                                "language",
                                "python",
                                "files",
                                List.of(Map.of("content", passesTheSample)))),
                        202))
                .get("ticket")
                .asString();
        for (String[] poll : List.of(new String[] {key, outside}, new String[] {service, named})) {
            JsonNode around = Json.mapper().readTree(pollAs(poll[0], poll[1]));
            assertEquals(1, around.get("tests").size(), around.toString());
            assertTrue(around.get("score").isNull(), around.toString());
        }
        String refused = send(
                key,
                "POST",
                "/api/v1/submissions",
                Json.write(Map.of(
                        "problemId",
                        problem,
                        "contestId",
                        contest,
                        "language",
                        "python",
                        "files",
                        List.of(Map.of("content", passesTheSample)))),
                403);
        assertTrue(refused.contains("/api/v1/contests/" + contest + "/submissions"), refused);

        JsonNode admin = get("/api/v1/submissions/" + ticket, 200);
        assertEquals(50, admin.get("score").asInt(), admin.toString());
        assertEquals(2, admin.get("tests").size());
        assertTrue(admin.get("tests").get(1).get("judgeMessage").asString().contains(ANSWER_SECRET), admin.toString());
    }

    /** A contest running from an hour before {@code now} to an hour after. */
    private void putContest(
            String id,
            String scoring,
            List<String> problems,
            java.time.Instant now,
            List<Map<String, String>> invitations)
            throws Exception {
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/admin/contests/" + id))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(Json.write(Map.of(
                                "title",
                                scoring,
                                "problemIds",
                                problems,
                                "start",
                                now.minusSeconds(3600).toString(),
                                "end",
                                now.plusSeconds(3600).toString(),
                                "scoring",
                                scoring,
                                "invitations",
                                invitations))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, created.statusCode(), created.body());
    }

    /** Judged on after a rejection ({@code on_reject: continue}), so a junk answer's hidden test runs too. */
    private static Map<String, String> quoteProblem() {
        return Map.of(
                "problem.yaml",
                "name: Quote\nvalidation: custom\n",
                "data/testdata.yaml",
                "on_reject: continue\n",
                "output_validators/quote/validate.py",
                QUOTING_VALIDATOR,
                "data/sample/1.in",
                "in-v\n",
                "data/sample/1.ans",
                "ans-v\n",
                "data/secret/1.in",
                INPUT_SECRET + "\n",
                "data/secret/1.ans",
                ANSWER_SECRET + "\n");
    }

    private String participantKey(String subject) throws Exception {
        return post("/api/v1/admin/keys", "{\"subject\":\"" + subject + "\",\"role\":\"PARTICIPANT\"}", 201)
                .get("key")
                .asString();
    }

    private String importProblem(String prefix, Map<String, String> files) throws Exception {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        HttpResponse<String> imported = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/problems/" + id))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", "application/zip")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(KattisZip.of(files)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, imported.statusCode(), imported.body());
        return id;
    }

    /** Submits python {@code source} to {@code problem} with a participant's key; the ticket. */
    private String submitAs(String key, String problem, String source) throws Exception {
        Map<String, Object> body =
                Map.of("problemId", problem, "language", "python", "files", List.of(Map.of("content", source)));
        return Json.mapper()
                .readTree(send(key, "POST", "/api/v1/submissions", Json.write(body), 202))
                .get("ticket")
                .asString();
    }

    /** The whole body of the participant's poll once the submission is judged. */
    private String pollAs(String key, String ticket) {
        return await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> send(key, "GET", "/api/v1/submissions/" + ticket, null, 200),
                        b -> "DONE"
                                .equals(Json.mapper().readTree(b).get("status").asString()));
    }

    /** A request with {@code key} (none when null); the body, after checking the status. */
    private String send(String key, String method, String path, String json, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", TestKeys.bearer(key));
        }
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), r.body());
        return r.body();
    }

    private JsonNode submitAndWait(String body) throws Exception {
        JsonNode ticket = post("/api/v1/submissions", body, 202);
        String id = ticket.get("ticket").asString();
        return await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> get("/api/v1/submissions/" + id, 200),
                        v -> "DONE".equals(v.get("status").asString()));
    }

    private JsonNode post(String path, String json, int expected) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body().isEmpty() ? "{}" : r.body());
    }

    private JsonNode get(String path, int expected) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
