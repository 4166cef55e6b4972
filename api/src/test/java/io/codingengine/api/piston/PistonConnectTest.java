package io.codingengine.api.piston;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.InProcessWorker;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * Piston's WebSocket execution, {@code /api/v2/connect}, with a real WebSocket client (the JDK's)
 * against the real pipeline: the embedded broker, PostgreSQL and a real worker whose sandbox runs
 * the program while the client talks to it. Each test uses a key of its own, so its executions
 * draw on a bucket of their own.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=queue",
            "coding-engine.broker-port=0",
            "coding-engine.limits.executions-per-minute=3",
            "coding-engine.limits.executions-in-flight-per-address=3",
            "coding-engine.piston.connect-idle-timeout=3s"
        })
class PistonConnectTest {

    private static final PostgresExtension.Database DATABASE = PostgresExtension.newDatabase("PistonConnectTest");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ECHO = """
            import sys
            for line in sys.stdin:
                print(line.strip().upper(), flush=True)
            """;
    private static InProcessWorker worker;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "coding-engine.data-dir",
                () -> InProcessWorker.tempDir("ce-api-piston-connect-").toString());
        PostgresSettings.register(registry, DATABASE);
        registry.add("coding-engine.access.admin-key-sha256", () -> TestKeys.ADMIN_SHA256);
    }

    @BeforeAll
    static void startWorker(@Autowired EmbeddedArtemisBroker broker, @Autowired MeterRegistry metrics) {
        worker = InProcessWorker.start(
                broker.url(), DATABASE.dataSource(), 67200, "coding-engine-api-piston-connect-test", metrics);
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    private PistonConnectClient connect(String key) {
        return PistonConnectClient.connect(port, key);
    }

    private PistonConnectClient init(String key, Map<String, Object> init) {
        PistonConnectClient client = connect(key);
        Map<String, Object> message = new java.util.LinkedHashMap<>(init);
        message.put("type", "init");
        client.send(message);
        return client;
    }

    private static Map<String, Object> program(String language, String source, Object... limits) {
        Map<String, Object> init = new java.util.LinkedHashMap<>();
        init.put("language", language);
        init.put("version", "*");
        init.put("files", List.of(Map.of("content", source)));
        for (int i = 0; i < limits.length; i += 2) {
            init.put((String) limits[i], limits[i + 1]);
        }
        return init;
    }

    @Test
    void aPythonEchoAnswersLineByLineWhileItRuns() throws Exception {
        String subject = unique("echo");
        PistonConnectClient client = init(issue(subject), program("py", ECHO, "run_timeout", 20000));
        JsonNode runtime = client.next("runtime");
        assertEquals("python", runtime.get("language").asString());
        assertTrue(runtime.get("version").asString().startsWith("3."), runtime.toString());
        assertEquals("run", client.next("stage").get("stage").asString());
        client.stdin("hello\n");
        assertEquals("HELLO\n", client.stdoutUntil("HELLO\n"));
        client.stdin("wörld\n");
        assertEquals("WÖRLD\n", client.stdoutUntil("WÖRLD\n"));
        client.send(Map.of("type", "eof"));
        JsonNode exit = client.next("exit");
        assertEquals(
                "{\"type\":\"exit\",\"stage\":\"run\",\"code\":0,\"signal\":null,\"status\":null,\"message\":null}",
                exit.toString());
        assertEquals("4999 Job Completed", client.closeStatus());
        JsonNode audit = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> admin("/api/v1/admin/audit?kind=EXECUTE&participant=" + subject),
                        found -> found.size() == 1)
                .get(0);
        assertEquals("OK", audit.get("verdict").asString(), audit.toString());
        assertEquals(InProcessWorker.WORKER_ID, audit.get("worker").asString());
        assertEquals("python", audit.get("language").asString());
    }

    /**
     * A program that says nothing for longer than the worker may go without a heartbeat (five of
     * them) runs to its end: the worker's beats keep its run with the api while the program is
     * quiet (and the client's input keeps it from being idle).
     */
    @Test
    void aQuietProgramRunsOnWhileItsWorkerBeats() throws Exception {
        PistonConnectClient client = init(
                issue(unique("quiet")),
                program("python", "import time\ntime.sleep(7)\nprint('awake')", "run_timeout", 15000));
        client.next("runtime");
        assertEquals("run", client.next("stage").get("stage").asString());
        for (int second = 0; second < 8; second++) {
            client.stdin("\n"); // the client is there (its run is not idle); the program says nothing
            Thread.sleep(1000);
        }
        assertEquals("awake\n", client.stdoutUntil("awake\n"));
        JsonNode exit = client.next("exit");
        assertEquals(0, exit.get("code").asInt(), exit.toString());
        assertEquals("4999 Job Completed", client.closeStatus());
    }

    @Test
    void aCompileErrorIsTheCompileStageAndNothingRuns() throws Exception {
        PistonConnectClient client = init(issue(unique("cc")), program("c++", "int main() { return x; }"));
        assertEquals("c++", client.next("runtime").get("language").asString());
        assertEquals("compile", client.next("stage").get("stage").asString());
        JsonNode data = client.next("data");
        assertEquals("stderr", data.get("stream").asString());
        assertTrue(data.get("data").asString().contains("was not declared"), data.toString());
        JsonNode exit = client.next("exit");
        assertEquals("compile", exit.get("stage").asString());
        assertEquals(1, exit.get("code").asInt(), exit.toString());
        assertEquals("4999 Job Completed", client.closeStatus());
        assertNull(client.messages.poll(), "no run stage");
    }

    @Test
    void aCompiledProgramRunsAfterItsCompileStage() throws Exception {
        // Larger than a WebSocket container's default message buffer (8 KiB).
        String comment = "// " + "x".repeat(20_000) + "\n";
        PistonConnectClient client = init(issue(unique("cpp")), program("cpp", comment + """
                #include <iostream>
                int main() { int a, b; while (std::cin >> a >> b) std::cout << a + b << std::endl; }
                """));
        client.next("runtime");
        assertEquals("compile", client.next("stage").get("stage").asString());
        assertEquals(0, client.next("exit").get("code").asInt());
        assertEquals("run", client.next("stage").get("stage").asString());
        client.stdin("2 40\n");
        assertEquals("42\n", client.stdoutUntil("42\n"));
        client.send(Map.of("type", "eof"));
        assertEquals(0, client.next("exit").get("code").asInt());
        assertEquals("4999 Job Completed", client.closeStatus());
    }

    @Test
    void signalsReachTheProgramAndKillEndsIt() throws Exception {
        String key = issue(unique("signal"));
        String waits = """
                import signal, sys, time
                signal.signal(signal.SIGUSR1, lambda n, f: (print('caught', n, flush=True), sys.exit(3)))
                print('ready', flush=True)
                time.sleep(30)
                """;
        PistonConnectClient handled = init(key, program("python", waits, "run_timeout", 20000));
        handled.next("runtime");
        handled.next("stage");
        handled.stdoutUntil("ready\n");
        handled.send(Map.of("type", "signal", "signal", "SIGUSR1"));
        assertEquals("caught 10\n", handled.stdoutUntil("caught 10\n"));
        assertEquals(3, handled.next("exit").get("code").asInt());
        assertEquals("4999 Job Completed", handled.closeStatus());

        PistonConnectClient killed = init(key, program("python", waits, "run_timeout", 20000));
        killed.next("runtime");
        killed.next("stage");
        killed.stdoutUntil("ready\n");
        killed.send(Map.of("type", "signal", "signal", "SIGKILL"));
        JsonNode exit = killed.next("exit");
        assertEquals("SIGKILL", exit.get("signal").asString(), exit.toString());
        assertTrue(exit.get("code").isNull());
        assertEquals("SG", exit.get("status").asString());
        assertEquals("4999 Job Completed", killed.closeStatus());

        PistonConnectClient kill = init(key, program("python", waits, "run_timeout", 20000));
        kill.next("runtime");
        kill.next("stage");
        kill.stdoutUntil("ready\n");
        kill.send(Map.of("type", "kill"));
        assertEquals("SIGKILL", kill.next("exit").get("signal").asString());
        assertEquals("4999 Job Completed", kill.closeStatus());
    }

    @Test
    void pistonsCloseCodes() throws Exception {
        PistonConnectClient early = connect(null);
        early.stdin("too early\n");
        assertEquals("4003 Not yet initialized", early.closeStatus());

        PistonConnectClient silent = connect(null);
        long start = System.nanoTime();
        assertEquals("4001 Initialization Timeout", silent.closeStatus());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());

        PistonConnectClient garbage = connect(null);
        garbage.socket.sendText("{not json", true).join();
        assertTrue(garbage.next("error").get("message").asString().startsWith("message is not valid JSON"));
        assertEquals("4002 Notified Error", garbage.closeStatus());

        PistonConnectClient unknown =
                init(null, Map.of("language", "python", "version", "9", "files", List.of(Map.of("content", ""))));
        assertEquals(
                "{\"type\":\"error\",\"message\":\"python-9 runtime is unknown\"}",
                unknown.next().toString());
        assertEquals("4002 Notified Error", unknown.closeStatus());

        PistonConnectClient tooLong = init(null, program("python", "print(1)", "run_timeout", 600000));
        assertEquals(
                "run_timeout cannot exceed the configured limit of 60000",
                tooLong.next("error").get("message").asString());
        assertEquals("4002 Notified Error", tooLong.closeStatus());

        String key = issue(unique("codes"));
        PistonConnectClient twice = init(key, program("python", ECHO, "run_timeout", 20000));
        twice.next("runtime");
        twice.send(
                Map.of("type", "init", "language", "python", "version", "*", "files", List.of(Map.of("content", ""))));
        assertEquals("4000 Already Initialized", twice.closeStatus());

        PistonConnectClient stdout = init(key, program("python", ECHO, "run_timeout", 20000));
        stdout.next("runtime");
        stdout.send(Map.of("type", "data", "stream", "stdout", "data", "x"));
        assertEquals("4004 Can only write to stdin", stdout.closeStatus());

        // A key of its own: the two runs above count against executions-in-flight until their
        // worker has told their end, which may come after their close.
        PistonConnectClient badSignal = init(issue(unique("codes")), program("python", ECHO, "run_timeout", 20000));
        badSignal.next("runtime");
        badSignal.send(Map.of("type", "signal", "signal", "SIGFOO"));
        assertEquals("4005 Invalid signal", badSignal.closeStatus());
    }

    @Test
    void timeLimitsAndTheIdleLimitStopARun() throws Exception {
        String key = issue(unique("limits"));
        PistonConnectClient wall = init(
                key, program("python", "import time\nprint('ready', flush=True)\ntime.sleep(30)", "run_timeout", 1500));
        wall.next("runtime");
        wall.next("stage");
        wall.stdoutUntil("ready\n");
        JsonNode timedOut = wall.next("exit");
        assertEquals("TO", timedOut.get("status").asString(), timedOut.toString());
        assertEquals("SIGKILL", timedOut.get("signal").asString());
        assertEquals("4999 Job Completed", wall.closeStatus());

        PistonConnectClient idle = init(key, program("python", "print(input())", "run_timeout", 30000));
        idle.next("runtime");
        idle.next("stage");
        JsonNode idled = idle.next("exit");
        assertEquals("Time limit exceeded (idle)", idled.get("message").asString(), idled.toString());
        assertEquals("4999 Job Completed", idle.closeStatus());
    }

    @Test
    void aFloodIsCutAtTheOutputLimit() throws Exception {
        PistonConnectClient client =
                init(issue(unique("flood")), program("python", "while True:\n    print('y' * 1000)"));
        client.next("runtime");
        client.next("stage");
        long received = 0;
        JsonNode message;
        while ((message = client.next()).get("type").asString().equals("data")) {
            received += message.get("data").asString().length();
        }
        assertEquals("exit", message.get("type").asString());
        assertEquals("OL", message.get("status").asString(), message.toString());
        assertEquals("SIGKILL", message.get("signal").asString());
        assertEquals(65536, received, "everything up to the output limit, nothing past it");
        assertEquals("4999 Job Completed", client.closeStatus());
    }

    @Test
    void aProgramWritingAByteAtATimeCostsAMessagePerWindowNotPerByte() throws Exception {
        PistonConnectClient client = init(issue(unique("drip")), program("python", """
                import sys, time
                for i in range(1500):
                    sys.stdout.write('z')
                    sys.stdout.flush()
                    time.sleep(0.001)
                """, "run_timeout", 20000));
        client.next("runtime");
        client.next("stage");
        StringBuilder text = new StringBuilder();
        int messages = 0;
        JsonNode message;
        while ((message = client.next()).get("type").asString().equals("data")) {
            messages++;
            text.append(message.get("data").asString());
        }
        assertEquals("z".repeat(1500), text.toString());
        assertTrue(messages < 400, "about one message per 20 ms, not one per byte: " + messages);
        assertEquals(0, message.get("code").asInt(), message.toString());
    }

    @Test
    void aClientThatGoesAwayHasItsRunKilled() throws Exception {
        String subject = unique("gone");
        PistonConnectClient client = init(
                issue(subject),
                program("python", "import time\nprint('ready', flush=True)\ntime.sleep(50)", "run_timeout", 60000));
        client.next("runtime");
        client.next("stage");
        client.stdoutUntil("ready\n");
        Instant left = Instant.now();
        client.socket.abort();
        JsonNode audit = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> admin("/api/v1/admin/audit?kind=EXECUTE&participant=" + subject),
                        found -> found.size() == 1)
                .get(0);
        assertEquals("SG", audit.get("verdict").asString(), "killed, not timed out: " + audit);
        assertTrue(
                Duration.between(left, Instant.parse(audit.get("judgedAt").asString()))
                                .toSeconds()
                        < 10,
                audit.toString());
    }

    /**
     * A bystander's run that is never idle (it says so every half second, so neither the idle
     * limit nor a slow start of the flooder's run can end it), beside a client that floods its own
     * run with empty messages until it is cut off: the flooder alone is closed, and the
     * bystander's input still reaches its program.
     */
    @Test
    void aFloodOfTinyMessagesClosesItsOwnConnectionAndNobodyElses() throws Exception {
        PistonConnectClient other = init(issue(unique("bystander")), program("python", """
                        import sys, threading, time
                        def beat():
                            while True:
                                print('.', flush=True)
                                time.sleep(0.5)
                        threading.Thread(target=beat, daemon=True).start()
                        for line in sys.stdin:
                            print(line.strip().upper(), flush=True)
                        """, "run_timeout", 60000));
        other.next("runtime");
        other.next("stage");
        other.stdoutUntil(".\n");
        PistonConnectClient flooder = init(
                issue(unique("flooder")),
                program(
                        "python",
                        "import time\nfor i in range(50):\n    print(i, flush=True)\n    time.sleep(1)",
                        "run_timeout",
                        60000));
        flooder.next("runtime");
        flooder.next("stage");
        // Empty data carries no byte of stdin: only counting messages stops it.
        String empty = Json.write(Map.of("type", "data", "stream", "stdin", "data", ""));
        int sent = 0;
        try {
            while (sent < 100_000 && !flooder.closed.isDone()) {
                flooder.socket.sendText(empty, true).join();
                sent++;
            }
        } catch (java.util.concurrent.CompletionException e) {
            // the server closed the connection under the flood
        }
        assertEquals("4002 Notified Error", flooder.closeStatus(), "after " + sent + " messages");
        JsonNode error = null;
        for (JsonNode message : flooder.messages) {
            if (message.get("type").asString().equals("error")) {
                error = message;
            }
        }
        assertNotNull(error, flooder.toString());
        // Past the rate, or (on a host too loaded to send 200 a second) past the count.
        assertTrue(
                List.of("too many messages: at most 200 a second", "too many messages: at most 10000 after init")
                        .contains(error.get("message").asString()),
                error.toString());
        // The other connection's run still gets its input, and answers.
        Instant asked = Instant.now();
        other.stdin("still here\n");
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("STILL HERE\n")) {
            JsonNode data = other.next("data");
            assertEquals("stdout", data.get("stream").asString(), data.toString());
            seen.append(data.get("data").asString());
        }
        assertTrue(Duration.between(asked, Instant.now()).toSeconds() < 10, seen.toString());
        other.send(Map.of("type", "eof"));
        JsonNode exit;
        while ((exit = other.next()).get("type").asString().equals("data")) {
            // the heartbeat, up to the end
        }
        assertEquals("exit", exit.get("type").asString(), exit.toString());
        assertEquals(0, exit.get("code").asInt(), exit.toString());
    }

    @Test
    void aClientThatResetsRightAfterInitHasItsRunKilled() throws Exception {
        // Each time the reset races the init's admission, the start of the run on the worker and
        // the program's start in its box differently: every one must be killed at once.
        for (int i = 0; i < 20; i++) {
            String subject = unique("reset");
            Instant left = resetRightAfterInit(issue(subject));
            JsonNode audit = await().atMost(Duration.ofSeconds(40))
                    .until(
                            () -> admin("/api/v1/admin/audit?kind=EXECUTE&participant=" + subject),
                            found -> found.size() == 1)
                    .get(0);
            assertEquals(
                    "SG", audit.get("verdict").asString(), "try " + i + ": killed, not run to its limit: " + audit);
            assertTrue(
                    Duration.between(left, Instant.parse(audit.get("judgedAt").asString()))
                                    .toSeconds()
                            < 15,
                    "try " + i + ": " + audit);
        }
    }

    /** Opens a WebSocket by hand, sends an init and resets the TCP connection at once. */
    private Instant resetRightAfterInit(String key) throws Exception {
        Map<String, Object> message = program(
                "python",
                "import time\nfor i in range(60):\n    print(i, flush=True)\n    time.sleep(1)",
                "run_timeout",
                60000);
        message.put("type", "init");
        String init = Json.write(message);
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
            var out = raw.getOutputStream();
            out.write(("GET /api/v2/connect HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                            + "Authorization: " + TestKeys.bearer(key) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var in = raw.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
            out.write(maskedText(init));
            out.flush();
            raw.setSoLinger(true, 0); // a reset, at once: the hang-up races the init's admission
            return Instant.now();
        }
    }

    @Test
    void aCallerMayHaveTwoRunsAtOnce() throws Exception {
        String key = issue(unique("hold"));
        String longRun = "import time\nfor i in range(30):\n    print(i, flush=True)\n    time.sleep(1)";
        List<PistonConnectClient> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            PistonConnectClient client = init(key, program("python", longRun, "run_timeout", 30000));
            client.next("runtime");
            held.add(client);
        }
        PistonConnectClient third = init(key, program("python", "print(1)"));
        assertEquals(
                "this key may have 2 executions running at once",
                third.next("error").get("message").asString());
        assertEquals("4002 Notified Error", third.closeStatus());
        HttpResponse<String> execute = execute(key, "print(1)");
        assertEquals(429, execute.statusCode(), execute.body());
        assertEquals("{\"message\":\"this key may have 2 executions running at once\"}", execute.body());
        assertNotNull(execute.headers().firstValue("Retry-After").orElse(null));
        // One run ends: its place is free again.
        held.getFirst().send(Map.of("type", "kill"));
        assertEquals("4999 Job Completed", held.getFirst().closeStatus());
        HttpResponse<String> again = execute(key, "print('ran')");
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains("ran\\n"), again.body());
        held.get(1).send(Map.of("type", "kill"));
        assertEquals("4999 Job Completed", held.get(1).closeStatus());
    }

    /**
     * Participant keys cost nothing in an open contest, so a participant's runs count against its
     * client address too: one key's two runs and another key's one fill this address's 3
     * ({@code executions-in-flight-per-address}), and a third key, under its own limit, is refused.
     */
    @Test
    void runsOfOneAddressAreBoundedWhateverKeysTheyUse() throws Exception {
        String run = "import time\nprint('ready', flush=True)\ntime.sleep(6)";
        List<PistonConnectClient> held = new ArrayList<>();
        String first = issue(unique("addr-a"));
        for (int i = 0; i < 2; i++) {
            PistonConnectClient client = init(first, program("python", run, "run_timeout", 10000));
            client.next("runtime");
            held.add(client);
        }
        // A second key's run: admitted (it counts from its init on), though the worker's two slots
        // are busy, so it starts later.
        held.add(init(issue(unique("addr-b")), program("python", run, "run_timeout", 10000)));
        Thread.sleep(1000);
        String third = issue(unique("addr-c"));
        PistonConnectClient refused = init(third, program("python", "print(1)"));
        assertEquals(
                "address 127.0.0.1 may have 3 executions running at once",
                refused.next("error").get("message").asString());
        assertEquals("4002 Notified Error", refused.closeStatus());
        HttpResponse<String> execute = execute(third, "print(1)");
        assertEquals(429, execute.statusCode(), execute.body());
        assertEquals("{\"message\":\"address 127.0.0.1 may have 3 executions running at once\"}", execute.body());
        for (PistonConnectClient client : held) {
            assertEquals("4999 Job Completed", client.closeStatus());
        }
        // Their places are free again once their worker has told their end (a fresh key each
        // try: a key may make 3 executions a minute here).
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> HTTP.send(
                                        HttpRequest.newBuilder(uri("/api/v2/execute"))
                                                .header("Authorization", TestKeys.bearer(issue(unique("addr-d"))))
                                                .header("Content-Type", "application/json")
                                                .POST(HttpRequest.BodyPublishers.ofString(
                                                        Json.write(program("python", "print('ran')"))))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200);
    }

    /** {@code POST /api/v2/execute} of a Python program with {@code key}. */
    private HttpResponse<String> execute(String key, String source) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri("/api/v2/execute"))
                        .header("Authorization", TestKeys.bearer(key))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(program("python", source))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A client's text frame (masked with a zero mask, which is allowed). */
    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(payload.length < 65536);
        java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | 126);
        frame.write(payload.length >> 8);
        frame.write(payload.length & 0xff);
        frame.writeBytes(new byte[4]);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    @Test
    void initsDrawOnTheExecutionRateLimit() throws Exception {
        String key = issue(unique("rate"));
        for (int i = 0; i < 3; i++) {
            PistonConnectClient client = init(key, program("python", "print(1)"));
            client.next("runtime");
            assertEquals("4999 Job Completed", client.closeStatus());
        }
        PistonConnectClient limited = init(key, program("python", "print(1)"));
        assertEquals(
                "this key may make 3 executions a minute",
                limited.next("error").get("message").asString());
        assertEquals("4002 Notified Error", limited.closeStatus());
    }

    /** A subject no other test (or earlier run on the same database) has. */
    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String issue(String subject) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/admin/keys"))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"subject\":\"" + subject + "\",\"role\":\"PARTICIPANT\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).get("key").asString();
    }

    private JsonNode admin(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
