package io.codingengine.api.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.KattisZip;
import io.codingengine.api.access.QueueApiSettings;
import io.codingengine.api.access.TestKeys;
import io.codingengine.common.json.Json;
import io.codingengine.common.problem.KattisExamples;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Sample interactions of interactive and multi-pass problems, end to end: packages imported
 * through {@code PUT /api/v1/problems/{id}} into the real api (embedded broker, PostgreSQL; no
 * worker, nothing is judged), their interactions served by the judge API's problem endpoint and
 * the contest view without the samples' input and answer (the validator's data), and shown as
 * dialogues in headless Chromium by {@code src/test/e2e/interactive.e2e.mjs} ({@link BrowserScript}).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"coding-engine.execution=queue", "coding-engine.broker-port=0"})
class InteractiveUiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String VALIDATOR_INPUT = "VALIDATOR-SECRET-4711";
    private static final String VALIDATOR_ANSWER = "VALIDATOR-ANSWER-0815";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QueueApiSettings.register(registry, "interactive-ui");
    }

    /** An interactive package: a sample with data and its interaction, a sample that is an interaction only. */
    private static byte[] talk() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("problem.yaml", "problem_format_version: 2023-07\nname: Talk\ntype: interactive\n");
        files.put(
                "statement/problem.en.md",
                "Find the number: ask `guess x`, the judge says higher, lower or correct.\n");
        files.put("data/sample/1.in", VALIDATOR_INPUT + "\n");
        files.put("data/sample/1.ans", VALIDATOR_ANSWER + "\n");
        files.put("data/sample/1.interaction", ">guess 5\n<higher\n>guess 7\n<correct\n");
        files.put("data/sample/2.interaction", ">guess 1 <2 & 3>\n<correct\n");
        files.put("data/secret/1.in", "3\n");
        files.put("data/secret/1.ans", "3\n");
        files.put("output_validator/validate.py", "import sys\nsys.exit(42)\n");
        return KattisZip.of(files);
    }

    /** A multi-pass package whose interaction has two passes. */
    private static byte[] passes() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("problem.yaml", "problem_format_version: 2023-07\nname: Passes\ntype: multi-pass\n");
        files.put("statement/problem.en.md", "Remember.\n");
        files.put("data/sample/1.in", "4\n");
        files.put("data/sample/1.ans", VALIDATOR_ANSWER + "\n");
        files.put("data/sample/1.interaction", "<4\n>8\n---\n<8\n>16\n");
        files.put("data/secret/1.in", "5\n");
        files.put("data/secret/1.ans", "5\n");
        files.put("output_validator/validate.py", "import sys\nsys.exit(42)\n");
        return KattisZip.of(files);
    }

    @Test
    void sampleInteractionsReachTheApiAndTheContestPageWithoutTheValidatorsData() throws Exception {
        JsonNode imported = json(put("/api/v1/problems/talk", talk(), "application/zip"), 201);
        assertEquals("INTERACTIVE", imported.get("checker").asString());
        assertEquals(0, imported.get("samples").size(), imported.toString());
        JsonNode problem = json(get("/api/v1/problems/talk", TestKeys.ADMIN), 200);
        assertEquals(imported, problem);
        JsonNode interactions = problem.get("sampleInteractions");
        assertEquals(2, interactions.size(), problem.toString());
        assertEquals("sample/1", interactions.get(0).get("name").asString());
        assertEquals(
                ">guess 5\n<higher\n>guess 7\n<correct\n",
                interactions.get(0).get("text").asString());
        assertEquals("sample/2", interactions.get(1).get("name").asString());
        json(put("/api/v1/problems/passes", passes(), "application/zip"), 201);

        List<String> problemIds = new ArrayList<>(List.of("talk", "passes"));
        if (KattisExamples.directory() != null) { // problemtools' examples, beside the project
            importGuess();
            problemIds.add("guess");
        }

        Instant now = Instant.now();
        put(
                "/api/v1/admin/contests/talks",
                Json.write(Map.of(
                                "title",
                                "Talks",
                                "problemIds",
                                problemIds,
                                "start",
                                now.minus(10, ChronoUnit.MINUTES).toString(),
                                "end",
                                now.plus(3, ChronoUnit.HOURS).toString(),
                                "scoring",
                                "ICPC",
                                "invitations",
                                List.of()))
                        .getBytes(),
                "application/json");
        HttpResponse<String> view = get("/api/v1/contests/talks", null);
        JsonNode contest = json(view, 200);
        JsonNode talk = contest.get("problems").get(0);
        assertEquals("talk", talk.get("id").asString());
        assertEquals(interactions, talk.get("sampleInteractions"));
        assertEquals(0, talk.get("samples").size());
        for (String hidden : List.of(VALIDATOR_INPUT, VALIDATOR_ANSWER)) {
            assertFalse(view.body().contains(hidden), "the contest view shows " + hidden + ": " + view.body());
            assertFalse(
                    get("/api/v1/problems", TestKeys.ADMIN).body().contains(hidden),
                    "the problem list shows " + hidden);
        }

        BrowserScript.run(
                "interactive.e2e.mjs",
                Map.of("BASE_URL", "http://127.0.0.1:" + port, "CONTEST", "talks"),
                Duration.ofMinutes(3));
    }

    /** problemtools' guess: its samples are interactions only. */
    private void importGuess() throws Exception {
        Path zips = Files.createTempDirectory("ce-interactive-ui-");
        Path copy = KattisExamples.copy("guess", zips);
        // Without its accepted submissions: with them the import would judge them to compute the
        // time limit, and this api has no worker (KattisExamplesJudgeTest imports it whole).
        try (var files = Files.walk(copy.resolve("submissions"))) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
        Path guess = KattisExamples.zip(copy, zips.resolve("guess.zip"), KattisExamples.hasZipTool());
        JsonNode guessed = json(put("/api/v1/problems/guess", Files.readAllBytes(guess), "application/zip"), 201);
        assertEquals("INTERACTIVE", guessed.get("checker").asString());
        assertEquals(
                List.of("sample/1", "sample/2"),
                guessed.get("sampleInteractions")
                        .valueStream()
                        .map(i -> i.get("name").asString())
                        .toList(),
                "problemtools' guess has its samples as interactions only");
        assertTrue(
                guessed.get("sampleInteractions").get(0).get("text").asString().startsWith(">792\n<higher\n"));
    }

    private HttpResponse<String> put(String path, byte[] body, String contentType) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", contentType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, r.statusCode() + " " + r.body());
        return r;
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) {
            request.header("Authorization", TestKeys.bearer(key));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }
}
