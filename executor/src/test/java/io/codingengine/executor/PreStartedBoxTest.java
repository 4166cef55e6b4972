package io.codingengine.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageResult;
import io.codingengine.executor.sandbox.Sandbox;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the pre-started boxes: every run of this executor uses the one slot's box, so what
 * one run leaves behind (files, processes, IPC objects, environment, a full tmpfs, attacks on the
 * box itself) is looked for by the next real program in the same box, within the submission and
 * in the next one. The box is recycled every 5 runs here, so recycling happens in between too.
 */
class PreStartedBoxTest {

    private static final int UID = 65000;
    private static final String CGROUP = "coding-engine-pool-test";
    private static final Path DATA_DIR = tempDir();
    private static final SandboxedExecutor EXECUTOR = SandboxedExecutor.start(
            SandboxConfig.defaults()
                    .withDataDir(DATA_DIR)
                    .withSlots(1)
                    .withUidBase(UID)
                    .withCgroupName(CGROUP)
                    .withRecycleAfter(5),
            ExecutorConfig.defaults());
    private static final LimitRequest SHORT =
            new LimitRequest(Duration.ofSeconds(2), Duration.ofSeconds(3), null, null);

    @AfterAll
    static void close() {
        EXECUTOR.close();
    }

    @AfterEach
    void nothingLeft() {
        assertEquals(List.of(), HostCheck.sandboxProcesses(UID, 200), "processes of the box's uid still alive");
        assertTrue(
                HostCheck.leftoverCgroups(CGROUP).isEmpty(), "run cgroups left: " + HostCheck.leftoverCgroups(CGROUP));
    }

    @Test
    void theBoxIsPreStarted() {
        assertTrue(EXECUTOR.sandbox().pooled(), "namespaces are available here, so runs enter pre-started boxes");
    }

    @Test
    void filesLeftInTmpShmAndTheWorkDirDoNotReachTheNextRun() {
        String program = """
                import os, sys
                if sys.argv[1:] == ['plant']:
                    for d in ['/box', '/tmp', '/dev/shm']:
                        open(d + '/left-behind', 'w').write('x')
                    os.mkfifo('/tmp/fifo'); os.symlink('/etc/passwd', '/dev/shm/link')
                    print('planted')
                else:
                    print(sorted(os.listdir('/tmp')), sorted(os.listdir('/dev/shm')), 'left-behind' in os.listdir('/box'))
                """;
        List<StageResult> runs = python(program, "plant", "check");
        assertEquals("planted\n", runs.get(0).stdout(), runs.get(0).output());
        // Every run gets its own work directory (the program copied in), /tmp and /dev/shm.
        assertEquals("[] [] False\n", runs.get(1).stdout(), runs.get(1).output());
        assertEquals(
                "[] [] False\n", python(program, "check").getFirst().stdout(), "the next submission's work dir is new");
    }

    @Test
    void everyRunOfASubmissionStartsWithOnlyTheProgramInItsWorkDirectory() {
        // Two mount points take turns (BoxMounts): runs 3 and 5 get the first's again, 4 the second's,
        // each a tmpfs mounted afresh after the used one was detached off the run's path.
        String program = """
                import os, sys
                print(sorted(os.listdir('/box')))
                open('/box/left-by-' + sys.argv[1], 'w').write('x')
                os.mkdir('/box/dir-' + sys.argv[1])
                """;
        List<StageResult> runs = python(program, "1", "2", "3", "4", "5");
        assertEquals(5, runs.size());
        for (StageResult run : runs) {
            assertEquals("['main.py']\n", run.stdout(), run.output());
        }
        // Closing the box waited for the last detach and detached both: nothing stays mounted.
        String boxes = DATA_DIR.resolve("boxes").toString();
        List<String> left;
        try {
            left = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(line -> line.split(" ")[4].startsWith(boxes + "/"))
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(List.of(), left, "mounts left in the boxes' directories");
    }

    @Test
    void backgroundAndDaemonizedProcessesDieWithTheRun() {
        String program = """
                import os, sys, time
                if sys.argv[1:] == ['spawn']:
                    for daemon in (False, True):
                        if os.fork() == 0:
                            if daemon:
                                os.setsid()
                                if os.fork() != 0:
                                    os._exit(0)
                            time.sleep(0.5)
                            for d in ('/box', '/tmp'):
                                try: open(d + '/from-the-past', 'w').write('x')
                                except OSError: pass
                            os._exit(0)
                    print('spawned')
                else:
                    time.sleep(1)
                    print(sorted(p for p in os.listdir('/proc') if p.isdigit()),
                          os.path.exists('/box/from-the-past'), os.path.exists('/tmp/from-the-past'))
                """;
        List<StageResult> runs = python(program, "spawn", "check");
        assertEquals("spawned\n", runs.get(0).stdout());
        assertEquals("['1', '2'] False False\n", runs.get(1).stdout(), "only the box init and the program itself");
        assertEquals(
                "['1', '2'] False False\n", python(program, "check").getFirst().stdout());
    }

    @Test
    void theRunsFirstProcessJoinsItsCgroupsByMovingItsOwnThreadAndTheLimitsHoldFromItsFirstChild() {
        // Moving a whole process into a v1 cgroup waits for an RCU grace period (5-13 ms on every
        // run); the box init moves its own thread ("0" to each group's tasks), which does not.
        Sandbox.CgroupJoins before = EXECUTOR.sandbox().cgroupJoins();
        // The program's threads, its children and it are in the groups the init joined (the root
        // of its cgroup namespace) in every hierarchy, and the pids limit (64 + the init and the
        // program) counts every thread it starts.
        // The first run fills its pids limit with sleeping children and is killed: the next ones,
        // in the same box, still get their whole limit.
        String program = """
                import os, sys, threading, time
                if sys.argv[1:] == ['bomb']:
                    n = 0
                    try:
                        while True:
                            if os.fork() == 0:
                                time.sleep(60); os._exit(0)
                            n += 1
                    except OSError:
                        pass
                    print(n, flush=True)
                    os.kill(os.getpid(), 9)
                threading.stack_size(1 << 20)
                seen = []
                t = threading.Thread(target=lambda: seen.append(open('/proc/thread-self/cgroup').read()))
                t.start(); t.join()
                r, w = os.pipe()
                if os.fork() == 0:
                    os.write(w, open('/proc/self/cgroup').read().encode()); os._exit(0)
                os.close(w); os.wait()
                child = os.read(r, 65536).decode()
                stop = threading.Event()
                started = 0
                try:
                    for _ in range(100):
                        threading.Thread(target=stop.wait, daemon=True).start()
                        started += 1
                except RuntimeError:
                    pass
                stop.set()
                print(started)
                print(open('/proc/self/cgroup').read() + seen[0] + child, end='')
                """;
        List<StageResult> runs = python(program, "bomb", "1", "2");
        assertEquals("64\n", runs.getFirst().stdout(), runs.getFirst().output());
        for (StageResult run : runs.subList(1, runs.size())) {
            List<String> lines = run.stdout().lines().toList();
            assertEquals("64", lines.getFirst(), run.output());
            assertTrue(lines.stream().anyMatch(l -> l.contains(":memory:")), run.stdout());
            assertTrue(lines.stream().anyMatch(l -> l.contains(":pids:")), run.stdout());
            lines.stream().skip(1).forEach(l -> assertTrue(l.endsWith(":/"), "outside the run's group: " + l));
        }
        Sandbox.CgroupJoins after = EXECUTOR.sandbox().cgroupJoins();
        assertEquals(0, after.byProcess(), "a run's first process was moved as a whole process: " + after);
        assertTrue(after.byThread() - before.byThread() >= runs.size(), before + " then " + after);
    }

    @Test
    void sysvAndPosixIpcObjectsDoNotReachTheNextRun() {
        String program = """
                #include <fcntl.h>
                #include <mqueue.h>
                #include <stdio.h>
                #include <string.h>
                #include <sys/ipc.h>
                #include <sys/mman.h>
                #include <sys/msg.h>
                #include <sys/sem.h>
                #include <sys/shm.h>
                int main(int argc, char** argv) {
                  if (argc > 1) {
                    int shm = shmget(4242, 4096, IPC_CREAT | 0666);
                    strcpy((char*) shmat(shm, 0, 0), "left behind");
                    int sem = semget(4243, 1, IPC_CREAT | 0666), msg = msgget(4244, IPC_CREAT | 0666);
                    int pshm = shm_open("/left", O_CREAT | O_RDWR, 0666);
                    mqd_t mq = mq_open("/left", O_CREAT | O_RDWR, 0666, NULL);
                    printf("planted %d %d %d %d %d\\n", shm >= 0, sem >= 0, msg >= 0, pshm >= 0, mq != (mqd_t) -1);
                  } else {
                    printf("found %d %d %d %d %d\\n", shmget(4242, 0, 0) >= 0, semget(4243, 0, 0) >= 0, msgget(4244, 0) >= 0,
                           shm_open("/left", O_RDWR, 0) >= 0, mq_open("/left", O_RDWR) != (mqd_t) -1);
                  }
                  return 0;
                }
                """;
        List<StageResult> runs = c(program, List.of("plant"), List.of());
        assertEquals("planted 1 1 1 1 1\n", runs.get(0).stdout(), runs.get(0).output());
        assertEquals("found 0 0 0 0 0\n", runs.get(1).stdout(), runs.get(1).output());
        assertEquals("found 0 0 0 0 0\n", c(program, List.of()).getFirst().stdout());
    }

    @Test
    void environmentCwdUmaskAndRlimitsChangedByARunAreNotInherited() {
        String program = """
                import os, resource, socket, sys
                if sys.argv[1:] == ['change']:
                    os.environ['LEFT'] = 'x'; os.putenv('LEFT', 'x'); os.chdir('/tmp'); os.umask(0o777)
                    resource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))
                    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
                    resource.setrlimit(resource.RLIMIT_STACK, (1 << 20, 1 << 20))
                    open('/box/.profile', 'w').write('export LEFT=x')
                    print('changed')
                else:
                    print(os.getcwd(), sorted(os.environ), oct(os.umask(0)), socket.gethostname(),
                          [resource.getrlimit(r) for r in (resource.RLIMIT_NOFILE, resource.RLIMIT_FSIZE, resource.RLIMIT_STACK)])
                """;
        String clean = python(program, "check").getFirst().stdout();
        assertTrue(clean.startsWith("/box ['HOME', 'LANG', 'LC_ALL', 'PATH', 'TMPDIR'] 0o22 box [(512, 512)"), clean);
        List<StageResult> runs = python(program, "change", "check");
        assertEquals("changed\n", runs.get(0).stdout(), runs.get(0).output());
        assertEquals(clean, runs.get(1).stdout(), "the next run starts as a clean one does");
        assertEquals(clean, python(program, "check").getFirst().stdout());
    }

    @Test
    void aFilledTmpfsDoesNotReachTheNextRun() {
        String program = """
                import sys
                dirs = ['/tmp', '/dev/shm', '/box']
                if sys.argv[1:] == ['fill']:
                    for d in dirs:
                        n = 0
                        try:
                            while True:
                                with open(f'{d}/fill{n}', 'wb') as f: f.write(b'x' * (4 << 20))
                                n += 1
                        except OSError as e:
                            print(d, e.errno == 28)
                else:
                    for d in dirs:
                        with open(f'{d}/big', 'wb') as f: f.write(b'x' * (8 << 20))
                    print('wrote 8 MiB in each')
                """;
        List<StageResult> runs = python(program, "fill");
        assertEquals(
                "/tmp True\n/dev/shm True\n/box True\n",
                runs.getFirst().stdout(),
                runs.getFirst().output());
        assertEquals(
                "wrote 8 MiB in each\n", python(program, "write").getFirst().stdout());
    }

    @Test
    void aRunAttackingTheBoxGetsACleanVerdictAndTheBoxStaysIntact() {
        String attack = """
                #define _GNU_SOURCE
                #include <errno.h>
                #include <fcntl.h>
                #include <sched.h>
                #include <signal.h>
                #include <stdio.h>
                #include <sys/mount.h>
                #include <sys/stat.h>
                #include <unistd.h>
                int main(void) {
                  printf("kill init %d\\n", kill(1, SIGKILL));
                  int ns = open("/proc/1/ns/mnt", O_RDONLY);
                  printf("setns %d\\n", setns(ns, 0));
                  printf("remount / %d\\n", mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL));
                  printf("sethostname %d\\n", sethostname("evil", 4));
                  printf("sysctl %d\\n", open("/proc/sys/user/max_user_namespaces", O_WRONLY));
                  printf("mkdir / %d\\n", mkdir("/evil", 0777));
                  kill(-1, SIGKILL);
                  printf("still here\\n");
                  return 0;
                }
                """;
        StageResult r = c(attack, List.of()).getFirst();
        assertNull(r.status(), r.toString());
        assertEquals(
                "kill init 0\nsetns -1\nremount / -1\nsethostname -1\nsysctl -1\nmkdir / -1\nstill here\n",
                r.stdout(),
                "init ignores a signal from its own namespace; everything else is denied");
        String check = """
                import os, socket
                print(socket.gethostname(), os.path.exists('/evil'), open('/proc/sys/user/max_user_namespaces').read().strip())
                """;
        assertEquals("box False 0\n", python(check, "check").getFirst().stdout());
    }

    @Test
    void aRunHasNoPrivilegeLeft() {
        StageResult r = python("""
                import os
                status = dict(l.split(':\\t', 1) for l in open('/proc/self/status').read().splitlines() if ':\\t' in l)
                print(os.getuid(), os.getgid(), os.getgroups(), [status[k].strip() for k in
                      ('CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs', 'Seccomp')])
                print(open('/proc/self/cgroup').read().splitlines()[0].split(':')[-1], os.stat('/tmp').st_uid, os.stat('/box').st_uid)
                """, "check").getFirst();
        String zero = "0000000000000000";
        assertEquals(
                UID + " " + UID + " [] ['" + zero + "', '" + zero + "', '" + zero + "', '" + zero + "', '" + zero
                        + "', '1', '2']\n/ " + UID + " " + UID + "\n",
                r.stdout(),
                r.output());
    }

    @Test
    void theBoxIsRecycledAfterItsRunsAndWhenItBreaks() throws Exception {
        String program = "print('ok')";
        long built = EXECUTOR.sandbox().boxesBuilt();
        List<StageResult> runs = python(program, "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        runs.forEach(r -> assertEquals("ok\n", r.stdout(), r.toString()));
        // Whatever the box had served before (1 to 5 runs), ten more runs recycle it exactly twice.
        assertEquals(built + 2, EXECUTOR.sandbox().boxesBuilt(), "ten runs, recycled every five");

        // Break the box from outside, as if its namespaces were gone: the next run still succeeds, in a new box.
        try (var pins = Files.list(DATA_DIR.resolve("pool").resolve("0"))) {
            for (Path pin : pins.toList()) {
                assertEquals(
                        0,
                        new ProcessBuilder("umount", "-l", pin.toString())
                                .inheritIO()
                                .start()
                                .waitFor());
            }
        }
        built = EXECUTOR.sandbox().boxesBuilt();
        StageResult after = python(program, "check").getFirst();
        assertNull(after.status(), after.toString());
        assertEquals("ok\n", after.stdout());
        assertEquals(built + 1, EXECUTOR.sandbox().boxesBuilt(), "the broken box was replaced");
    }

    private static List<StageResult> python(String source, String... args) {
        return execute(
                "python",
                "main.py",
                source,
                List.of(args).stream().map(a -> List.of(a)).toList());
    }

    @SafeVarargs
    private static List<StageResult> c(String source, List<String>... args) {
        return execute("c", "main.c", source, List.of(args));
    }

    private static List<StageResult> execute(String language, String file, String source, List<List<String>> args) {
        ExecutionResult r = EXECUTOR.execute(new ExecutionRequest(
                language,
                "*",
                List.of(SourceFile.utf8(file, source)),
                Map.of(),
                null,
                SHORT,
                args.stream().map(a -> new RunInput("", a)).toList()));
        assertTrue(
                r.compile() == null || r.compile().succeeded(),
                () -> r.compile().output());
        return r.runs();
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("ce-pool-test-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
