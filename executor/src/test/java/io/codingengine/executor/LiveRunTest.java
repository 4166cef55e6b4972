package io.codingengine.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.Conversation;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Programs run live in the real sandbox: the client's input reaches the program while it runs,
 * its output comes back as it writes it, signals reach it, and its limits (idle time, output)
 * stop it. After each the host is checked unharmed.
 */
class LiveRunTest {

    private static final String ECHO = """
            import sys
            for line in sys.stdin:
                print(line.strip().upper(), flush=True)
            print('bye', flush=True)
            """;
    private static final LimitRequest TEN_SECONDS =
            new LimitRequest(Duration.ofSeconds(5), Duration.ofSeconds(10), null, null);

    @BeforeAll
    static void plant() {
        HostCheck.plantCanary();
    }

    @AfterEach
    void hostUnharmed() {
        HostCheck.assertHostUnharmed();
    }

    /** A client that records what it is told, and sends what a test gives it. */
    static class Client implements Conversation {
        final BlockingQueue<Input> inputs = new LinkedBlockingQueue<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final StringBuffer stdout = new StringBuffer();
        final StringBuffer stderr = new StringBuffer();
        private final Duration idle;

        Client(Duration idle) {
            this.idle = idle;
        }

        @Override
        public void started(String language, String version) {
            events.add("started " + language);
        }

        @Override
        public void stage(Stage stage) {
            events.add("stage " + stage);
        }

        @Override
        public void output(Stream stream, String text) {
            (stream == Stream.STDOUT ? stdout : stderr).append(text);
        }

        @Override
        public void exit(Stage stage, StageResult result) {
            events.add("exit " + stage + " " + result.status());
        }

        @Override
        public Input next(Duration wait) throws InterruptedException {
            return inputs.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public Duration idleLimit() {
            return idle;
        }

        void send(String text) {
            inputs.add(new Input.Stdin(text.getBytes(StandardCharsets.UTF_8)));
        }

        void awaitStdout(String text) throws InterruptedException {
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!stdout.toString().contains(text)) {
                if (System.nanoTime() > until) {
                    throw new AssertionError("no " + text + " in " + stdout + " / " + stderr + " / " + events);
                }
                Thread.sleep(10);
            }
        }
    }

    private static CompletableFuture<ExecutionResult> converse(
            SandboxedExecutor executor, String language, String source, Client client) {
        ExecutionRequest request = new ExecutionRequest(
                language,
                "*",
                List.of(SourceFile.utf8(null, source)),
                Map.of(),
                null,
                TEN_SECONDS,
                List.of(new RunInput("", List.of())));
        // A platform thread, as a worker's slot: the executor blocks on the relay's stream.
        CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                result.complete(executor.converse(request, client));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static StageResult run(CompletableFuture<ExecutionResult> result) throws Exception {
        return result.get(30, TimeUnit.SECONDS).runs().getFirst();
    }

    @Test
    void anEchoAnswersEachLineBeforeTheNextIsSentAndEndsAtEndOfInput() throws Exception {
        echo(Fixture.EXECUTOR);
    }

    @Test
    void aFreshBoxPerRunTalksTheSameWay() throws Exception {
        try (SandboxedExecutor fresh = SandboxedExecutor.start(
                SandboxConfig.defaults()
                        .withDataDir(java.nio.file.Files.createTempDirectory("ce-live-fresh-"))
                        .withSlots(1)
                        .withUidBase(65400)
                        .withCgroupName("coding-engine-live-fresh-test")
                        .withRecycleAfter(0),
                ExecutorConfig.defaults())) {
            echo(fresh);
        }
    }

    private static void echo(SandboxedExecutor executor) throws Exception {
        Client client = new Client(Duration.ofSeconds(10));
        var result = converse(executor, "python", ECHO, client);
        client.send("hello\n");
        client.awaitStdout("HELLO\n");
        client.send("wörld ");
        client.send("again\n");
        client.awaitStdout("WÖRLD AGAIN\n");
        client.inputs.add(new Conversation.Input.EndOfInput());
        StageResult run = run(result);
        assertNull(run.status(), run.toString());
        assertEquals(0, run.code());
        assertEquals("HELLO\nWÖRLD AGAIN\nbye\n", client.stdout.toString());
        assertEquals(List.of("started python", "stage RUN", "exit RUN null"), client.events);
    }

    @Test
    void aSignalReachesTheProgramWhichMayHandleIt() throws Exception {
        Client client = new Client(Duration.ofSeconds(10));
        var result = converse(Fixture.EXECUTOR, "python", """
                import signal, sys, time
                def caught(number, frame):
                    print('caught', number, flush=True)
                    sys.exit(3)
                signal.signal(signal.SIGUSR1, caught)
                print('ready', flush=True)
                time.sleep(30)
                """, client);
        client.awaitStdout("ready\n");
        client.inputs.add(new Conversation.Input.Signal(10));
        StageResult run = run(result);
        assertEquals("ready\ncaught 10\n", client.stdout.toString());
        assertEquals(3, run.code());
        assertEquals(StageStatus.RE, run.status());
    }

    @Test
    void sigkillEndsTheProgramAndEverythingItStarted() throws Exception {
        Client client = new Client(Duration.ofSeconds(10));
        var result = converse(Fixture.EXECUTOR, "python", """
                import os, time
                if os.fork() == 0:
                    os.setsid()
                    time.sleep(60)
                print('ready', flush=True)
                time.sleep(60)
                """, client);
        client.awaitStdout("ready\n");
        client.inputs.add(new Conversation.Input.Signal(9));
        StageResult run = run(result);
        assertEquals(StageStatus.SG, run.status(), run.toString());
        assertEquals("SIGKILL", run.signal());
        assertTrue(run.wallTimeMs() < 5000, "ended by the signal, not a limit: " + run);
    }

    /**
     * A client that hung up before its program started (a reset right after its init) sends its
     * kill at the first look at its input, and again every 100 ms, as the worker's live run does:
     * the kills that come before the program joined its cgroup reach nobody, and a later one must
     * still find it (the relay once reread a stale list of the cgroup's processes and never did).
     */
    @Test
    void aKillFromBeforeTheProgramStartedStillEndsIt() throws Exception {
        for (int i = 0; i < 5; i++) {
            Client client = new Client(Duration.ofSeconds(10)) {
                private boolean first = true;

                @Override
                public Input next(Duration wait) throws InterruptedException {
                    if (!first) {
                        Thread.sleep(Math.min(wait.toMillis(), 100));
                    }
                    first = false;
                    return new Input.Signal(9);
                }
            };
            var result = converse(
                    Fixture.EXECUTOR,
                    "python",
                    "import time\nfor i in range(60):\n    print(i, flush=True)\n    time.sleep(1)",
                    client);
            StageResult run = run(result);
            assertEquals(StageStatus.SG, run.status(), "try " + i + ": " + run);
            assertTrue(run.wallTimeMs() < 5000, "try " + i + ": ended by the kill, not a limit: " + run);
        }
    }

    @Test
    void aCompileErrorIsTheCompileStageAndNothingRuns() throws Exception {
        Client client = new Client(Duration.ofSeconds(10));
        ExecutionResult result = converse(Fixture.EXECUTOR, "c", "int main(void) { return x; }", client)
                .get(60, TimeUnit.SECONDS);
        assertTrue(result.compileFailed());
        assertTrue(result.runs().isEmpty());
        assertTrue(client.stderr.toString().contains("undeclared"), client.stderr.toString());
        assertEquals(List.of("started c", "stage COMPILE", "exit COMPILE RE"), client.events);
    }

    @Test
    void aCompiledProgramTalksAfterItsCompileStage() throws Exception {
        Client client = new Client(Duration.ofSeconds(10));
        var result = converse(Fixture.EXECUTOR, "c", """
                #include <stdio.h>
                int main(void) { int a, b; while (scanf("%d %d", &a, &b) == 2) { printf("%d\\n", a + b); fflush(stdout); } }
                """, client);
        client.send("1 2\n");
        client.awaitStdout("3\n");
        client.send("40 2\n");
        client.awaitStdout("3\n42\n");
        client.inputs.add(new Conversation.Input.EndOfInput());
        assertEquals(0, run(result).code());
        assertEquals(
                List.of("started c", "stage COMPILE", "exit COMPILE null", "stage RUN", "exit RUN null"),
                client.events);
    }

    @Test
    void aProgramLeftWithoutInputOrOutputIsStoppedAtTheIdleLimit() throws Exception {
        Client client = new Client(Duration.ofMillis(1500));
        var result = converse(Fixture.EXECUTOR, "python", "print(input())", client);
        StageResult run = run(result);
        assertEquals(StageStatus.TO, run.status());
        assertEquals("Time limit exceeded (idle)", run.message());
        assertEquals("SIGKILL", run.signal());
        assertTrue(run.wallTimeMs() >= 1400 && run.wallTimeMs() < 8000, run.toString());
    }

    @Test
    void aFloodIsCutAtTheOutputLimitAndStopped() throws Exception {
        Client client = new Client(Duration.ofSeconds(10));
        var result = converse(Fixture.EXECUTOR, "python", """
                import sys
                while True:
                    sys.stdout.write('x' * 4096)
                """, client);
        StageResult run = run(result);
        assertEquals(StageStatus.OL, run.status(), run.toString());
        long limit = ExecutorConfig.defaults().run().outputBytes();
        assertEquals(limit, client.stdout.length(), "everything up to the limit, nothing past it");
        assertTrue(run.wallTimeMs() < 5000, run.toString());
    }
}
