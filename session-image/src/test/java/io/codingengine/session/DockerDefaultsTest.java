package io.codingengine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.InteractionRequest;
import io.codingengine.common.execution.InteractionResult;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.Program;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.common.json.Json;
import io.codingengine.executor.language.Catalogue;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The session server as a container with Docker's defaults would run it, as near as this machine
 * (root, no Docker engine) can make one: its capabilities cut to exactly Docker's default set by
 * {@code setpriv}; Docker's default seccomp profile, so that no namespace of any kind can be made
 * (a user namespace needs no capability, but the profile refuses {@code unshare} and every
 * {@code clone} with a namespace flag) and nothing can be mounted; a read-only cgroup file
 * system; and the image's file modes, the server's own files root's alone (the Dockerfile's
 * {@code chmod -R go-rwx /app}). {@code docker-default.c} (compiled here) sets up all but the
 * capabilities. The server is started as the image starts it, with {@code CE_ISOLATION} unset.
 *
 * <p>Neither the namespaces level nor process isolation (which mounts a tmpfs per box) can start
 * there: the server must fall to UID isolation by itself, say so in its log and on
 * {@code /health}, run every language, and stop hostile programs: one reading another run's
 * work directory while it runs, one leaving a daemon behind, one opening sockets, a fork bomb, a
 * huge file, one reading the server's files, a CPU burner and a memory bomb (without cgroups, the
 * relay's own accounting). After each, no process of the server's sandbox uids is alive. A
 * second server gets the profile of a Docker without Landlock: the file modes alone keep the
 * server's files away. A third has too few capabilities for any level: it stays up and says why.
 */
class DockerDefaultsTest {

    /** Docker's default capabilities (moby's oci/caps/defaults.go) as setpriv names them, with their numbers. */
    private static final Map<String, Integer> DOCKER_CAPABILITIES = dockerCapabilities();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final LimitRequest SHORT =
            new LimitRequest(Duration.ofSeconds(1), Duration.ofSeconds(3), null, null);
    /** The CPU limit of {@link #SHORT}, with wall time to spare: on a busy machine a loop may get a third of a core. */
    private static final LimitRequest CPU_BOUND =
            new LimitRequest(Duration.ofSeconds(1), Duration.ofSeconds(30), null, null);

    private static final int UID_BASE = 64600;
    private static final int UID_BASE_WITHOUT_LANDLOCK = 64620;
    private static final int UID_BASE_WITHOUT_SETUID = 64640;
    private static final int SLOTS = 2;

    private static Path bin;
    private static Path launcher;
    /** The session server's classpath, copied as the image has it: root's alone. */
    private static Path app;

    private static List<Path> appClasspath;
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        bin = Files.createTempDirectory("ce-docker-defaults-bin-");
        launcher = bin.resolve("docker-default");
        Path source = Path.of(
                DockerDefaultsTest.class.getResource("/docker-default.c").toURI());
        Process gcc = new ProcessBuilder(
                        "gcc", "-O2", "-Wall", "-o", launcher.toString(), source.toString(), "-lseccomp")
                .redirectErrorStream(true)
                .redirectOutput(bin.resolve("gcc.out").toFile())
                .start();
        assertEquals(0, gcc.waitFor(), Files.readString(bin.resolve("gcc.out")));
        app = copyClasspathAsTheImageHasIt();
        server = Server.start(true, DOCKER_CAPABILITIES.keySet(), UID_BASE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
            deleteTree(server.dataDir());
        }
        deleteTree(app);
        deleteTree(bin);
    }

    @AfterEach
    void nothingOfTheRunsIsLeft() {
        assertEquals(List.of(), processesOf(UID_BASE, SLOTS), "processes of the session's sandbox uids still alive");
    }

    @Test
    void theServerHasExactlyDockersDefaultCapabilitiesAndCannotMakeNamespaces() throws Exception {
        Map<String, String> status = status(server.process().pid());
        long docker = DOCKER_CAPABILITIES.values().stream()
                .mapToLong(bit -> 1L << bit)
                .sum();
        assertEquals(0xa80425fbL, docker, "the CapEff of a root process in a Docker container");
        for (String set : List.of("CapEff", "CapPrm", "CapBnd")) {
            assertEquals(docker, Long.parseLong(status.get(set), 16), set);
        }
        assertEquals(0, Long.parseLong(status.get("CapInh"), 16));
        assertEquals(0, Long.parseLong(status.get("CapAmb"), 16));
        assertEquals("2", status.get("Seccomp"), "under a seccomp filter");
        assertEquals("0", status.get("NoNewPrivs"), "Docker does not set no_new_privs");
        // The same environment refuses every kind of namespace, a user namespace too, and mounts.
        for (List<String> attempt : List.of(
                List.of("unshare", "--user", "--map-root-user", "true"),
                List.of("unshare", "--mount", "true"),
                List.of("unshare", "--pid", "--fork", "true"),
                List.of("mount", "-t", "tmpfs", "none", app.toString()))) {
            Result r = inDockerDefaults(attempt);
            assertNotEquals(0, r.exit(), attempt + " ran: " + r.output());
            assertTrue(
                    r.output().contains("Operation not permitted") || r.output().contains("permission denied"),
                    attempt + ": " + r.output());
        }
        assertTrue(inDockerDefaults(List.of("mkdir", "/sys/fs/cgroup/memory/ce-docker-defaults"))
                .output()
                .contains("Read-only file system"));
    }

    @Test
    void healthAndTheLogNameTheWeakLevelAndWhatItDoesNotIsolate() throws Exception {
        HttpResponse<String> response =
                HTTP.send(HttpRequest.newBuilder(server.uri("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode health = Json.mapper().readTree(response.body());
        assertEquals("degraded", health.get("status").asString());
        JsonNode isolation = health.get("isolation");
        assertEquals("UID", isolation.get("level").asString());
        assertEquals("none", isolation.get("cgroups").asString(), "the cgroup file system is read-only");
        String detail = isolation.get("detail").asString();
        assertTrue(
                detail.contains("namespaces unavailable") && detail.contains("process isolation unavailable"), detail);
        assertTrue(detail.contains("Landlock (ABI"), detail);
        List<String> gaps = new ArrayList<>();
        isolation.get("notIsolated").forEach(g -> gaps.add(g.asString()));
        for (String gap : List.of("processes:", "files:", "disk:", "memory:", "kernel:")) {
            assertTrue(gaps.stream().anyMatch(g -> g.startsWith(gap)), gap + " in " + gaps);
        }
        String logged = server.logged().stream()
                .filter(l -> l.contains("sandbox DEGRADED"))
                .findFirst()
                .orElseThrow();
        assertTrue(logged.contains("isolation UID") && logged.contains("NOT ISOLATED"), logged);
    }

    /**
     * An interactive or multi-pass problem's tests need a second box, which UID isolation does not
     * give: the session answers with nothing run, the result's compile stage XX saying why (the
     * worker judges that IE), not a 503 the worker would take for back-pressure and wait on.
     */
    @Test
    void interactionsAreAnsweredWithWhyTheyDoNotRunHere() throws Exception {
        HttpResponse<String> response = post(server, "/interact", interaction());
        assertEquals(200, response.statusCode(), response.body());
        InteractionResult r = Json.read(response.body(), InteractionResult.class);
        assertEquals(StageStatus.XX, r.compile().status(), response.body());
        assertTrue(
                r.compile().message().contains("not run under UID isolation"),
                r.compile().message());
        assertEquals(r.compile().message(), r.sandboxFailure());
        assertEquals(List.of(), r.tests());
    }

    @Test
    void everyLanguageRuns() {
        for (String language : List.of("python", "javascript", "c", "c++", "java")) {
            ExecutionResult r = server.execute(
                    language,
                    Catalogue.detect()
                            .resolve(language, "*")
                            .definition()
                            .samples()
                            .hello(),
                    SHORT);
            assertNull(r.compileFailed() ? r.compile().output() : null, language);
            StageResult run = r.runs().getFirst();
            assertEquals("héllo wörld ✓\n", run.stdout(), language + ": " + run);
            assertNull(run.status(), language + ": " + run);
        }
    }

    /** A run keeps a secret in its work directory while another, in the other slot, looks for it. */
    @Test
    void aRunCannotReadAnotherRunsWorkDirectoryWhileItRuns() throws Exception {
        LimitRequest longer = new LimitRequest(Duration.ofSeconds(1), Duration.ofSeconds(8), null, null);
        CompletableFuture<ExecutionResult> holder =
                CompletableFuture.supplyAsync(() -> server.execute("python", """
                import sys, time
                open('secret', 'w').write('the secret')
                time.sleep(5)
                print('held', sys.argv[1])
                """, longer, "holds-the-secret"));
        Thread.sleep(2500);
        StageResult snoop = server.run("python", """
                import os
                own = os.path.basename(os.path.dirname(os.getcwd()))
                boxes = os.path.dirname(os.path.dirname(os.getcwd()))
                for slot in ['0', '1']:
                    if slot != own:
                        try: print('read', open(f'{boxes}/{slot}/work/secret').read())
                        except OSError as e: print('work directory', e.strerror)
                # Its command line is visible (so are its relay's and init's): their directories are not.
                seen = set()
                for pid in filter(str.isdigit, os.listdir('/proc')):
                    try:
                        if b'holds-the-secret' in open(f'/proc/{pid}/cmdline', 'rb').read():
                            try: seen.add('read ' + open(f'/proc/{pid}/cwd/secret').read())
                            except OSError as e: seen.add('its cwd ' + e.strerror)
                    except OSError:
                        pass
                print(*sorted(seen), sep='\\n')
                """);
        assertEquals("work directory Permission denied\nits cwd Permission denied\n", snoop.stdout(), snoop.toString());
        assertEquals("held holds-the-secret\n", holder.get().runs().getFirst().stdout(), "the holder ran beside it");
    }

    @Test
    void aDaemonLeftBehindIsKilledWithTheRun() throws Exception {
        StageResult r = server.run("python", """
                import os, time
                if os.fork() == 0:
                    os.setsid()
                    if os.fork() == 0:
                        time.sleep(60)
                        open('/tmp/ce-docker-defaults-daemon', 'w').write('still alive')
                    os._exit(0)
                os.wait()
                print('left a daemon')
                """);
        assertEquals("left a daemon\n", r.stdout(), r.toString());
        // nothingOfTheRunsIsLeft: it died before the answer was sent.
    }

    @Test
    void aRunCannotOpenASocketOfAnyFamily() throws Exception {
        StageResult r = server.run("python", """
                import errno, socket, sys
                for family in ['AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_NETLINK', 'AF_PACKET']:
                    try: socket.socket(getattr(socket, family)); print(family, 'opened')
                    except OSError as e: print(family, errno.errorcode[e.errno])
                try: socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=1); print('reached the server')
                except OSError as e: print('the server', errno.errorcode[e.errno])
                """, Integer.toString(server.port()));
        assertEquals(
                "AF_INET EACCES\nAF_INET6 EACCES\nAF_UNIX EACCES\nAF_NETLINK EACCES\nAF_PACKET EACCES\nthe server EACCES\n",
                r.stdout(),
                r.toString());
    }

    @Test
    void aForkBombStopsAtTheProcessLimit() throws Exception {
        StageResult r = server.run("c", """
                #include <errno.h>
                #include <stdio.h>
                #include <string.h>
                #include <unistd.h>
                int main(void) {
                    int n = 0;
                    for (;;) {
                        pid_t p = fork();
                        if (p == 0) { pause(); return 0; }
                        if (p < 0) { printf("%d %s\\n", n, strerror(errno)); return 0; }
                        n++;
                    }
                }
                """);
        String[] out = r.stdout().trim().split(" ", 2);
        assertEquals("Resource temporarily unavailable", out[1], r.toString());
        int forks = Integer.parseInt(out[0]);
        // RLIMIT_NPROC is the limit (64) + 2, counting the box init and the program itself.
        assertTrue(forks > 50 && forks < 65, "stopped by RLIMIT_NPROC: " + r);
    }

    @Test
    void aHugeFileIsStoppedAtTheFileSizeLimit() throws Exception {
        StageResult r = server.run("c", """
                #include <stdio.h>
                int main(void) { static char b[1 << 20]; FILE* f = fopen("huge", "w"); for (int i = 0; i < 1024; i++) fwrite(b, 1, sizeof b, f); fclose(f); puts("written"); }
                """);
        assertEquals(StageStatus.SG, r.status(), r.toString());
        assertEquals("SIGXFSZ", r.signal());
    }

    @Test
    void theServersFilesAreOutOfReach() throws Exception {
        assertServersFilesOutOfReach(server);
    }

    @Test
    void cpuTimeAndMemoryAreMeasuredAndLimitedWithoutCgroups() throws Exception {
        StageResult loop = server.execute("c", "int main(void) { for (;;); }", CPU_BOUND)
                .runs()
                .getFirst();
        assertEquals(StageStatus.TO, loop.status(), loop.toString());
        assertEquals("Time limit exceeded", loop.message(), "the CPU limit, read from /proc: " + loop);
        assertTrue(loop.cpuTimeMs() >= 1000 && loop.cpuTimeMs() < 2000, "CPU time from rusage: " + loop);
        StageResult bomb = server.run("c", """
                #include <stdlib.h>
                #include <string.h>
                int main(void) { for (;;) { char* p = malloc(1 << 20); memset(p, 1, 1 << 20); } }
                """);
        assertEquals(StageStatus.ML, bomb.status(), bomb.toString());
        assertTrue(bomb.memoryBytes() > 256L << 20, "peak memory reported: " + bomb);
        StageResult small = server.run("python", "x = bytearray(64 << 20)\nprint(len(x) >> 20)");
        assertEquals("64\n", small.stdout(), small.toString());
        assertTrue(small.memoryBytes() >= 64L << 20 && small.memoryBytes() < 128L << 20, "peak memory: " + small);
    }

    /**
     * Docker before its profile listed Landlock's calls (or a kernel without Landlock): the
     * server says so, runs, and its files are kept from the runs by their modes alone.
     */
    @Test
    void withoutLandlockTheImagesFileModesStillKeepTheServersFilesAway() throws Exception {
        Server plain = Server.start(false, DOCKER_CAPABILITIES.keySet(), UID_BASE_WITHOUT_LANDLOCK);
        try {
            JsonNode health = Json.mapper()
                    .readTree(HTTP.send(
                                    HttpRequest.newBuilder(plain.uri("/health")).build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
            assertEquals("UID", health.get("isolation").get("level").asString());
            assertTrue(health.get("isolation").get("detail").asString().contains("no Landlock"), health.toString());
            assertEquals("hello\n", plain.run("python", "print('hello')").stdout());
            assertServersFilesOutOfReach(plain);
        } finally {
            plain.stop();
            deleteTree(plain.dataDir());
        }
        assertEquals(List.of(), processesOf(UID_BASE_WITHOUT_LANDLOCK, SLOTS));
    }

    /**
     * A platform stricter still, without even the capabilities to give a run a uid of its own:
     * no level can start. The container still serves, and says why, instead of ending (the pool
     * would only start another one like it, and no one would learn why).
     */
    @Test
    void whereNoLevelCanStartTheServerStaysUpAndSaysWhy() throws Exception {
        List<String> fewer = DOCKER_CAPABILITIES.keySet().stream()
                .filter(c -> !c.equals("setuid") && !c.equals("setgid"))
                .toList();
        Server none = Server.start(true, fewer, UID_BASE_WITHOUT_SETUID);
        try {
            HttpResponse<String> health = HTTP.send(
                    HttpRequest.newBuilder(none.uri("/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, health.statusCode(), health.body());
            JsonNode answer = Json.mapper().readTree(health.body());
            assertEquals("unavailable", answer.get("status").asString());
            String why = answer.get("error").asString();
            assertTrue(
                    why.contains("UID isolation unavailable") && why.contains("uid " + UID_BASE_WITHOUT_SETUID), why);
            HttpResponse<String> execute = HTTP.send(
                    HttpRequest.newBuilder(none.uri("/execute"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Json.write(new ExecutionRequest(
                                    "python",
                                    "*",
                                    List.of(SourceFile.utf8(null, "print(1)")),
                                    Map.of(),
                                    null,
                                    null,
                                    List.of(new RunInput("", List.of()))))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500, execute.statusCode(), execute.body());
            assertTrue(
                    Json.mapper()
                            .readTree(execute.body())
                            .get("error")
                            .asString()
                            .startsWith("this session cannot run code: "),
                    execute.body());
            HttpResponse<String> interact = post(none, "/interact", interaction());
            assertEquals(500, interact.statusCode(), interact.body());
            assertTrue(
                    Json.mapper()
                            .readTree(interact.body())
                            .get("error")
                            .asString()
                            .startsWith("this session cannot run code: "),
                    interact.body());
            assertTrue(none.logged().stream().anyMatch(l -> l.contains("NO SANDBOX")), "said in the log too");
            assertTrue(none.process().isAlive());
        } finally {
            none.stop();
            deleteTree(none.dataDir());
        }
    }

    /** An interactive problem's one test: a submission that guesses once, a validator that accepts it. */
    private static InteractionRequest interaction() {
        return new InteractionRequest(
                new Program("python", "*", List.of(SourceFile.utf8(null, "print(1)")), Map.of(), null, SHORT),
                new Program(
                        "python",
                        "*",
                        List.of(SourceFile.utf8("validator.py", "import sys\nsys.exit(42)")),
                        Map.of(),
                        null,
                        SHORT),
                true,
                1,
                List.of(new InteractionRequest.Test("1", "", List.of())),
                4096,
                true);
    }

    private static HttpResponse<String> post(Server target, String path, Object body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(target.uri(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The server's classpath (a jar of it), its data directory and compile cache, its process's files. */
    private static void assertServersFilesOutOfReach(Server target) throws Exception {
        Path jar = appClasspath.stream()
                .filter(p -> p.toString().endsWith(".jar"))
                .findFirst()
                .orElseThrow();
        StageResult r = target.run(
                "python",
                """
                import os, sys
                app, jar, data, pid = sys.argv[1:5]
                for name, attempt in [('app', lambda: os.listdir(app)), ('jar', lambda: open(jar, 'rb').read(1)),
                                      ('data', lambda: os.listdir(data)), ('cache', lambda: os.listdir(data + '/compile-cache')),
                                      ('environ', lambda: open(f'/proc/{pid}/environ', 'rb').read()),
                                      ('cwd', lambda: os.listdir(f'/proc/{pid}/cwd')),
                                      ('mem', lambda: open(f'/proc/{pid}/mem', 'rb').read(1)),
                                      ('shadow', lambda: open('/etc/shadow').read())]:
                    try: attempt(); print(name, 'READ')
                    except OSError as e: print(name, e.strerror)
                """,
                app.toString(),
                jar.toString(),
                target.dataDir().toString(),
                Long.toString(target.process().pid()));
        assertEquals("""
                app Permission denied
                jar Permission denied
                data Permission denied
                cache Permission denied
                environ Permission denied
                cwd Permission denied
                mem Permission denied
                shadow Permission denied
                """, r.stdout(), r.toString());
    }

    /** The session server in Docker's defaults: {@code inDockerDefaults} around the image's own command. */
    private record Server(Process process, BlockingQueue<String> lines, List<String> logged, int port, Path dataDir) {

        static Server start(boolean landlock, Collection<String> capabilities, int uidBase) throws Exception {
            int port;
            try (var probe = new java.net.ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            Path dataDir = Files.createTempDirectory("ce-docker-defaults-");
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElseThrow(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-Dlogback.configurationFile=session-logback.xml",
                    "-cp",
                    String.join(
                            File.pathSeparator,
                            appClasspath.stream().map(Path::toString).toList()),
                    SessionServer.class.getName()));
            ProcessBuilder builder =
                    new ProcessBuilder(dockerDefaults(landlock, capabilities, command)).redirectErrorStream(true);
            builder.environment()
                    .putAll(Map.of(
                            "PORT",
                            Integer.toString(port),
                            "CE_SLOTS",
                            Integer.toString(SLOTS),
                            "CE_DATA_DIR",
                            dataDir.toString(),
                            "CE_UID_BASE",
                            Integer.toString(uidBase),
                            "CE_CGROUP_NAME",
                            "coding-engine-docker-defaults-test"));
            builder.environment().remove("CE_ISOLATION");
            Process process = builder.start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            List<String> logged = java.util.Collections.synchronizedList(new ArrayList<>());
            // A platform thread: a virtual one must not block on a process's pipe.
            Thread.ofPlatform()
                    .daemon()
                    .name("docker-defaults-server")
                    .start(() -> process.inputReader(StandardCharsets.UTF_8)
                            .lines()
                            .forEach(line -> {
                                logged.add(line);
                                lines.add(line);
                            }));
            Server server = new Server(process, lines, logged, port, dataDir);
            server.await("session server listening");
            return server;
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        void await(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null && line.contains(text)) {
                    return;
                }
                if (line == null && !process.isAlive()) {
                    throw new AssertionError("the session server died: " + String.join("\n", logged));
                }
            }
            throw new AssertionError("no log line with " + text + " within 120 s: " + String.join("\n", logged));
        }

        ExecutionResult execute(String language, String source, LimitRequest limits, String... args) {
            ExecutionRequest request = new ExecutionRequest(
                    language,
                    "*",
                    List.of(SourceFile.utf8(null, source)),
                    Map.of(),
                    null,
                    limits,
                    List.of(new RunInput("", List.of(args))));
            try {
                HttpResponse<String> response = HTTP.send(
                        HttpRequest.newBuilder(uri("/execute"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                return Json.read(response.body(), ExecutionResult.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** One run of {@code source} with short limits; it must compile. */
        StageResult run(String language, String source, String... args) {
            ExecutionResult r = execute(language, source, SHORT, args);
            assertNull(r.compileFailed() ? r.compile().output() : null, "compiles");
            return r.runs().getFirst();
        }

        /** SIGTERM (the shutdown hook closes the sandbox), then a kill after 30 s. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private record Result(int exit, String output) {}

    /** {@code command} run in Docker's defaults, to see what they allow. */
    private static Result inDockerDefaults(List<String> command) throws Exception {
        Path out = Files.createTempFile("ce-docker-defaults-", ".out");
        try {
            Process p = new ProcessBuilder(dockerDefaults(true, DOCKER_CAPABILITIES.keySet(), command))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), command.toString());
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.delete(out);
        }
    }

    /**
     * The launcher (mount namespace with read-only cgroups, Docker's seccomp profile), then setpriv
     * dropping every capability outside {@code capabilities} (Docker's set, or fewer) from the
     * bounding and inheritable sets: a root process's permitted and effective sets are then exactly those.
     */
    private static List<String> dockerDefaults(
            boolean landlock, Collection<String> capabilities, List<String> command) {
        List<String> argv = new ArrayList<>(List.of(launcher.toString()));
        if (!landlock) {
            argv.add("--no-landlock");
        }
        String caps = "-all,"
                + String.join(",", capabilities.stream().map(c -> "+" + c).toList());
        argv.addAll(List.of("--", "setpriv", "--bounding-set", caps, "--inh-caps", "-all", "--"));
        argv.addAll(command);
        return argv;
    }

    /**
     * This test's classpath copied into a directory only root may enter, every file and directory
     * {@code go-rwx}, as the image makes {@code /app}; checks that the Dockerfile does so.
     */
    private static Path copyClasspathAsTheImageHasIt() throws IOException {
        String dockerfile = Files.readString(Path.of(System.getProperty("user.dir"), "Dockerfile"));
        assertTrue(
                dockerfile.lines().anyMatch(l -> l.matches("RUN chmod -R go-rwx /app.*")),
                "the session image makes its /app root's alone");
        Path root = Files.createTempDirectory("ce-docker-defaults-app-");
        Path lib = Files.createDirectory(root.resolve("lib"));
        List<Path> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path from = Path.of(entry);
            Path to = lib.resolve(n++ + "-" + from.getFileName());
            if (Files.isDirectory(from)) {
                try (Stream<Path> tree = Files.walk(from)) {
                    for (Path p : tree.toList()) {
                        Files.copy(p, to.resolve(from.relativize(p).toString()));
                    }
                }
            } else if (Files.exists(from)) {
                Files.copy(from, to);
            } else {
                continue;
            }
            entries.add(to);
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.toList()) {
                Files.setPosixFilePermissions(
                        p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
            }
        }
        appClasspath = List.copyOf(entries);
        return root;
    }

    /** Removes what this test made under /tmp (the servers are stopped: nothing of a run is left in it). */
    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The processes whose real uid is in {@code [first, first + count)}, as "pid cmdline". */
    private static List<String> processesOf(int first, int count) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    int uid = Integer.parseInt(status(proc).get("Uid").split("\\s+")[0]);
                    if (uid >= first && uid < first + count) {
                        found.add(proc.getFileName() + " "
                                + Files.readString(proc.resolve("cmdline")).replace('\0', ' '));
                    }
                } catch (IOException | RuntimeException ended) {
                    // it exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static Map<String, String> status(long pid) throws IOException {
        return status(Path.of("/proc", Long.toString(pid)));
    }

    /** /proc/PID/status as name to value. */
    private static Map<String, String> status(Path proc) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    private static Map<String, Integer> dockerCapabilities() {
        Map<String, Integer> caps = new LinkedHashMap<>();
        caps.put("chown", 0);
        caps.put("dac_override", 1);
        caps.put("fowner", 3);
        caps.put("fsetid", 4);
        caps.put("kill", 5);
        caps.put("setgid", 6);
        caps.put("setuid", 7);
        caps.put("setpcap", 8);
        caps.put("net_bind_service", 10);
        caps.put("net_raw", 13);
        caps.put("sys_chroot", 18);
        caps.put("mknod", 27);
        caps.put("audit_write", 29);
        caps.put("setfcap", 31);
        return caps;
    }
}
