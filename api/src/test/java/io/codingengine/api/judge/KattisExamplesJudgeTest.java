package io.codingengine.api.judge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.codingengine.api.InProcessWorker;
import io.codingengine.api.PostgresSettings;
import io.codingengine.api.access.TestKeys;
import io.codingengine.common.json.Json;
import io.codingengine.common.problem.KattisExamples;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.store.PostgresExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
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
 * The problemtools example packages end to end: each is zipped with its links kept (as
 * {@code zip -ry} does), imported through {@code PUT /api/v1/problems/{id}}, and every example
 * submission in one of the engine's languages is judged by a real worker and must get the
 * verdict its directory names: {@code guess} is interactive, each submission talking with the
 * package's validator; {@code oddecho} is a scoring problem of test data groups, whose
 * submissions must also get the score the format's default grader gives them.
 * <p>
 * Kattis verdict directories and the engine's verdicts: {@code accepted} is {@code AC},
 * {@code wrong_answer} {@code WA}, {@code time_limit_exceeded} {@code TLE}; {@code run_time_error}
 * is {@code RE} or {@code MLE} (Kattis reports running out of memory as a run-time error, the
 * engine names it); {@code slow_accepted} (problemtools: correct, but may exceed the time limit)
 * is {@code AC} or {@code TLE}. A mismatch the engine is known to have is listed in
 * {@link #KNOWN_MISMATCHES} with its cause, and must still mismatch: once fixed, its entry goes.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"coding-engine.execution=queue", "coding-engine.broker-port=0"})
class KattisExamplesJudgeTest {

    private static final PostgresExtension.Database DATABASE = PostgresExtension.newDatabase("KattisExamplesJudgeTest");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The examples the api imports; the others are refused, with these words. */
    private static final Set<String> IMPORTED = Set.of("hello", "different", "guess", "oddecho");

    private static final Map<String, String> REFUSED = Map.of();

    private static final Map<String, Set<String>> VERDICTS = Map.of(
            "accepted",
            Set.of("AC"),
            "wrong_answer",
            Set.of("WA"),
            "time_limit_exceeded",
            Set.of("TLE"),
            "run_time_error",
            Set.of("RE", "MLE"),
            "slow_accepted",
            Set.of("AC", "TLE"),
            "partially_accepted",
            Set.of("AC"));

    /**
     * The scores of a scoring problem's submissions by directory, as the format's default grader
     * gives them: oddecho's accepted ones score 100 (both subtasks), its partially accepted one 50
     * (subtask 1; the legacy format asks for an accepted verdict below the maximum).
     */
    private static final Map<String, Integer> SCORES =
            Map.of("oddecho/accepted", 100, "oddecho/partially_accepted", 50);

    /**
     * Submissions ({@code problem/submissions/dir/file}) whose verdict the engine is known to get
     * wrong, and why. None today: the examples in the engine's languages meet neither the default
     * validator's case sensitivity (each expected output matches the accepted outputs' case) nor
     * the output limit (every expected output is a few bytes).
     */
    private static final Map<String, String> KNOWN_MISMATCHES = Map.of();

    private static InProcessWorker worker;
    private static Path zips;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "coding-engine.data-dir",
                () -> InProcessWorker.tempDir("ce-api-examples-").toString());
        PostgresSettings.register(registry, DATABASE);
        registry.add("coding-engine.access.admin-key-sha256", () -> TestKeys.ADMIN_SHA256);
    }

    @BeforeAll
    static void startWorker(@Autowired EmbeddedArtemisBroker broker, @Autowired MeterRegistry metrics)
            throws IOException {
        assumeTrue(KattisExamples.directory() != null, "no ../shared/conformance/kattis-examples beside the project");
        zips = InProcessWorker.tempDir("ce-api-examples-zips-");
        boolean zipTool = KattisExamples.hasZipTool();
        for (String name : KattisExamples.names()) {
            KattisExamples.zip(KattisExamples.copy(name, zips), zips.resolve(name + ".zip"), zipTool);
        }
        worker = InProcessWorker.start(
                broker.url(), DATABASE.dataSource(), 68000, "coding-engine-api-kattis-examples", metrics);
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void everyExampleIsImportedOrRefusedWithItsReason() throws Exception {
        for (String name : KattisExamples.names()) {
            assertTrue(IMPORTED.contains(name) || REFUSED.containsKey(name), "no expectation for example " + name);
            HttpResponse<String> response =
                    put(name + "-" + UUID.randomUUID().toString().substring(0, 6), name);
            if (IMPORTED.contains(name)) {
                assertEquals(201, response.statusCode(), name + ": " + response.body());
                // none gives a time limit: it is computed from its accepted submissions, run at import
                // (guess's, interactive, each judged with its validator)
                JsonNode problem = Json.mapper().readTree(response.body());
                String source = problem.get("timeLimitSource").asString();
                assertTrue(
                        source.startsWith("from the accepted submissions: the slowest, submissions/accepted/"),
                        name + ": " + source);
                if (name.equals("oddecho") || name.equals("guess")) {
                    // 2023-07-draft packages: that version's rule
                    assertTrue(source.contains("ac_to_time_limit 2") && source.contains("time_resolution 1 s"), source);
                    continue;
                }
                assertTrue(source.contains("time_multiplier 5") && source.contains("rounded to whole seconds"), source);
                assertTrue(
                        source.contains(name.equals("different") ? "time_safety_margin 4" : "time_safety_margin 2"),
                        source);
            } else {
                assertEquals(400, response.statusCode(), name + ": " + response.body());
                String detail =
                        Json.mapper().readTree(response.body()).get("detail").asString();
                assertTrue(detail.contains(REFUSED.get(name)), name + ": " + detail);
            }
        }
    }

    @Test
    void everyExampleSubmissionGetsTheVerdictItsDirectoryNames() throws Exception {
        Map<String, String> tickets = new TreeMap<>(); // submission -> ticket
        Map<String, Set<String>> expected = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        for (String name : IMPORTED) {
            String problem = name + "-" + UUID.randomUUID().toString().substring(0, 6);
            assertEquals(201, put(problem, name).statusCode());
            Path submissions = zips.resolve(name).resolve("submissions");
            try (Stream<Path> files = Files.walk(submissions, 2)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String directory = submissions.relativize(file).getName(0).toString();
                    String id = name + "/submissions/" + submissions.relativize(file);
                    String language = language(file);
                    if (language == null) {
                        skipped.add(id);
                        continue;
                    }
                    expected.put(id, VERDICTS.get(directory));
                    tickets.put(id, submit(problem, language, file));
                }
            }
        }
        assertTrue(tickets.size() >= 15, "the examples' submissions in the engine's languages: " + tickets.keySet());
        Map<String, String> verdicts = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        for (var ticket : tickets.entrySet()) {
            JsonNode judged = poll(ticket.getValue());
            verdicts.put(ticket.getKey(), judged.get("verdict").asString());
            String[] parts = ticket.getKey().split("/");
            Integer score = SCORES.get(parts[0] + "/" + parts[2]);
            if (score != null && judged.get("score").asInt() != score) {
                wrong.add(ticket.getKey() + ": score " + judged.get("score") + ", expected " + score + "; groups "
                        + judged.get("groups"));
            }
            if (parts[0].equals("oddecho") && judged.get("groups").size() != 5) {
                wrong.add(ticket.getKey() + ": groups " + judged.get("groups") + ", expected data, sample, secret and"
                        + " its two subtasks");
            }
        }
        for (var verdict : verdicts.entrySet()) {
            String id = verdict.getKey();
            boolean matches = expected.get(id).contains(verdict.getValue());
            if (KNOWN_MISMATCHES.containsKey(id) == matches) {
                wrong.add(id + ": " + verdict.getValue() + ", expected " + expected.get(id)
                        + (matches ? " (now right: remove it from KNOWN_MISMATCHES)" : ""));
            }
        }
        assertEquals(List.of(), wrong, "verdicts " + verdicts + "; not in a language of the engine: " + skipped);
    }

    /** The engine's language for an example submission, or {@code null} for one it does not run. */
    private static String language(Path file) throws IOException {
        String name = file.getFileName().toString();
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (extension) {
            case "c" -> "c";
            case "cc", "cpp" -> "cpp";
            case "java" -> "java";
            case "js" -> "javascript";
            // Python 2 (its shebang says so, as problemtools tells the two apart) is not an engine language
            case "py" ->
                Files.readString(file).startsWith("#!")
                                && Files.readString(file)
                                        .lines()
                                        .findFirst()
                                        .orElse("")
                                        .contains("python2")
                        ? null
                        : "python";
            default -> null;
        };
    }

    private HttpResponse<String> put(String id, String example) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/problems/" + id))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", "application/zip")
                        .PUT(HttpRequest.BodyPublishers.ofFile(zips.resolve(example + ".zip")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String submit(String problem, String language, Path file) throws Exception {
        // one participant each: a participant may have only a few submissions waiting at once
        String participant = "examples-" + UUID.randomUUID().toString().substring(0, 8);
        String body = Json.write(Map.of(
                "participant",
                participant,
                "problemId",
                problem,
                "language",
                language,
                "files",
                List.of(Map.of("name", file.getFileName().toString(), "content", Files.readString(file)))));
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/submissions"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), file + ": " + r.body());
        return Json.mapper().readTree(r.body()).get("ticket").asString();
    }

    private JsonNode poll(String ticket) {
        return await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> {
                            HttpResponse<String> r = HTTP.send(
                                    HttpRequest.newBuilder(uri("/api/v1/submissions/" + ticket))
                                            .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                                            .GET()
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            return Json.mapper().readTree(r.body());
                        },
                        v -> "DONE".equals(v.path("status").asString()));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
