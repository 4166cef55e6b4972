package io.codingengine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.InteractionRequest;
import io.codingengine.common.execution.InteractionResult;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.Program;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageLimits;
import io.codingengine.common.json.Json;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** The session container's HTTP app over real HTTP, in front of the real sandboxed executor. */
class SessionServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ExecutorConfig CONFIG = ExecutorConfig.judging();
    /** Short, so that a body that never ends is cut within the test; JVM-wide, set by the first server. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

    private static SandboxedExecutor executor;
    /** The image's limits, but the read timeout. */
    private static SessionServer server;
    /** Small request limits in front of the same executor, so that their edges are cheap to reach. */
    private static SessionServer tight;

    private static final RequestLimits TIGHT = new RequestLimits(64 * 1024, 3, READ_TIMEOUT);

    @BeforeAll
    static void start() throws Exception {
        Path dataDir = Files.createTempDirectory("ce-session-test-");
        executor = SandboxedExecutor.start(
                SandboxConfig.defaults()
                        .withDataDir(dataDir)
                        .withSlots(2)
                        .withUidBase(63000)
                        .withCgroupName("coding-engine-session-test"),
                CONFIG);
        server = SessionServer.start(
                executor, RequestLimits.defaults(CONFIG.maxSourceBytes()).withReadTimeout(READ_TIMEOUT), 0);
        tight = SessionServer.start(executor, TIGHT, 0);
    }

    @AfterAll
    static void stop() {
        tight.close();
        server.close();
        executor.close();
    }

    @Test
    void executesAPythonProgramWithItsInput() throws Exception {
        ExecutionRequest request = request("python", "print(int(input()) * 2)", "21", "50");
        HttpResponse<String> response = post("/execute", Json.write(request));
        assertEquals(200, response.statusCode());
        ExecutionResult result = Json.read(response.body(), ExecutionResult.class);
        assertEquals("python", result.language());
        assertEquals(
                List.of("42\n", "100\n"),
                result.runs().stream().map(r -> r.stdout()).toList());
    }

    @Test
    void compilesCOnceAndAnswersOnThePathThePoolForwards() throws Exception {
        // The pool forwards "/execute?identifier=<id>" exactly as the worker sent it.
        ExecutionRequest request =
                request("c", "#include <stdio.h>\nint main(void){int a;scanf(\"%d\",&a);printf(\"%d\\n\",a+1);}", "1");
        HttpResponse<String> response = post("/execute?identifier=0b7a1e0c-session", Json.write(request));
        assertEquals(200, response.statusCode());
        ExecutionResult result = Json.read(response.body(), ExecutionResult.class);
        assertTrue(result.compile().succeeded(), result.compile().toString());
        assertEquals("2\n", result.runs().getFirst().stdout());
    }

    @Test
    void interactsAsTheExecutorDoesAndCountsTestsAsRuns() throws Exception {
        List<InteractionRequest.Test> tests = List.of(
                new InteractionRequest.Test("1", "", List.of()),
                new InteractionRequest.Test("2", "", List.of()),
                new InteractionRequest.Test("3", "", List.of()),
                new InteractionRequest.Test("4", "", List.of()));
        InteractionRequest request = new InteractionRequest(
                new Program(
                        "python",
                        "*",
                        List.of(SourceFile.utf8(null, "print(2 * int(input()), flush=True)")),
                        Map.of(),
                        null,
                        null),
                new Program("python", "*", List.of(SourceFile.utf8("v.py", """
                        import sys
                        n = int(open(sys.argv[1]).read())
                        print(n, flush=True)
                        sys.exit(42 if int(sys.stdin.readline()) == 2 * n else 43)
                        """)), Map.of(), null, null),
                true,
                1,
                tests,
                1024,
                true);
        HttpResponse<String> response = post("/interact", Json.write(request));
        assertEquals(200, response.statusCode(), response.body());
        InteractionResult result = Json.read(response.body(), InteractionResult.class);
        assertEquals(
                List.of(42, 42, 42, 42),
                result.tests().stream()
                        .map(t -> t.passes().getFirst().validator().code())
                        .toList());
        InteractionResult.Message first =
                result.tests().getLast().passes().getFirst().transcript().getFirst();
        assertEquals(InteractionResult.Side.VALIDATOR, first.from());
        assertEquals("4\n", first.text());
        assertRefused(post(tight, "/interact", Json.write(request)), 400, "tests must not contain more than 3 tests");
    }

    @Test
    void anInvalidRequestIs400WithTheExecutorsMessage() throws Exception {
        HttpResponse<String> response = post("/execute", Json.write(request("cobol", "x", "")));
        assertEquals(400, response.statusCode());
        assertTrue(json(response).get("error").asString().contains("cobol"), response.body());
    }

    @Test
    void malformedJsonIs400WithWhatIsWrong() throws Exception {
        assertRefused(
                post("/execute", "{\"language\":"), 400, "request body is not valid JSON: Unexpected end-of-input");
        assertRefused(post("/execute", ""), 400, "request body is not a valid execution request: No content to map");
        assertRefused(
                post("/execute", "null"),
                400,
                "request body is not a valid execution request: it is null, not an object");
        assertRefused(post("/execute", "[]"), 400, "request body is not a valid execution request: Cannot deserialize");
        assertRefused(
                post("/execute", "{\"language\":\"python\"}"),
                400,
                "request body is not a valid execution request: version is required");
        String valid = Json.write(request("python", "print(1)", ""));
        assertRefused(
                post("/execute", valid.replace("\"content\":\"print(1)\"", "\"content\":null")),
                400,
                "request body is not a valid execution request: content is required (at files[0])");
        assertRefused(
                post("/execute", valid + valid), 400, "request body is not a valid execution request: Trailing token");
        assertRefused(post("/execute", valid + " x"), 400, "request body is not valid JSON: Unrecognized token 'x'");
        assertRefused(
                post(
                        "/execute",
                        valid.replace("{\"language\":\"python\"", "{\"language\":\"python\",\"language\":\"c\"")),
                400,
                "request body is not valid JSON: Duplicate Object property \"language\"");
        assertRefused(
                post(
                        "/execute",
                        "{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":\"x\",\"encoding\":\"EBCDIC\"}],\"runs\":[{}]}"),
                400,
                "(at files[0].encoding)");
        assertRefused(
                post("/execute", valid.replace("\"runs\":[{", "\"runs\":[null,{")),
                400,
                "request body is not a valid execution request: a required value is missing or null");
    }

    /** Deep nesting and token floods are refused by the reader before they fill the heap, even in ignored properties. */
    @Test
    void theReaderRefusesDeepNestingAndTokenFloods() throws Exception {
        String valid = Json.write(request("python", "print(1)", ""));
        String deep = "[".repeat(SessionServer.MAX_JSON_DEPTH) + "]".repeat(SessionServer.MAX_JSON_DEPTH);
        assertRefused(
                post("/execute", valid.replaceFirst("}$", ",\"ignored\":" + deep + "}")),
                400,
                "request body is past a limit of the JSON reader: Document nesting depth ("
                        + (SessionServer.MAX_JSON_DEPTH + 1) + ") exceeds the maximum allowed ("
                        + SessionServer.MAX_JSON_DEPTH);
        String deeper = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertRefused(
                post("/execute", valid.replaceFirst("}$", ",\"ignored\":" + deeper + "}")),
                400,
                "request body is past a limit of the JSON reader: Document nesting depth");
        // Where a known property expects something else, the shape is refused first.
        assertRefused(
                post("/execute", "[".repeat(100_000) + "]".repeat(100_000)),
                400,
                "request body is not a valid execution request: Cannot deserialize");
        String flood = "0,".repeat((int) SessionServer.MIN_JSON_TOKENS) + "0";
        assertRefused(
                post("/execute", valid.replaceFirst("}$", ",\"ignored\":[" + flood + "]}")),
                400,
                "request body is past a limit of the JSON reader: Token count");
    }

    @ParameterizedTest
    @CsvSource({"cpuTime, cpu time", "wallTime, wall time", "memoryBytes, memory", "outputBytes, output"})
    void aLimitOverTheMaximumIs400NamingTheLimitAndTheMaximum(String field, String name) throws Exception {
        StageLimits max = CONFIG.max();
        String maxText = switch (field) {
            case "cpuTime" -> max.cpuTime().toMillis() + " ms";
            case "wallTime" -> max.wallTime().toMillis() + " ms";
            case "memoryBytes" -> max.memoryBytes() + " bytes";
            default -> max.outputBytes() + " bytes";
        };
        for (String stage : List.of("run", "compile")) {
            ExecutionRequest over = request("c", C_ECHO, "1");
            LimitRequest limits = over(max, field);
            over = stage.equals("run")
                    ? withLimits(over, LimitRequest.DEFAULTS, limits)
                    : withLimits(over, limits, LimitRequest.DEFAULTS);
            assertRefused(
                    post("/execute", Json.write(over)),
                    400,
                    stage + " " + name + " cannot exceed the configured limit of " + maxText);
        }
    }

    @Test
    void theWordingIsPistons() throws Exception {
        ExecutionRequest over = withLimits(
                request("python", "print(1)", ""),
                LimitRequest.DEFAULTS,
                new LimitRequest(null, Duration.ofMillis(60_001), null, null));
        HttpResponse<String> response = post("/execute", Json.write(over));
        assertEquals(400, response.statusCode());
        assertEquals("{\"error\":\"run wall time cannot exceed the configured limit of 60000 ms\"}", response.body());
    }

    @Test
    void limitsAtExactlyTheMaximumRun() throws Exception {
        StageLimits max = CONFIG.max();
        LimitRequest atMax = new LimitRequest(max.cpuTime(), max.wallTime(), max.memoryBytes(), max.outputBytes());
        HttpResponse<String> response =
                post("/execute", Json.write(withLimits(request("c", C_ECHO, "1"), atMax, atMax)));
        assertEquals(200, response.statusCode(), response.body());
        ExecutionResult result = Json.read(response.body(), ExecutionResult.class);
        assertTrue(result.compile().succeeded(), result.compile().toString());
        assertEquals("2\n", result.runs().getFirst().stdout());
    }

    /** Limits that are not positive, not numbers, not exact, or too large to hold: 400, never a default or a wrapped value. */
    @Test
    void limitsThatAreNotExactPositiveValuesAre400() throws Exception {
        String valid = Json.write(request("python", "print(1)", ""));
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"memoryBytes\":-1}", "limits must be positive (at runLimits)");
        cases.put("{\"memoryBytes\":0}", "limits must be positive (at runLimits)");
        cases.put("{\"cpuTime\":\"PT-5S\"}", "limits must be positive (at runLimits)");
        cases.put("{\"cpuTime\":\"PT0.0001S\"}", "limits must be positive (at runLimits)");
        cases.put("{\"memoryBytes\":NaN}", "request body is not valid JSON: Non-standard token 'NaN'");
        cases.put("{\"memoryBytes\":\"NaN\"}", "(at runLimits.memoryBytes)");
        cases.put(
                "{\"memoryBytes\":1e300}",
                "Cannot coerce Floating-point value (1e300) to `java.lang.Long` value (at runLimits.memoryBytes)");
        cases.put(
                "{\"memoryBytes\":99999999999999999999999}",
                "request body is not a valid execution request: Numeric value (99999999999999999999999) out of range of `long`");
        cases.put(
                "{\"memoryBytes\":2.5}",
                "Cannot coerce Floating-point value (2.5) to `java.lang.Long` value (at runLimits.memoryBytes)");
        cases.put("{\"cpuTime\":3}", "a duration must be an ISO-8601 string such as \"PT3S\" (at runLimits.cpuTime)");
        // Read as seconds, 2^64 + 0.5 used to wrap around to half a second.
        cases.put("{\"cpuTime\":18446744073709551616.5}", "a duration must be an ISO-8601 string");
        cases.put(
                "{\"cpuTime\":\"PT9223372036854775807S\"}",
                "\"PT9223372036854775807S\" is longer than a duration can be in milliseconds (at runLimits.cpuTime)");
        cases.put(
                "{\"cpuTime\":\"3 seconds\"}",
                "\"3 seconds\" is not an ISO-8601 duration such as \"PT3S\" (at runLimits.cpuTime)");
        cases.put("{\"cpuTime\":[1]}", "a duration must be an ISO-8601 string");
        for (var c : cases.entrySet()) {
            String body = valid.replaceFirst(
                    "\"runLimits\":\\{[^}]*}", "\"runLimits\":" + java.util.regex.Matcher.quoteReplacement(c.getKey()));
            assertTrue(body.contains(c.getKey()), body);
            assertRefused(post("/execute", body), 400, c.getValue());
        }
        // Far past the maximum, but a duration: the executor's refusal.
        String huge = valid.replaceFirst("\"runLimits\":\\{[^}]*}", "\"runLimits\":{\"cpuTime\":\"PT1000000000000S\"}");
        assertRefused(post("/execute", huge), 400, "run cpu time cannot exceed the configured limit of 30000 ms");
    }

    @Test
    void moreRunsThanTheMaximumIs400AndTheMaximumRuns() throws Exception {
        HttpResponse<String> atMax =
                post(tight, "/execute", Json.write(request("python", "print(input())", "a", "b", "c")));
        assertEquals(200, atMax.statusCode(), atMax.body());
        assertEquals(
                List.of("a\n", "b\n", "c\n"),
                Json.read(atMax.body(), ExecutionResult.class).runs().stream()
                        .map(r -> r.stdout())
                        .toList());
        assertRefused(
                post(tight, "/execute", Json.write(request("python", "print(input())", "a", "b", "c", "d"))),
                400,
                "runs must not contain more than 3 runs");
    }

    @Test
    void moreFilesThanTheMaximumIs400() throws Exception {
        assertRefused(
                post("/execute", Json.write(withDataFiles(CONFIG.maxFiles()))),
                400,
                "files must not contain more than " + CONFIG.maxFiles() + " files");
    }

    /**
     * The executor accepts {@code maxFiles} files but opens the box with the stages' default
     * inode limit, which is the same number: the files and their directory do not fit, and the
     * write fails ("No space left on device", a 500). For the executor's sandbox code to settle
     * (size the box for the submission, or keep maxFiles below the box's inodes).
     */
    @Test
    void filesAtTheMaximumRun() throws Exception {
        HttpResponse<String> response = post("/execute", Json.write(withDataFiles(CONFIG.maxFiles() - 1)));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(
                (CONFIG.maxFiles() - 1) + "\n",
                Json.read(response.body(), ExecutionResult.class)
                        .runs()
                        .getFirst()
                        .stdout());
    }

    /** A Python program that prints how many data files it got, and {@code count} empty ones. */
    private static ExecutionRequest withDataFiles(int count) {
        List<SourceFile> files = new java.util.ArrayList<>();
        files.add(SourceFile.utf8("main.py", "import os; print(len(os.listdir('data')))"));
        for (int i = 0; i < count; i++) {
            files.add(new SourceFile("data/" + i, "", SourceFile.Encoding.BASE64));
        }
        return new ExecutionRequest("python", "*", files, Map.of(), null, null, List.of(new RunInput("", List.of())));
    }

    @Test
    void aBodyOverTheMaximumIs413AndOneAtTheMaximumRuns() throws Exception {
        long max = TIGHT.maxBodyBytes();
        String atMax = padded(request("python", "print(len(input()))", ""), max);
        assertEquals(max, atMax.getBytes(StandardCharsets.UTF_8).length);
        HttpResponse<String> response = post(tight, "/execute", atMax);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(
                List.of((max
                                - padded(request("python", "print(len(input()))", ""), 0)
                                        .length()) + "\n"),
                Json.read(response.body(), ExecutionResult.class).runs().stream()
                        .map(r -> r.stdout())
                        .toList());
        assertRefused(
                post(tight, "/execute", padded(request("python", "print(len(input()))", ""), max + 1)),
                413,
                "request body must not exceed 65536 bytes");
        // Without a declared length (chunked): read up to the maximum, then refused.
        byte[] over = padded(request("python", "print(1)", ""), max + 5000).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = HTTP.send(
                HttpRequest.newBuilder(uri(tight, "/execute"))
                        .version(HttpClient.Version.HTTP_1_1)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(over)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(chunked, 413, "request body must not exceed 65536 bytes");
        // A declared length over the maximum is answered before any of the body is sent.
        // It says the connection closes (the body was not read), so that no client sends its next request on it.
        String answer =
                rawExchange(tight, "POST /execute HTTP/1.1\r\nHost: session\r\nContent-Length: 100000000000\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), answer);
        assertTrue(answer.endsWith("{\"error\":\"request body must not exceed 65536 bytes\"}"), answer);
    }

    /** Bodies held at once are bounded by the maximum body: past it, 503 with Retry-After, and the room comes back. */
    @Test
    void bodiesBeyondTheRoomLeftAre503UntilItComesBack() throws Exception {
        String body = padded(request("python", "print(1)", ""), 40_000);
        HttpResponse<String> busy = null;
        for (int attempt = 0; attempt < 5 && (busy == null || busy.statusCode() != 503); attempt++) {
            try (java.net.Socket slow = new java.net.Socket("127.0.0.1", tight.port())) {
                // Declares 40000 bytes and sends ten: the server holds room for 40000 while it waits.
                slow.getOutputStream()
                        .write(("POST /execute HTTP/1.1\r\nHost: session\r\nContent-Length: 40000\r\n\r\n"
                                        + body.substring(0, 10))
                                .getBytes(StandardCharsets.UTF_8));
                slow.getOutputStream().flush();
                Thread.sleep(300);
                if (slow.getInputStream().available() == 0) { // not answered: it holds its room
                    busy = post(tight, "/execute", body);
                }
            }
        }
        assertRefused(busy, 503, "the session is holding other requests' bodies; retry later");
        assertEquals("1", busy.headers().firstValue("Retry-After").orElse(null));
        awaitOk(tight, body);
    }

    /**
     * What a hostile caller could send besides a request: each connection is cut or refused, none
     * is answered with a 500, and the server answers the next request.
     */
    @Test
    void hostileConnectionsAreCutAndTheServerStillAnswers() throws Exception {
        String ok = Json.write(request("python", "print(1)", ""));
        // A chunked body that never ends: the connection is closed after the read timeout.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", tight.port())) {
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis() + 10_000);
            socket.getOutputStream()
                    .write(
                            "POST /execute HTTP/1.1\r\nHost: session\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n"
                                    .getBytes(StandardCharsets.UTF_8));
            long start = System.nanoTime();
            String answer = readAll(socket);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(seconds <= READ_TIMEOUT.toSeconds() + 3, "cut after " + seconds + " s");
        }
        awaitOk(tight, ok); // its room (a whole body, as its length was not declared) came back
        // A chunk length past 2^31, which the JDK reads as negative: 400, not 500.
        String negative = rawExchange(
                tight, "POST /execute HTTP/1.1\r\nHost: session\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\nab");
        assertTrue(negative.startsWith("HTTP/1.1 400 ") && negative.contains("invalid chunk length"), negative);
        String invalid = rawExchange(
                tight, "POST /execute HTTP/1.1\r\nHost: session\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab");
        assertTrue(invalid.startsWith("HTTP/1.1 400 ") && invalid.contains("request body could not be read"), invalid);
        // Headers past the JDK server's bounds (380 KiB, 200 headers): closed without an answer.
        assertEquals(
                "",
                rawExchange(
                        tight,
                        "GET /health HTTP/1.1\r\nHost: session\r\nX-Big: " + "a".repeat(400 * 1024) + "\r\n\r\n"));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            many.append("X-Many-").append(i).append(": 1\r\n");
        }
        assertEquals("", rawExchange(tight, "GET /health HTTP/1.1\r\nHost: session\r\n" + many + "\r\n"));
        // A correlation id that is not the api's shape is not logged, and the request is served.
        HttpResponse<String> odd = HTTP.send(
                HttpRequest.newBuilder(uri(tight, "/execute"))
                        .header(SessionServer.CORRELATION_HEADER, "x".repeat(5000))
                        .POST(HttpRequest.BodyPublishers.ofString(ok))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, odd.statusCode(), odd.body());
        awaitOk(tight, ok);
    }

    @Test
    void listsTheInstalledRuntimes() throws Exception {
        HttpResponse<String> response = get("/runtimes");
        assertEquals(200, response.statusCode());
        List<String> languages = json(response)
                .valueStream()
                .map(r -> r.get("language").asString())
                .toList();
        assertTrue(languages.containsAll(List.of("python", "c", "c++", "java", "javascript")), languages.toString());
    }

    @Test
    void healthReportsTheSandboxIsolation() throws Exception {
        HttpResponse<String> response = get("/health");
        assertEquals(200, response.statusCode());
        JsonNode health = json(response);
        assertEquals(
                executor.sandbox().isolation().level().name(),
                health.get("isolation").get("level").asString());
        assertEquals(
                executor.sandbox().isolation().full() ? "ok" : "degraded",
                health.get("status").asString());
    }

    /**
     * The server's own 404 carries its mark, so that the worker does not take it for the pool
     * gateway's 404 (no session left), which it retries.
     */
    @Test
    void wrongMethodAndUnknownPathAreRefused() throws Exception {
        assertEquals(405, get("/execute").statusCode());
        for (String path : List.of("/execute/more", "/", "/code/execute", "/nope?identifier=x")) {
            HttpResponse<String> response = get(path);
            assertEquals(404, response.statusCode(), path);
            assertEquals(
                    "application/json",
                    response.headers().firstValue("Content-Type").orElse(null));
            assertEquals(SessionServer.SERVER_MARK, json(response).get("server").asString(), response.body());
            assertTrue(json(response).get("error").asString().startsWith("no such path: /"), response.body());
        }
        HttpResponse<String> posted = post("/elsewhere", "{}");
        assertEquals(404, posted.statusCode());
        assertEquals(SessionServer.SERVER_MARK, json(posted).get("server").asString());
    }

    /**
     * A server for one answer (the image on Azure, where the pool destroys a session whose
     * container exited): it answers one execution, then runs its hook once the answer is sent; a
     * later request is 503 with Retry-After (the worker takes another session), health still answers.
     */
    @Test
    void aOneAnswerServerAnswersOnceThenEnds() throws Exception {
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger hooks = new java.util.concurrent.atomic.AtomicInteger();
        SessionServer once = SessionServer.startForOneAnswer(executor, TIGHT, 0, () -> {
            hooks.incrementAndGet();
            ended.countDown();
        });
        try {
            HttpResponse<String> first = post(once, "/execute", Json.write(request("python", "print(7)", "")));
            assertEquals(200, first.statusCode(), first.body());
            assertEquals(
                    "7\n",
                    Json.read(first.body(), ExecutionResult.class)
                            .runs()
                            .getFirst()
                            .stdout());
            assertTrue(ended.await(10, TimeUnit.SECONDS), "the hook ran after the answer");
            HttpResponse<String> second = post(once, "/execute", Json.write(request("python", "print(8)", "")));
            assertRefused(second, 503, "answered its one request");
            assertEquals("1", second.headers().firstValue("Retry-After").orElse(null));
            assertEquals(
                    503,
                    HTTP.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + once.port() + "/runtimes"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode());
            assertEquals(
                    200,
                    HTTP.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + once.port() + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode());
            Thread.sleep(200);
            assertEquals(1, hooks.get(), "the hook runs once");
        } finally {
            once.close();
        }
    }

    @Test
    void settingsComeFromTheEnvironment() {
        SessionSettings settings = SessionSettings.fromEnvironment(Map.of(
                "PORT",
                "9090",
                "CE_SLOTS",
                "3",
                "CE_ISOLATION",
                "namespaces",
                "CE_DATA_DIR",
                "/srv/ce",
                "CE_RECYCLE_AFTER",
                "0",
                "CE_MAX_BODY_BYTES",
                "1000000",
                "CE_MAX_RUNS",
                "7",
                "CE_READ_TIMEOUT",
                "30"));
        assertEquals(9090, settings.port());
        assertEquals(0, settings.sandbox().recycleAfter());
        assertEquals(
                SandboxConfig.defaults().recycleAfter(),
                SessionSettings.fromEnvironment(Map.of()).sandbox().recycleAfter());
        assertEquals(3, settings.sandbox().slots());
        assertEquals("namespaces", settings.sandbox().isolation());
        assertEquals(Path.of("/srv/ce"), settings.sandbox().dataDir());
        assertEquals(new RequestLimits(1_000_000, 7, Duration.ofSeconds(30)), settings.requests());
        assertEquals(8080, SessionSettings.fromEnvironment(Map.of()).port());
        assertEquals(
                RequestLimits.defaults(CONFIG.maxSourceBytes()),
                SessionSettings.fromEnvironment(Map.of()).requests());
        assertFalse(settings.exitAfterAnswer());
        assertTrue(SessionSettings.fromEnvironment(Map.of("CE_EXIT_AFTER_ANSWER", "true"))
                .exitAfterAnswer());
        assertEquals(
                "CE_EXIT_AFTER_ANSWER must be true or false, was \"yes\"",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> SessionSettings.fromEnvironment(Map.of("CE_EXIT_AFTER_ANSWER", "yes")))
                        .getMessage());
    }

    @Test
    void theBodyMaximumFitsTheSourceAndTheHeap() {
        long heap = Runtime.getRuntime().maxMemory();
        assertEquals(
                Math.min((long) (1.5 * (1 << 20)) + (1 << 20), heap / 4),
                RequestLimits.defaults(1 << 20).maxBodyBytes());
        assertEquals(
                Math.min(heap / 4, RequestLimits.MAX_BODY_BYTES),
                RequestLimits.defaults(Long.MAX_VALUE / 2).maxBodyBytes());
        assertEquals(4096, RequestLimits.defaults(1).maxRuns());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "CE_MAX_BODY_BYTES | 0 | CE_MAX_BODY_BYTES: the body maximum must be 1..2147483639 bytes, was 0",
                "CE_MAX_BODY_BYTES | 3000000000 | CE_MAX_BODY_BYTES: the body maximum must be 1..2147483639 bytes, was 3000000000",
                "CE_MAX_BODY_BYTES | 1MB | CE_MAX_BODY_BYTES must be a whole number, was \"1MB\"",
                "CE_MAX_RUNS | -1 | CE_MAX_RUNS: the runs maximum must be at least 1, was -1",
                "CE_MAX_RUNS | 9999999999 | CE_MAX_RUNS must be at most 2147483647, was 9999999999",
                "CE_READ_TIMEOUT | 0 | CE_READ_TIMEOUT: the read timeout must be at least 1 s, was PT0S"
            })
    void badRequestSettingsAreRefusedByName(String name, String value, String message) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SessionSettings.fromEnvironment(Map.of(name, value)));
        assertEquals(message, e.getMessage());
    }

    /**
     * The image's own start: the session server as its own JVM with the image's logging, as
     * {@code session-image/Dockerfile} runs it. Every line is a JSON object, and the execution's
     * carries the request's correlation id in its MDC.
     */
    @Test
    void theImagesServerLogsJsonLinesWithTheCorrelationId() throws Exception {
        ImageServer image =
                ImageServer.start(Map.of("CE_UID_BASE", "64400", "CE_CGROUP_NAME", "coding-engine-session-log-test"));
        try {
            awaitLine(image.out(), "session server listening");
            String id = "c0ffee00-1234-4abc-8def-000000000042";
            HttpResponse<String> response = image.execute(request("python", "print(1)", ""), id);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode executed = Json.mapper().readTree(awaitLine(image.out(), id));
            assertEquals(id, executed.get("mdc").get("correlationId").asString());
            assertEquals("INFO", executed.get("level").asString());
            assertTrue(
                    executed.get("formattedMessage").asString().startsWith("executed python (1 runs) in "),
                    executed.toString());
        } finally {
            image.stop();
        }
    }

    /**
     * The image's own start with {@code CE_EXIT_AFTER_ANSWER=true}, as {@code infra/main.bicep}
     * sets it for a pool with {@code lifecycleType: OnContainerExit}: the JVM answers one execution
     * completely and then exits with status 0, which ends the session.
     */
    @Test
    void theImagesServerExitsAfterItsOneAnswer() throws Exception {
        ImageServer image = ImageServer.start(Map.of(
                "CE_UID_BASE",
                "64410",
                "CE_CGROUP_NAME",
                "coding-engine-session-once-test",
                "CE_EXIT_AFTER_ANSWER",
                "true"));
        try {
            awaitLine(image.out(), "exits after one answer");
            HttpResponse<String> response = image.execute(request("python", "print(6*7)", ""), "corr-once");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(
                    "42\n",
                    Json.read(response.body(), ExecutionResult.class)
                            .runs()
                            .getFirst()
                            .stdout());
            assertTrue(image.process().waitFor(30, TimeUnit.SECONDS), "the session's JVM exits after its answer");
            assertEquals(0, image.process().exitValue());
        } finally {
            image.stop();
        }
    }

    /**
     * The session server as its own JVM with the image's logging, as {@code session-image/Dockerfile}
     * runs it, on a free port, one slot, with {@code env} added; {@link #out} has its output lines.
     */
    private record ImageServer(Process process, java.util.concurrent.BlockingQueue<String> out, int port) {

        static ImageServer start(Map<String, String> env) throws Exception {
            int port;
            try (var probe = new java.net.ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            ProcessBuilder builder = new ProcessBuilder(
                            ProcessHandle.current().info().command().orElseThrow(),
                            "--enable-native-access=ALL-UNNAMED",
                            "-Dlogback.configurationFile=session-logback.xml",
                            "-cp",
                            System.getProperty("java.class.path"),
                            SessionServer.class.getName())
                    .redirectErrorStream(true);
            builder.environment()
                    .putAll(Map.of(
                            "PORT",
                            Integer.toString(port),
                            "CE_SLOTS",
                            "1",
                            "CE_DATA_DIR",
                            Files.createTempDirectory("ce-session-image-").toString()));
            builder.environment().putAll(env);
            Process process = builder.start();
            // Read until the server ends; closing the reader first would wait on the read.
            java.util.concurrent.BlockingQueue<String> out = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread.ofVirtual()
                    .start(() ->
                            process.inputReader(StandardCharsets.UTF_8).lines().forEach(out::add));
            return new ImageServer(process, out, port);
        }

        HttpResponse<String> execute(ExecutionRequest request, String correlationId) throws Exception {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/execute"))
                            .header("Content-Type", "application/json")
                            .header("X-Correlation-Id", correlationId)
                            .POST(HttpRequest.BodyPublishers.ofString(Json.write(request)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** SIGTERM (the shutdown hook closes the sandbox), then a kill after 30 s. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The first line containing {@code text}, after checking that every line before it is JSON. */
    private static String awaitLine(java.util.concurrent.BlockingQueue<String> lines, String text) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            if (line != null) {
                assertTrue(Json.mapper().readTree(line).isObject(), "not a JSON line: " + line);
                if (line.contains(text)) {
                    return line;
                }
            }
        }
        throw new AssertionError("no log line with " + text + " within 60 s");
    }

    private static final String C_ECHO =
            "#include <stdio.h>\nint main(void){int a;scanf(\"%d\",&a);printf(\"%d\\n\",a+1);}";

    private static ExecutionRequest request(String language, String source, String... stdins) {
        return new ExecutionRequest(
                language,
                "*",
                List.of(SourceFile.utf8(null, source)),
                Map.of(),
                null,
                null,
                java.util.Arrays.stream(stdins)
                        .map(s -> new RunInput(s, List.of()))
                        .toList());
    }

    private static ExecutionRequest withLimits(ExecutionRequest r, LimitRequest compile, LimitRequest run) {
        return new ExecutionRequest(r.language(), r.version(), r.files(), r.options(), compile, run, r.runs());
    }

    /** Each limit at the maximum, {@code field} one unit (a millisecond, a byte) past it. */
    private static LimitRequest over(StageLimits max, String field) {
        Duration ms = Duration.ofMillis(1);
        return new LimitRequest(
                field.equals("cpuTime") ? max.cpuTime().plus(ms) : max.cpuTime(),
                field.equals("wallTime") ? max.wallTime().plus(ms) : max.wallTime(),
                field.equals("memoryBytes") ? max.memoryBytes() + 1 : max.memoryBytes(),
                field.equals("outputBytes") ? max.outputBytes() + 1 : max.outputBytes());
    }

    /** {@code request} as JSON with its first run's stdin padded with "x" to {@code bytes} bytes (or unpadded when shorter). */
    private static String padded(ExecutionRequest request, long bytes) {
        String json = Json.write(request);
        int pad = (int) Math.max(0, bytes - json.getBytes(StandardCharsets.UTF_8).length);
        return json.replaceFirst("\"stdin\":\"\"", "\"stdin\":\"" + "x".repeat(pad) + "\"");
    }

    /** Refused with {@code status} and a JSON error containing {@code message}, and no trace of the server's insides. */
    private static void assertRefused(HttpResponse<String> response, int status, String message) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(
                "application/json",
                response.headers().firstValue("Content-Type").orElse(null));
        JsonNode body = json(response);
        assertEquals(List.of("error"), List.copyOf(body.propertyNames()), response.body());
        String error = body.get("error").asString();
        assertTrue(error.contains(message), "expected \"" + message + "\" in: " + error);
        assertFalse(error.contains("\tat ") || error.contains("\n") || error.contains("REDACTED"), error);
    }

    /** Retries until {@code body} runs: a closed connection's room may come back a moment after the close. */
    private static void awaitOk(SessionServer target, String body) throws Exception {
        HttpResponse<String> response = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            response = post(target, "/execute", body);
            if (response.statusCode() != 503) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(200, response.statusCode(), response.body());
    }

    /** Sends {@code request} as it is on a new connection and reads what comes back until the server closes it. */
    private static String rawExchange(SessionServer target, String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", target.port())) {
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis() + 10_000);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                socket.shutdownOutput();
            } catch (java.io.IOException closedWhileSending) {
                // the server may close before it has read everything (headers past its bounds)
            }
            return readAll(socket);
        }
    }

    private static String readAll(java.net.Socket socket) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            socket.getInputStream().transferTo(out);
        } catch (java.net.SocketException reset) {
            // a reset after the answer: what came before it counts
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return post(server, path, body);
    }

    private static HttpResponse<String> post(SessionServer target, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri(target, path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(server, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(SessionServer target, String path) {
        return URI.create("http://127.0.0.1:" + target.port() + path);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }
}
