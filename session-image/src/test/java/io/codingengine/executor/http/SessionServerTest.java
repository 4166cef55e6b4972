package io.codingengine.executor.http;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.store.StoreJson;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session container's HTTP app over real HTTP, in front of the real sandboxed executor. */
class SessionServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SandboxedExecutor executor;
    private static SessionServer server;

    @BeforeAll
    static void start() throws Exception {
        Path dataDir = Files.createTempDirectory("ce-session-test-");
        executor = SandboxedExecutor.start(SandboxConfig.defaults().withDataDir(dataDir).withSlots(2)
                .withUidBase(63000).withCgroupName("coding-engine-session-test"), ExecutorConfig.judging());
        server = SessionServer.start(executor, ExecutorConfig.judging().maxSourceBytes(), 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        executor.close();
    }

    @Test
    void executesAPythonProgramWithItsInput() throws Exception {
        ExecutionRequest request = request("python", "print(int(input()) * 2)", "21", "50");
        HttpResponse<String> response = post("/execute", StoreJson.write(request));
        assertEquals(200, response.statusCode());
        ExecutionResult result = StoreJson.read(response.body(), ExecutionResult.class);
        assertEquals("python", result.language());
        assertEquals(List.of("42\n", "100\n"), result.runs().stream().map(r -> r.stdout()).toList());
    }

    @Test
    void compilesCOnceAndAnswersOnThePathThePoolForwards() throws Exception {
        // The pool forwards "/execute?identifier=<id>" exactly as the worker sent it.
        ExecutionRequest request = request("c", "#include <stdio.h>\nint main(void){int a;scanf(\"%d\",&a);printf(\"%d\\n\",a+1);}", "1");
        HttpResponse<String> response = post("/execute?identifier=0b7a1e0c-session", StoreJson.write(request));
        assertEquals(200, response.statusCode());
        ExecutionResult result = StoreJson.read(response.body(), ExecutionResult.class);
        assertTrue(result.compile().succeeded(), result.compile().toString());
        assertEquals("2\n", result.runs().getFirst().stdout());
    }

    @Test
    void anInvalidRequestIs400WithTheExecutorsMessage() throws Exception {
        HttpResponse<String> response = post("/execute", StoreJson.write(request("cobol", "x", "")));
        assertEquals(400, response.statusCode());
        assertTrue(json(response).get("error").asString().contains("cobol"), response.body());
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertEquals(400, post("/execute", "{\"language\":").statusCode());
        assertEquals(400, post("/execute", "{\"language\":\"python\"}").statusCode());
    }

    @Test
    void listsTheInstalledRuntimes() throws Exception {
        HttpResponse<String> response = get("/runtimes");
        assertEquals(200, response.statusCode());
        List<String> languages = json(response).valueStream().map(r -> r.get("language").asString()).toList();
        assertTrue(languages.containsAll(List.of("python", "c", "c++", "java", "javascript")), languages.toString());
    }

    @Test
    void healthReportsTheSandboxIsolation() throws Exception {
        HttpResponse<String> response = get("/health");
        assertEquals(200, response.statusCode());
        JsonNode health = json(response);
        assertEquals(executor.sandbox().isolation().level().name(), health.get("isolation").get("level").asString());
        assertEquals(executor.sandbox().isolation().full() ? "ok" : "degraded", health.get("status").asString());
    }

    @Test
    void wrongMethodAndUnknownPathAreRefused() throws Exception {
        assertEquals(405, get("/execute").statusCode());
        assertEquals(404, get("/execute/more").statusCode());
        assertEquals(404, get("/").statusCode());
    }

    @Test
    void settingsComeFromTheEnvironment() {
        SessionSettings settings = SessionSettings.fromEnvironment(Map.of("PORT", "9090", "CE_SLOTS", "3",
                "CE_ISOLATION", "namespaces", "CE_DATA_DIR", "/srv/ce", "CE_RECYCLE_AFTER", "0"));
        assertEquals(9090, settings.port());
        assertEquals(0, settings.sandbox().recycleAfter());
        assertEquals(SandboxConfig.defaults().recycleAfter(), SessionSettings.fromEnvironment(Map.of()).sandbox().recycleAfter());
        assertEquals(3, settings.sandbox().slots());
        assertEquals("namespaces", settings.sandbox().isolation());
        assertEquals(Path.of("/srv/ce"), settings.sandbox().dataDir());
        assertEquals(8080, SessionSettings.fromEnvironment(Map.of()).port());
    }

    /**
     * The image's own start: the session server as its own JVM with the image's logging, as
     * {@code session-image/Dockerfile} runs it. Every line is a JSON object, and the execution's
     * carries the request's correlation id in its MDC.
     */
    @Test
    void theImagesServerLogsJsonLinesWithTheCorrelationId() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Dlogback.configurationFile=session-logback.xml",
                "-cp", System.getProperty("java.class.path"), SessionServer.class.getName()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("PORT", Integer.toString(port), "CE_SLOTS", "1", "CE_UID_BASE", "64400",
                "CE_CGROUP_NAME", "coding-engine-session-log-test",
                "CE_DATA_DIR", Files.createTempDirectory("ce-session-log-").toString()));
        Process server = builder.start();
        // Read until the server ends (it is destroyed below); closing the reader first would wait on the read.
        java.util.concurrent.BlockingQueue<String> out = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> server.inputReader(java.nio.charset.StandardCharsets.UTF_8).lines().forEach(out::add));
        try {
            awaitLine(out, "session server listening");
            String id = "c0ffee00-1234-4abc-8def-000000000042";
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/execute"))
                    .header("Content-Type", "application/json").header("X-Correlation-Id", id)
                    .POST(HttpRequest.BodyPublishers.ofString(StoreJson.write(request("python", "print(1)", "")))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            JsonNode executed = StoreJson.mapper().readTree(awaitLine(out, id));
            assertEquals(id, executed.get("mdc").get("correlationId").asString());
            assertEquals("INFO", executed.get("level").asString());
            assertTrue(executed.get("formattedMessage").asString().startsWith("executed python (1 runs) in "), executed.toString());
        } finally {
            server.destroy(); // SIGTERM: the shutdown hook closes the sandbox
            if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** The first line containing {@code text}, after checking that every line before it is JSON. */
    private static String awaitLine(java.util.concurrent.BlockingQueue<String> lines, String text) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            if (line != null) {
                assertTrue(StoreJson.mapper().readTree(line).isObject(), "not a JSON line: " + line);
                if (line.contains(text)) {
                    return line;
                }
            }
        }
        throw new AssertionError("no log line with " + text + " within 60 s");
    }

    private static ExecutionRequest request(String language, String source, String... stdins) {
        return new ExecutionRequest(language, "*", List.of(SourceFile.utf8(null, source)), Map.of(), null, null,
                java.util.Arrays.stream(stdins).map(s -> new RunInput(s, List.of())).toList());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return StoreJson.mapper().readTree(response.body());
    }
}
