package io.codingengine.api.judge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.InProcessWorker;
import io.codingengine.api.PostgresSettings;
import io.codingengine.api.access.TestKeys;
import io.codingengine.common.json.Json;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.store.PostgresExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
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
 * Packages with test data groups written here, imported through {@code PUT /api/v1/problems/{id}}
 * and judged by a real worker through the judge API: a scoring problem of groups with different
 * accept scores, a min-aggregated group that stops at its first rejection, nested groups, a group
 * that continues, and per-group validator flags; a pass-fail problem judged lazily, then regraded
 * with every test; a POINTS contest's scoreboard taking the group score; and grading features the
 * engine does not implement refused with a 400 that names them.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"coding-engine.execution=queue", "coding-engine.broker-port=0"})
class TestGroupsJudgeTest {

    private static final PostgresExtension.Database DATABASE = PostgresExtension.newDatabase("TestGroupsJudgeTest");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static InProcessWorker worker;
    private static Path zips;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "coding-engine.data-dir",
                () -> InProcessWorker.tempDir("ce-api-groups-").toString());
        PostgresSettings.register(registry, DATABASE);
        registry.add("coding-engine.access.admin-key-sha256", () -> TestKeys.ADMIN_SHA256);
    }

    @BeforeAll
    static void startWorker(@Autowired EmbeddedArtemisBroker broker, @Autowired MeterRegistry metrics) {
        zips = InProcessWorker.tempDir("ce-api-groups-zips-");
        worker = InProcessWorker.start(broker.url(), DATABASE.dataSource(), 67600, "coding-engine-api-groups", metrics);
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    /** Echo problems: each test's answer is its input. */
    private static Map<String, String> echo(String yaml) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("problem.yaml", "name: Echo\n" + yaml + "limits:\n  time_limit: 2\n");
        files.put("problem_statement/problem.en.md", "Echo the line.\n");
        return files;
    }

    private static void test(Map<String, String> files, String stem, String text) {
        files.put("data/" + stem + ".in", text + "\n");
        files.put("data/" + stem + ".ans", text + "\n");
    }

    /**
     * g1: 2 tests worth 20 each, continuing past a rejection, case-sensitive by its own flags;
     * g2: 3 tests worth 30 at their minimum, stopping at a rejection; g3 with g3/a and g3/b nested:
     * 2 tests worth 5 each. Secret accepted when one group is; samples score nothing.
     */
    private static Map<String, String> scoring() {
        Map<String, String> files = echo("type: scoring\n");
        files.put("data/testdata.yaml", "on_reject: continue\ngrader_flags: ignore_sample\nrange: 0 100\n");
        files.put("data/sample/testdata.yaml", "accept_score: 0\nrange: 0 0\n");
        test(files, "sample/1", "a");
        files.put("data/secret/testdata.yaml", "grader_flags: first_error accept_if_any_accepted\nrange: 0 100\n");
        files.put(
                "data/secret/g1/testdata.yaml",
                "accept_score: 20\nrange: 0 40\ngrader_flags: sum\n" + "output_validator_flags: case_sensitive\n");
        files.put(
                "data/secret/g2/testdata.yaml", "on_reject: break\naccept_score: 50\nrange: 0 50\ngrader_flags: min\n");
        files.put("data/secret/g3/testdata.yaml", "accept_score: 5\nrange: 0 10\ngrader_flags: sum\n");
        test(files, "secret/g1/1", "One");
        test(files, "secret/g1/2", "one");
        for (int i = 1; i <= 3; i++) {
            test(files, "secret/g2/" + i, "Two" + i);
        }
        test(files, "secret/g3/a/1", "a1");
        test(files, "secret/g3/b/1", "b1");
        return files;
    }

    @Test
    void aScoringProblemsGroupsAreJudgedAndShownAndAPointsContestTakesTheirScore() throws Exception {
        String problem = "groups-" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(201, put(problem, scoring()).statusCode());

        JsonNode full = poll(submit(problem, "print(input())", null));
        assertEquals("AC", full.get("verdict").asString(), full.toString());
        assertEquals(100, full.get("score").asInt());
        JsonNode groups = full.get("groups");
        List<String> names = new ArrayList<>();
        groups.forEach(g -> names.add(g.get("name").asString()));
        assertEquals(
                List.of(
                        "sample",
                        "secret/g1",
                        "secret/g2",
                        "secret/g3/a",
                        "secret/g3/b",
                        "secret/g3",
                        "secret",
                        "data"),
                names,
                "each group after its subgroups, the whole test data last");
        assertEquals(40.0, group(full, "secret/g1").get("score").asDouble());
        assertEquals(40.0, group(full, "secret/g1").get("maxScore").asDouble());

        // Lower case: g1's case_sensitive rejects its first test only and g1 runs on (20 of 40); the
        // default validator of g2 ignores case. "two2" is made wrong: g2 stops there and scores 0.
        String partial = "s = input()\nprint('wrong' if s == 'Two2' else s.lower())";
        JsonNode judged = poll(submit(problem, partial, null));
        assertEquals("AC", judged.get("verdict").asString(), "secret accepts when one group does: " + judged);
        assertEquals(30, judged.get("score").asInt(), judged.toString());
        assertEquals("WA", group(judged, "secret/g1").get("verdict").asString());
        assertEquals(20.0, group(judged, "secret/g1").get("score").asDouble());
        assertEquals(2, group(judged, "secret/g1").get("testsRun").asInt());
        JsonNode g2 = group(judged, "secret/g2");
        assertEquals("WA", g2.get("verdict").asString());
        assertEquals(0.0, g2.get("score").asDouble());
        assertEquals(2, g2.get("testsRun").asInt());
        assertEquals("NR", test(judged, "secret/g2/3").get("verdict").asString(), "not run after g2's rejection");
        assertEquals(10.0, group(judged, "secret/g3").get("score").asDouble());

        // A POINTS contest: the scoreboard's score for the problem is the best group score.
        String contest = contest("POINTS", problem);
        poll(submit(problem, partial, contest));
        JsonNode board = Json.mapper()
                .readTree(send(HttpRequest.newBuilder(uri("/api/v1/contests/" + contest + "/scoreboard"))
                                .GET())
                        .body());
        JsonNode row = board.get("rows").get(0);
        assertEquals(30, row.get("points").asInt(), board.toString());
        assertEquals(30, row.get("problems").get(problem).get("bestScore").asInt());
    }

    @Test
    void aPassFailProblemIsJudgedLazilyAndRegradedWithEveryTestWhenAsked() throws Exception {
        Map<String, String> files = echo("");
        test(files, "sample/1", "a");
        for (int i = 1; i <= 5; i++) {
            test(files, "secret/" + i, i == 2 ? "x2" : "s" + i);
        }
        String problem = "lazy-" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(201, put(problem, files).statusCode());
        String ticket = submit(problem, "s = input()\nprint('wrong' if s.startswith('x') else s)", null);
        JsonNode lazy = poll(ticket);
        assertEquals("WA", lazy.get("verdict").asString());
        assertEquals(List.of("AC", "AC", "WA", "NR", "NR", "NR"), verdicts(lazy));
        assertEquals(3, lazy.get("failedTest").asInt(), "a test not run did not fail");
        assertEquals(33, lazy.get("score").asInt(), "2 of 6 accepted");

        HttpResponse<String> regrade =
                send(HttpRequest.newBuilder(uri("/api/v1/problems/" + problem + "/regrade?allTests=true"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(202, regrade.statusCode(), regrade.body());
        JsonNode all = await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> get("/api/v1/submissions/" + ticket),
                        v -> "DONE".equals(v.path("status").asString())
                                && v.path("history").size() == 1);
        assertEquals(List.of("AC", "AC", "WA", "AC", "AC", "AC"), verdicts(all));
        assertEquals("WA", all.get("verdict").asString());
        assertEquals(83, all.get("score").asInt(), "5 of 6 accepted");

        HttpResponse<String> bad =
                send(HttpRequest.newBuilder(uri("/api/v1/problems/" + problem + "/regrade?allTests=maybe"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(400, bad.statusCode(), bad.body());
    }

    /**
     * A package that judges on after a rejection ({@code secret}: {@code on_reject: continue}, the
     * default {@code worst_error}): the first hidden test is a deliberate WA, a later hidden test an
     * RE, which the grader ranks worse. Under ICPC rules a participant must learn nothing past the
     * first failing test: the verdict they see (poll, history, both listings) and the scoreboard's
     * try are that test's WA; an admin sees the grader's RE; a POINTS contest's participant too.
     */
    @Test
    void underIcpcRulesAParticipantSeesTheFirstFailingTestsVerdictNotALaterHiddenTests() throws Exception {
        Map<String, String> files = echo("type: scoring\n");
        files.put("data/secret/testdata.yaml", "on_reject: continue\naccept_score: 10\n");
        files.put("data/secret/g1/testdata.yaml", "on_reject: break\n");
        test(files, "sample/1", "a");
        test(files, "secret/g1/1", "first");
        test(files, "secret/g1/2", "x");
        test(files, "secret/g2/1", "y");
        test(files, "secret/g2/2", "later");
        String problem = "icpcleak-" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(201, put(problem, files).statusCode());
        String source = "import sys\ns = input()\nif s == 'first': print('nope')\n"
                + "elif s == 'later': sys.exit(3)\nelse: print(s)\n";

        String icpc = contest("ICPC", problem);
        String key = enter(icpc);
        String ticket = submitAs(key, icpc, problem, source);
        JsonNode admin = poll(ticket);
        // Under ICPC rules the judging ends at the first failing test, whatever the package would
        // still run: the time the later tests took would tell what the verdict does not.
        assertEquals("WA", admin.get("verdict").asString(), "the first failing test ends it: " + admin);
        assertEquals(List.of("AC", "WA", "NR", "NR", "NR"), verdicts(admin));
        assertEquals(2, admin.get("failedTest").asInt());

        JsonNode seen = getAs(key, "/api/v1/submissions/" + ticket);
        assertEquals("WA", seen.get("verdict").asString(), "the first failing hidden test's verdict: " + seen);
        assertEquals(2, seen.get("failedTest").asInt());
        assertEquals(List.of("AC"), verdicts(seen), "the sample only");
        assertTrue(seen.get("groups").isEmpty(), seen.toString());
        JsonNode mine = getAs(key, "/api/v1/contests/" + icpc + "/submissions");
        assertEquals("WA", mine.get(0).get("verdict").asString(), mine.toString());
        assertTrue(mine.get(0).get("firstFailure") == null, "no extra field in listings: " + mine);
        JsonNode cell = get("/api/v1/contests/" + icpc + "/scoreboard")
                .get("rows")
                .get(0)
                .get("problems")
                .get(problem);
        assertEquals(1, cell.get("tries").asInt(), cell.toString());

        // An admin's rejudge of every test runs the later ones, and the grader's verdict is theirs;
        // the participant still sees the first failing test's, now and in the history.
        HttpResponse<String> rejudge =
                send(HttpRequest.newBuilder(uri("/api/v1/admin/submissions/" + ticket + "/rejudge?allTests=true"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(202, rejudge.statusCode(), rejudge.body());
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> get("/api/v1/submissions/" + ticket),
                        v -> "DONE".equals(v.path("status").asString())
                                && v.path("history").size() == 1);
        JsonNode all = get("/api/v1/submissions/" + ticket);
        assertEquals("RE", all.get("verdict").asString(), "the grader's worst_error, for admins: " + all);
        assertEquals(List.of("AC", "WA", "AC", "AC", "RE"), verdicts(all));
        assertEquals("WA", all.get("history").get(0).get("verdict").asString(), all.toString());
        assertEquals(
                "RE",
                get("/api/v1/submissions?contestId=" + icpc)
                        .get("items")
                        .get(0)
                        .get("verdict")
                        .asString(),
                "an admin lists the grader's verdict");
        JsonNode again = getAs(key, "/api/v1/submissions/" + ticket);
        assertEquals("WA", again.get("verdict").asString(), again.toString());
        assertEquals(2, again.get("failedTest").asInt());
        JsonNode listed = getAs(key, "/api/v1/submissions?contestId=" + icpc).get("items");
        assertEquals("WA", listed.get(0).get("verdict").asString(), listed.toString());

        // A POINTS contest shows its participants the grader's verdict and groups.
        String points = contest("POINTS", problem);
        String other = enter(points);
        String pointsTicket = submitAs(other, points, problem, source);
        poll(pointsTicket);
        JsonNode graded = getAs(other, "/api/v1/submissions/" + pointsTicket);
        assertEquals("RE", graded.get("verdict").asString(), graded.toString());
        assertEquals("RE", group(graded, "secret").get("verdict").asString());
    }

    private String contest(String scoring, String problem) throws Exception {
        String id = scoring.toLowerCase(java.util.Locale.ROOT) + "-"
                + UUID.randomUUID().toString().substring(0, 6);
        Instant now = Instant.now();
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/v1/admin/contests/" + id))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Json.write(Map.of(
                        "title",
                        "Groups",
                        "problemIds",
                        List.of(problem),
                        "start",
                        now.minusSeconds(60).toString(),
                        "end",
                        now.plusSeconds(3600).toString(),
                        "scoring",
                        scoring,
                        "invitations",
                        List.of())))));
        assertTrue(created.statusCode() / 100 == 2, created.body());
        return id;
    }

    /** Enters an open contest; the participant's key. */
    private String enter(String contest) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/contests/" + contest + "/entries"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of(
                                "name",
                                "p " + UUID.randomUUID().toString().substring(0, 8),
                                "password",
                                "correct horse"))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).get("key").asString();
    }

    private String submitAs(String key, String contest, String problem, String source) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/contests/" + contest + "/submissions"))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of(
                                "problemId",
                                problem,
                                "language",
                                "python",
                                "files",
                                List.of(Map.of("name", "main.py", "content", source))))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).get("ticket").asString();
    }

    private JsonNode getAs(String key, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Authorization", "Bearer " + key)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    @Test
    void gradingFeaturesTheEngineDoesNotImplementAreRefusedByName() throws Exception {
        Map<String, String> base = scoring();
        Map<String, String> custom = new LinkedHashMap<>(base);
        custom.put("data/secret/g1/testdata.yaml", "grading: custom\n");
        custom.put("graders/grader.py", "print('AC 100')\n");
        assertRefused(custom, "grading custom is not supported: custom graders (graders/) are not implemented");
        Map<String, String> flag = new LinkedHashMap<>(base);
        flag.put("data/secret/g2/testdata.yaml", "grader_flags: median\n");
        assertRefused(flag, "data/secret/g2/testdata.yaml: grader flag median is not supported");
        Map<String, String> objective = new LinkedHashMap<>(base);
        objective.put("problem.yaml", "name: Echo\ntype: scoring\ngrading:\n  objective: min\n");
        assertRefused(objective, "grading.objective min is not supported");
    }

    private void assertRefused(Map<String, String> files, String reason) throws Exception {
        HttpResponse<String> r = put("refused-" + UUID.randomUUID().toString().substring(0, 6), files);
        assertEquals(400, r.statusCode(), r.body());
        String detail = Json.mapper().readTree(r.body()).get("detail").asString();
        assertTrue(detail.contains(reason), detail);
    }

    private static JsonNode group(JsonNode submission, String name) {
        for (JsonNode g : submission.get("groups")) {
            if (g.get("name").asString().equals(name)) {
                return g;
            }
        }
        throw new AssertionError("no group " + name + " in " + submission);
    }

    private static JsonNode test(JsonNode submission, String name) {
        for (JsonNode t : submission.get("tests")) {
            if (t.get("testName").asString().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no test " + name + " in " + submission);
    }

    private static List<String> verdicts(JsonNode submission) {
        List<String> verdicts = new ArrayList<>();
        submission.get("tests").forEach(t -> verdicts.add(t.get("verdict").asString()));
        return verdicts;
    }

    private HttpResponse<String> put(String id, Map<String, String> files) throws Exception {
        Path zip = zips.resolve(id + ".zip");
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(out)) {
            for (var file : files.entrySet()) {
                z.putNextEntry(new ZipEntry(id + "/" + file.getKey()));
                z.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return send(HttpRequest.newBuilder(uri("/api/v1/problems/" + id))
                .header("Content-Type", "application/zip")
                .PUT(HttpRequest.BodyPublishers.ofFile(zip)));
    }

    private String submit(String problem, String source, String contest) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>(Map.of(
                "participant",
                "groups-" + UUID.randomUUID().toString().substring(0, 8),
                "problemId",
                problem,
                "language",
                "python",
                "files",
                List.of(Map.of("name", "main.py", "content", source))));
        if (contest != null) {
            body.put("contestId", contest);
        }
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/submissions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
        assertEquals(202, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).get("ticket").asString();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return Json.mapper()
                .readTree(send(HttpRequest.newBuilder(uri(path)).GET()).body());
    }

    private JsonNode poll(String ticket) {
        return await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> get("/api/v1/submissions/" + ticket),
                        v -> "DONE".equals(v.path("status").asString()));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(
                request.header("Authorization", TestKeys.bearer(TestKeys.ADMIN)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
