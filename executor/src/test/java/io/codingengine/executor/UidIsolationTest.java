package io.codingengine.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.InteractionResult;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.sandbox.Box;
import io.codingengine.executor.sandbox.Isolation;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * UID isolation on this host, which has cgroups and Landlock: real programs, ordinary and
 * hostile, in a sandbox forced to the level. After each, no process of the level's uids is alive
 * and no run cgroup is left. The level where nothing stronger can start, without cgroups (the
 * relay's own accounting) and without Landlock, and what concurrent runs and daemons can do there,
 * is the session container's: session-image's DockerDefaultsTest.
 */
class UidIsolationTest {

    private static final int UID_BASE = 61600;
    private static final int SLOTS = 2;
    private static final LimitRequest SHORT =
            new LimitRequest(Duration.ofSeconds(1), Duration.ofSeconds(3), null, null);
    /** The CPU limit of {@link #SHORT}, with wall time to spare: on a busy machine a loop may get a third of a core. */
    private static final LimitRequest CPU_BOUND =
            new LimitRequest(Duration.ofSeconds(1), Duration.ofSeconds(30), null, null);

    private static Path dataDir;
    private static SandboxedExecutor executor;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("ce-uid-test-");
        executor = SandboxedExecutor.start(
                SandboxConfig.defaults()
                        .withDataDir(dataDir)
                        .withSlots(SLOTS)
                        .withUidBase(UID_BASE)
                        .withCgroupName("coding-engine-test-uid")
                        .withIsolation("uid")
                        .withAllowUidIsolation(true),
                ExecutorConfig.defaults());
    }

    @AfterAll
    static void stop() {
        executor.close();
    }

    @AfterEach
    void nothingOfTheRunsIsLeft() {
        assertEquals(
                List.of(), HostCheck.sandboxProcesses(UID_BASE, SLOTS), "processes of the slots' uids still alive");
        assertEquals(List.of(), HostCheck.leftoverCgroups("coding-engine-test-uid"), "run cgroups left");
    }

    private static ExecutionResult execute(String language, String source, LimitRequest limits, String... args) {
        return executor.execute(new ExecutionRequest(
                language,
                "*",
                List.of(SourceFile.utf8(null, source)),
                Map.of(),
                null,
                limits,
                List.of(new RunInput("", List.of(args)))));
    }

    private static StageResult run(String language, String source, String... args) {
        ExecutionResult r = execute(language, source, SHORT, args);
        assertNull(r.compileFailed() ? r.compile().stderr() : null, "compiles");
        return r.runs().getFirst();
    }

    @Test
    void theLevelSaysWhatItDoesNotIsolate() {
        Isolation isolation = executor.sandbox().isolation();
        assertEquals(Isolation.Level.UID, isolation.level());
        assertFalse(isolation.full());
        assertTrue(isolation.detail().contains("UID isolation chosen by configuration"), isolation.detail());
        assertTrue(isolation.detail().contains("Landlock (ABI"), "this kernel has Landlock: " + isolation.detail());
        assertTrue(
                isolation.notIsolated().stream().anyMatch(g -> g.startsWith("processes:")),
                isolation.notIsolated().toString());
        assertTrue(
                isolation.notIsolated().stream().anyMatch(g -> g.startsWith("disk:")),
                isolation.notIsolated().toString());
    }

    /**
     * Interactive and multi-pass problems need the companion box, which this level does not set
     * up: a valid request runs nothing and its result is the sandbox's failure with why (IE for
     * the worker), an invalid one is still refused as invalid, and no companion box opens.
     */
    @Test
    void interactionsAreRefusedWithWhy() throws Exception {
        String refusal = executor.sandbox().interactionRefusal();
        assertTrue(refusal != null && refusal.contains("UID isolation"), String.valueOf(refusal));
        for (boolean interactive : List.of(true, false)) {
            InteractionResult r = executor.interact(InteractionTest.request(
                    "c",
                    InteractionTest.BINARY_SEARCH,
                    InteractionTest.GUESS_VALIDATOR,
                    interactive,
                    interactive ? 1 : 2,
                    List.of(InteractionTest.test("500"))));
            assertTrue(r.compileFailed(), r.toString());
            assertEquals(StageStatus.XX, r.compile().status(), r.toString());
            assertEquals(refusal, r.compile().message());
            assertEquals(refusal, r.compile().output(), "the judgement's message");
            assertEquals(refusal, r.sandboxFailure());
            assertEquals(List.of(), r.tests());
            assertNull(r.validatorCompile(), "the validator was not compiled either");
        }
        // A request the executor would refuse anyway is still refused as the caller's mistake.
        assertThrows(
                InvalidRequestException.class,
                () -> executor.interact(InteractionTest.request(
                        "brainfuck",
                        "+",
                        InteractionTest.GUESS_VALIDATOR,
                        true,
                        1,
                        List.of(InteractionTest.test("500")))));
        try (Box box = executor.sandbox().open(1 << 20, 64)) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> executor.sandbox().openCompanion(box, 1 << 20, 64));
            assertEquals(refusal, e.getMessage());
        }
        // The slot was freed: both slots can be taken again.
        try (Box a = executor.sandbox().open(1 << 20, 64);
                Box b = executor.sandbox().open(1 << 20, 64)) {
            assertTrue(a.slot() != b.slot());
        }
    }

    @Test
    void everyLanguageRuns() {
        for (String language : List.of("python", "javascript", "c", "c++", "java")) {
            StageResult r = run(
                    language,
                    Catalogue.detect()
                            .resolve(language, "*")
                            .definition()
                            .samples()
                            .hello());
            assertEquals("héllo wörld ✓\n", r.stdout(), language + ": " + r);
            assertNull(r.status(), language + ": " + r);
        }
    }

    @Test
    void eachRunIsItsSlotsUidInAFreshPrivateWorkDirectory() {
        StageResult r = run("python", """
                import os, stat, sys
                st = os.stat('.')
                print(os.getuid() - %d < %d, st.st_uid == os.getuid(), oct(stat.S_IMODE(st.st_mode)), os.listdir('.') == [sys.argv[0]])
                open('left-behind', 'w').write('x')
                """.formatted(UID_BASE, SLOTS));
        assertEquals("True True 0o700 True\n", r.stdout(), r.toString());
        // The next run's directory has none of it, whichever slot it gets.
        assertEquals(
                "True\n",
                run("python", "import os, sys\nprint(os.listdir('.') == [sys.argv[0]])")
                        .stdout());
    }

    @Test
    void noSocketOfAnyFamilyAndNoSharedIpc() {
        StageResult r = run("python", """
                import ctypes, errno, socket
                for family in ['AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_NETLINK']:
                    try: socket.socket(getattr(socket, family)); print(family, 'allowed')
                    except OSError as e: print(family, errno.errorcode[e.errno])
                libc = ctypes.CDLL(None, use_errno=True)
                print('shmget', libc.shmget(0, 4096, 0o1600), errno.errorcode[ctypes.get_errno()])
                a, b = socket.socketpair(); a.send(b'x'); print('socketpair', b.recv(1))
                """);
        assertEquals(
                "AF_INET EACCES\nAF_INET6 EACCES\nAF_UNIX EACCES\nAF_NETLINK EACCES\nshmget -1 EPERM\nsocketpair b'x'\n",
                r.stdout(),
                r.toString());
    }

    @Test
    void landlockKeepsTheRunToTheRuntimesAndItsOwnDirectories() {
        StageResult r = run("python", """
                import os, sys, tempfile
                for path in ['/etc/passwd', '/etc/hostname', sys.argv[1] + '/compile-cache']:
                    try: open(path).read(); print(path, 'read')
                    except OSError as e: print(path, e.strerror)
                for d in ['/tmp', '/dev/shm', '/var/tmp']:
                    try: open(d + '/ce-uid-test', 'w'); print(d, 'written')
                    except OSError as e: print(d, e.strerror)
                print('TMPDIR is private', tempfile.gettempdir() != '/tmp', os.environ['HOME'] == os.getcwd())
                """, dataDir.toString());
        assertEquals("""
                /etc/passwd Permission denied
                /etc/hostname Permission denied
                %s/compile-cache Permission denied
                /tmp Permission denied
                /dev/shm Permission denied
                /var/tmp Permission denied
                TMPDIR is private True True
                """.formatted(dataDir), r.stdout(), r.toString());
    }

    @Test
    void aForkBombStopsAtTheProcessLimit() {
        StageResult r = run("c", """
                #include <stdio.h>
                #include <unistd.h>
                int main(void) {
                    int n = 0;
                    for (;;) {
                        pid_t p = fork();
                        if (p == 0) { pause(); return 0; }
                        if (p < 0) break;
                        n++;
                    }
                    printf("forks %d\\n", n);
                    return 0;
                }
                """);
        int forks = Integer.parseInt(r.stdout().trim().split(" ")[1]);
        assertTrue(forks > 10 && forks < 66, "the process limit held: " + r);
        // Its 60-odd paused children die with the run: nothingOfTheRunsIsLeft.
    }

    @Test
    void aFileOverTheSizeLimitIsStopped() {
        StageResult r = run("c", """
                #include <stdio.h>
                int main(void) { static char b[1 << 20]; FILE* f = fopen("big", "w"); for (int i = 0; i < 32; i++) fwrite(b, 1, sizeof b, f); fclose(f); puts("written"); }
                """);
        assertEquals(StageStatus.SG, r.status(), r.toString());
        assertEquals("SIGXFSZ", r.signal());
    }

    @Test
    void cpuTimeAndMemoryAreMeasuredAndLimited() {
        StageResult loop =
                execute("python", "while True: pass", CPU_BOUND).runs().getFirst();
        assertEquals(StageStatus.TO, loop.status(), loop.toString());
        assertEquals("Time limit exceeded", loop.message());
        assertTrue(loop.cpuTimeMs() >= 1000, loop.toString());
        StageResult bomb = run("c", """
                #include <stdlib.h>
                #include <string.h>
                int main(void) { for (;;) { char* p = malloc(1 << 20); memset(p, 1, 1 << 20); } }
                """);
        assertEquals(StageStatus.ML, bomb.status(), bomb.toString());
    }
}
