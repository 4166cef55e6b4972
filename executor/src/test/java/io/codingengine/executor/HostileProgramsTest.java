package io.codingengine.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.executor.sandbox.Globs;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real hostile programs against the real sandbox. Each asserts the verdict, and after each the
 * host is checked: no process of a sandbox uid alive, no run cgroup left, a host file untouched,
 * and the engine still answering.
 */
class HostileProgramsTest {

    private static final LimitRequest SHORT =
            new LimitRequest(Duration.ofSeconds(1), Duration.ofSeconds(2), null, null);

    @BeforeAll
    static void plant() {
        HostCheck.plantCanary();
    }

    @AfterEach
    void hostUnharmed() {
        HostCheck.assertHostUnharmed();
    }

    private static StageResult run(String language, String source) {
        ExecutionResult r = Fixture.run(language, "*", source, "", SHORT);
        assertNull(r.compileFailed() ? r.compile().stderr() : null, "compiles");
        return r.runs().getFirst();
    }

    @Test
    void forkBombInC() {
        StageResult r = run("c", """
                #include <unistd.h>
                int main(void) { for (;;) fork(); }
                """);
        assertEquals(StageStatus.TO, r.status());
    }

    @Test
    void forkBombInPython() {
        StageResult r = run("python", """
                import os
                while True:
                    try: os.fork()
                    except OSError: pass
                """);
        assertEquals(StageStatus.TO, r.status());
    }

    @Test
    void threadBombInJava() {
        StageResult r = run("java", """
                public class Main { public static void main(String[] a) throws Exception {
                  int n = 0;
                  try { while (true) { Thread t = new Thread(() -> { try { Thread.sleep(100000); } catch (Exception e) {} }); t.start(); n++; } }
                  catch (Throwable e) { System.out.println("stopped after " + n + " threads: " + e.getClass().getSimpleName()); }
                } }
                """);
        var stopped =
                java.util.regex.Pattern.compile("stopped after (\\d+) threads").matcher(r.stdout());
        assertTrue(stopped.find(), r.output());
        int threads = Integer.parseInt(stopped.group(1));
        assertTrue(threads < 64, "pids limit held: " + threads);
    }

    @Test
    void heapMemoryBombInCpp() {
        StageResult r = run("c++", """
                #include <vector>
                #include <cstring>
                int main() { std::vector<char*> v; for (;;) { char* p = new char[1 << 20]; memset(p, 1, 1 << 20); v.push_back(p); } }
                """);
        assertEquals(StageStatus.ML, r.status(), r.toString());
        assertEquals("SIGKILL", r.signal());
        assertTrue(r.memoryBytes() >= 200L << 20, "peak memory reported: " + r.memoryBytes());
    }

    @Test
    void mmapMemoryBombInC() {
        StageResult r = run("c", """
                #include <sys/mman.h>
                int main(void) { for (;;) { mmap(0, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0); } }
                """);
        assertEquals(StageStatus.ML, r.status(), r.toString());
    }

    @Test
    void offHeapMemoryBombInJava() {
        StageResult r = run("java", """
                import java.lang.reflect.Field;
                public class Main { public static void main(String[] a) throws Exception {
                  Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe"); f.setAccessible(true);
                  sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
                  for (;;) { long p = u.allocateMemory(16 << 20); u.setMemory(p, 16 << 20, (byte) 1); }
                } }
                """);
        assertEquals(StageStatus.ML, r.status(), r.toString());
    }

    @Test
    void fillingTmpAndWorkDirStopsAtTheCap() {
        // Files of 8 MiB stay under the file-size limit; the tmpfs caps stop the writer.
        StageResult r = run("python", """
                import errno
                for d in ['/tmp', '/box', '/dev/shm']:
                    n = 0
                    try:
                        while True:
                            with open(f'{d}/fill{n}', 'wb') as f: f.write(b'x' * (8 << 20))
                            n += 1
                    except OSError as e:
                        print(d, errno.errorcode[e.errno], n <= 16)
                """);
        assertEquals("/tmp ENOSPC True\n/box ENOSPC True\n/dev/shm ENOSPC True\n", r.stdout(), r.toString());
    }

    @Test
    void aFileLargerThanTheFileSizeLimitFails() {
        StageResult r = run("python", """
                import errno
                try:
                    with open('/tmp/big', 'wb') as f: f.write(b'x' * (17 << 20))
                except OSError as e:
                    print(errno.errorcode[e.errno])
                """);
        assertEquals("EFBIG\n", r.stdout(), r.output());
    }

    @Test
    void inodeExhaustionStopsAtTheCap() {
        StageResult r = run("python", """
                import errno
                for d in ['/tmp', '/box']:
                    n = 0
                    try:
                        while True:
                            open(f'{d}/f{n}', 'w').close(); n += 1
                    except OSError as e:
                        print(d, errno.errorcode[e.errno], n < 5000)
                """);
        assertEquals("/tmp ENOSPC True\n/box ENOSPC True\n", r.stdout(), r.output());
    }

    @Test
    void cpuBurningThreadsAreLimitedByCpuTime() {
        StageResult r = run("c", """
                #include <pthread.h>
                static void* spin(void* a) { for (;;); return a; }
                int main(void) { pthread_t t[8]; for (int i = 0; i < 8; i++) pthread_create(&t[i], 0, spin, 0); spin(0); }
                """);
        assertEquals(StageStatus.TO, r.status());
        assertTrue(r.cpuTimeMs() >= 1000, "cpu time counted over all threads: " + r.cpuTimeMs());
    }

    @Test
    void infiniteLoopIsStoppedByCpuTime() {
        StageResult r = run("javascript", "for (;;) {}");
        assertEquals(StageStatus.TO, r.status());
        assertEquals("Time limit exceeded", r.message());
        assertEquals("SIGKILL", r.signal());
    }

    @Test
    void sleepingForeverIsStoppedByWallTime() {
        StageResult r = run("python", "import time\ntime.sleep(1000)");
        assertEquals(StageStatus.TO, r.status());
        assertEquals("Time limit exceeded (wall clock)", r.message());
        assertTrue(r.cpuTimeMs() < 1000);
    }

    @Test
    void stdoutFloodIsCutAtTheLimit() {
        StageResult r = run("c", "#include <stdio.h>\nint main(void){ for(;;) fputs(\"flood\\n\", stdout); }");
        assertEquals(StageStatus.OL, r.status());
        assertEquals(64 * 1024, r.stdout().length());
    }

    @Test
    void stderrFloodIsCutAtTheLimit() {
        StageResult r = run("python", "import sys\nwhile True: sys.stderr.write('flood\\n')");
        assertEquals(StageStatus.EL, r.status());
        assertEquals(64 * 1024, r.stderr().length());
    }

    /**
     * When the request cuts standard error (as judging does), a flood there is kept to the limit
     * and the program runs on to its answer; standard output still stops it.
     */
    @Test
    void aCutStderrFloodLetsTheProgramFinish() {
        LimitRequest cut = new LimitRequest(Duration.ofSeconds(2), Duration.ofSeconds(4), null, null, true);
        ExecutionResult r = Fixture.run(
                "python",
                "*",
                "import sys\nfor _ in range(4096): sys.stderr.write('flood\\n' * 1000)\nprint('done')",
                "",
                cut);
        StageResult run = r.runs().getFirst();
        assertNull(run.status(), run.message());
        assertEquals("done\n", run.stdout());
        assertEquals(64 * 1024, run.stderr().length(), "what is kept of standard error");
        StageResult flood = Fixture.run(
                        "c", "*", "#include <stdio.h>\nint main(void){ for(;;) fputs(\"flood\\n\", stdout); }", "", cut)
                .runs()
                .getFirst();
        assertEquals(StageStatus.OL, flood.status());
    }

    @Test
    void connectingToTheHostLoopbackFails() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            StageResult r = run("python", """
                    import socket
                    try:
                        socket.create_connection(('127.0.0.1', %d), timeout=1); print('connected')
                    except OSError as e:
                        print('refused')
                    """.formatted(listener.getLocalPort()));
            assertEquals("refused\n", r.stdout());
            listener.setSoTimeout(100);
            AtomicBoolean accepted = new AtomicBoolean(true);
            try {
                listener.accept().close();
            } catch (SocketTimeoutException e) {
                accepted.set(false);
            }
            assertFalse(accepted.get(), "the host listener saw a connection");
        }
    }

    @Test
    void hostFilesAreNotVisible() {
        String engineDir = Fixture.DATA_DIR.toString();
        StageResult r = run("python", """
                import os
                for p in ['/etc/shadow', '/etc/passwd', '%s', '%s', '/root', '/work', '/var/lib', '/sys/fs/cgroup', '%s']:
                    print(p.split('/')[-1] or p, os.path.exists(p))
                """.formatted(HostCheck.CANARY, engineDir, engineDir + "/boxes/1/work"));
        for (String line : r.stdout().split("\n")) {
            assertTrue(line.endsWith("False"), "visible in the box: " + line);
        }
    }

    @Test
    void killingTheParentAndEveryoneElseHarmsNothing() {
        StageResult r = run("c", """
                #include <signal.h>
                #include <stdio.h>
                #include <unistd.h>
                #include <sys/ptrace.h>
                int main(void) {
                  printf("kill parent %d\\n", kill(getppid(), SIGKILL));
                  printf("ptrace init %d\\n", (int) ptrace(PTRACE_ATTACH, 1, 0, 0));
                  printf("kill all %d\\n", kill(-1, SIGKILL));
                  printf("still here\\n");
                  return 0;
                }
                """);
        assertTrue(r.stdout().contains("ptrace init -1"), r.stdout());
        assertTrue(r.stdout().contains("still here"), r.stdout());
        assertNull(r.status(), r.toString());
    }

    @Test
    void aSetsidDaemonDoesNotOutliveTheRun() {
        StageResult r = run("python", """
                import os, time
                if os.fork() == 0:
                    os.setsid()
                    if os.fork() == 0:
                        time.sleep(60)
                    os._exit(0)
                print('parent done')
                """);
        assertEquals("parent done\n", r.stdout());
        // assertHostUnharmed (after each test) fails if the daemon is alive.
    }

    @Test
    void procShowsOnlyTheBox() {
        StageResult r = run("python", """
                import os
                pids = [p for p in os.listdir('/proc') if p.isdigit()]
                print(len(pids) <= 3, os.path.exists('/proc/%d'))
                print(open('/proc/1/cmdline').read().split('\\0')[0])
                """.formatted(ProcessHandle.current().pid()));
        assertEquals("True False\n/.ce/init\n", r.stdout(), r.output());
    }

    @Test
    void namespaceMountAndKeyringSyscallsAreDenied() {
        StageResult r = run("c", """
                #define _GNU_SOURCE
                #include <errno.h>
                #include <sched.h>
                #include <stdio.h>
                #include <sys/mount.h>
                #include <sys/syscall.h>
                #include <unistd.h>
                int main(void) {
                  int rc = unshare(CLONE_NEWUSER); printf("unshare %d %d\\n", rc, errno); errno = 0;
                  rc = mount("none", "/tmp", "tmpfs", 0, 0); printf("mount %d %d\\n", rc, errno); errno = 0;
                  long k = syscall(SYS_keyctl, 0, 0, 0, 0, 0); printf("keyctl %ld %d\\n", k, errno);
                  return 0;
                }
                """);
        assertEquals("unshare -1 1\nmount -1 1\nkeyctl -1 1\n", r.stdout());
    }

    @Test
    void a32BitSyscallKillsTheProcess() {
        StageResult r = run("c", """
                int main(void) { int ret; __asm__ volatile ("int $0x80" : "=a"(ret) : "a"(20)); return ret; }
                """);
        assertEquals(StageStatus.SG, r.status(), r.toString());
        assertEquals("SIGSYS", r.signal());
    }

    @Test
    void syscallArgumentsWithHighBitsSetAreStillDenied() {
        // The kernel reads these arguments as 32-bit ints: a filter comparing 64 bits would let
        // (1 << 32) | AF_VSOCK through as "not AF_VSOCK".
        StageResult r = run("c", """
                #define _GNU_SOURCE
                #include <errno.h>
                #include <fcntl.h>
                #include <stdio.h>
                #include <sys/socket.h>
                #include <sys/syscall.h>
                #include <unistd.h>
                int main(void) {
                  long s = syscall(SYS_socket, (1L << 32) | 40 /* AF_VSOCK */, SOCK_STREAM, 0);
                  printf("vsock %ld %d\\n", s, errno); errno = 0;
                  int fd = open("/tmp/lockme", O_CREAT | O_RDWR, 0600);
                  struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
                  long l = syscall(SYS_fcntl, fd, (1L << 32) | F_SETLK, &fl);
                  printf("lock %ld %d\\n", l, errno);
                  return 0;
                }
                """);
        assertEquals("vsock -1 97\nlock -1 1\n", r.stdout(), r.output());
    }

    @Test
    void onlyTheWorkDirTmpAndShmAreWritable() {
        StageResult r = run("python", """
                import os
                for d in ['/', '/dev', '/usr', '/etc', '/proc/sys/kernel', '/tmp', '/box', '/dev/shm']:
                    try:
                        open(os.path.join(d, 'x'), 'w').close(); print(d, 'writable')
                    except OSError as e:
                        print(d, 'denied')
                """);
        assertEquals("""
                / denied
                /dev denied
                /usr denied
                /etc denied
                /proc/sys/kernel denied
                /tmp writable
                /box writable
                /dev/shm writable
                """, r.stdout(), r.output());
    }

    @Test
    void anX32SyscallKillsTheProcess() {
        StageResult r = run("c", """
                #include <unistd.h>
                #include <sys/syscall.h>
                int main(void) { return (int) syscall(39 | 0x40000000 /* x32 getpid */); }
                """);
        assertEquals(StageStatus.SG, r.status(), r.toString());
        assertEquals("SIGSYS", r.signal());
    }

    @Test
    void spawnedShellsStayInTheBox() {
        StageResult py = run("python", "import os\nos.system('id -u; ls /work 2>&1 | head -1')");
        String slotUids = Integer.toString(Fixture.UID_BASE).substring(0, 3);
        assertTrue(py.stdout().startsWith(slotUids), py.stdout());
        assertTrue(py.stdout().contains("No such file"), py.stdout());
        StageResult js = run(
                "javascript",
                "console.log(require('child_process').execSync('cat /etc/hostname 2>&1; hostname').toString())");
        assertTrue(js.stdout().contains("box"), js.stdout());
        StageResult java = run("java", """
                public class Main { public static void main(String[] a) throws Exception {
                  Process p = new ProcessBuilder("sh", "-c", "id -u").start();
                  System.out.print(new String(p.getInputStream().readAllBytes()));
                } }
                """);
        assertTrue(java.stdout().startsWith(slotUids), java.toString());
    }

    @Test
    void symlinksAndFifosLeftBehindAreHarmless() {
        ExecutionResult r = Fixture.EXECUTOR.execute(new ExecutionRequest(
                "c",
                "*",
                List.of(SourceFile.utf8("main.c", """
                        #include <stdio.h>
                        #include <unistd.h>
                        #include <sys/stat.h>
                        int main(void) {
                          unlink("a.out"); symlink("/etc/shadow", "a.out");
                          symlink("%s", "/tmp/canary"); mkfifo("output", 0600); mkfifo("/tmp/fifo", 0600);
                          FILE* f = fopen("/tmp/canary", "w"); printf("wrote through link: %%d\\n", f != 0);
                          return 0;
                        }
                        """.formatted(HostCheck.CANARY))),
                Map.of(),
                null,
                SHORT,
                List.of(new RunInput("", List.of()), new RunInput("", List.of()))));
        // Writing through its own link lands in its own /tmp; the host file stays intact (checked after).
        assertTrue(r.runs().getFirst().stdout().startsWith("wrote through link: "));
        // The second run gets a work directory of its own, with the real program again: the
        // host never looked into (or followed a link in) the one the first run left.
        assertTrue(
                r.runs().get(1).stdout().startsWith("wrote through link: "),
                r.runs().get(1).toString());
    }

    @Test
    void sharedMemoryAndSysvIpcDoNotSurviveIntoTheNextRun() {
        ExecutionResult r = Fixture.EXECUTOR.execute(new ExecutionRequest(
                "c",
                "*",
                List.of(SourceFile.utf8("main.c", """
                        #include <stdio.h>
                        #include <string.h>
                        #include <sys/ipc.h>
                        #include <sys/shm.h>
                        #include <sys/msg.h>
                        int main(int argc, char** argv) {
                          if (argc > 1) {
                            int shm = shmget(4242, 4096, IPC_CREAT | 0666);
                            strcpy((char*) shmat(shm, 0, 0), "left behind");
                            printf("planted %d %d\\n", shm >= 0, msgget(4243, IPC_CREAT | 0666) >= 0);
                          } else {
                            printf("found %d %d\\n", shmget(4242, 0, 0) >= 0, msgget(4243, 0) >= 0);
                          }
                          return 0;
                        }
                        """)),
                Map.of(),
                null,
                SHORT,
                List.of(new RunInput("", List.of("plant")), new RunInput("", List.of()))));
        assertEquals("planted 1 1\n", r.runs().get(0).stdout());
        assertEquals("found 0 0\n", r.runs().get(1).stdout(), "a fresh IPC namespace per run");
    }

    @Test
    void noSocketOrConnectionStateSurvivesIntoTheNextRun() {
        // A run leaves connections in TIME_WAIT on ports that spell out its stdin (a hidden test's
        // input); a later run in the same slot must not find them in /proc/net/tcp.
        String program = """
                import socket, sys
                if sys.argv[1:] == ["plant"]:
                    for byte in sys.stdin.buffer.read():
                        server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                        server.bind(("127.0.0.1", 40000 + byte)); server.listen()
                        client = socket.create_connection(("127.0.0.1", 40000 + byte))
                        conn, _ = server.accept(); conn.close(); client.close(); server.close()
                    keep = socket.socket(); keep.bind(("127.0.0.1", 39999)); keep.listen()
                    print("planted")
                else:
                    for table in ("/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp", "/proc/net/unix"):
                        print(table, len(open(table).read().splitlines()) - 1)
                """;
        ExecutionResult r = Fixture.EXECUTOR.execute(new ExecutionRequest(
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", program)),
                Map.of(),
                null,
                SHORT,
                List.of(new RunInput("secret", List.of("plant")), new RunInput("", List.of()))));
        assertEquals("planted\n", r.runs().get(0).stdout(), r.runs().get(0).stderr());
        assertEquals(
                "/proc/net/tcp 0\n/proc/net/tcp6 0\n/proc/net/udp 0\n/proc/net/unix 0\n",
                r.runs().get(1).stdout(),
                "a fresh network namespace per run");
    }

    @Test
    void inotifyIsDenied() {
        // The runtimes are the same inodes in every box: a watch on them would show other runs.
        StageResult r = run("c", """
                #include <errno.h>
                #include <stdio.h>
                #include <sys/inotify.h>
                int main(void) {
                  int fd = inotify_init1(0); printf("inotify %d %d\\n", fd, errno);
                  return 0;
                }
                """);
        assertEquals("inotify -1 1\n", r.stdout());
    }

    @Test
    void aRunCannotEvictOrProbeTheSharedPageCache() throws Exception {
        // Every box reads the same runtime files through one page cache: evicting pages and then
        // seeing which came back tells what a concurrent run (on a hidden test) read. A file no
        // run uses, cached by the host: after the box's eviction attempts it is still all cached.
        String file = System.getProperty("java.home") + "/lib/src.zip";
        assertEquals(
                0,
                new ProcessBuilder("sh", "-c", "cat " + file + " > /dev/null")
                        .start()
                        .waitFor());
        long pages = (Files.size(Path.of(file)) + 4095) / 4096 * 4096;
        assertEquals(pages, cachedBytes(file), "the host cached it");
        StageResult r = run("c", """
                #define _GNU_SOURCE
                #include <errno.h>
                #include <fcntl.h>
                #include <stdio.h>
                #include <sys/mman.h>
                #include <sys/stat.h>
                #include <sys/syscall.h>
                #include <sys/uio.h>
                #include <unistd.h>
                int main(void) {
                  int fd = open("FILE", O_RDONLY); struct stat st; fstat(fd, &st);
                  printf("fadvise %d\\n", posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED));
                  void* m = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
                  volatile char sum = 0;
                  for (off_t i = 0; i < st.st_size; i += 4096) sum += ((char*) m)[i];
                  printf("pageout %d cold %d\\n", madvise(m, st.st_size, MADV_PAGEOUT), madvise(m, st.st_size, MADV_COLD));
                  char buf[16]; struct iovec v = {buf, sizeof buf};
                  long n = preadv2(fd, &v, 1, 0, RWF_NOWAIT); printf("nowait %ld %d\\n", n, n < 0 ? errno : 0);
                  errno = 0; long c = syscall(451 /* cachestat */, fd, NULL, NULL, 0); printf("cachestat %ld %d\\n", c, errno);
                  return 0;
                }
                """.replace("FILE", file));
        assertEquals("""
                fadvise 0
                pageout 0 cold 0
                nowait -1 95
                cachestat -1 38
                """, r.stdout(), r.toString());
        assertEquals(pages, cachedBytes(file), "nothing was evicted");
    }

    @Test
    void aRunThatFillsItsOwnMemoryWithPageCacheEvictsNoRuntimePage() throws Exception {
        // The attack the seccomp filter cannot stop: read one byte of chosen pages of a runtime
        // file (cached now, charged to this run's memory cgroup), then read far more of other
        // runtime files than the run's memory limit, so that its cgroup reclaims its own oldest
        // page cache: the chosen pages. Whether they come back later tells what another run read.
        // The runtimes are locked in memory at start: every page stays resident, whatever the run does.
        String home = System.getProperty("java.home");
        List<String> streamed = Globs.expand("/usr/lib/jvm/*").stream()
                .map(p -> p.resolve("lib/modules"))
                .filter(Files::isRegularFile)
                .map(Path::toString)
                .toList();
        String bits = home + "/lib/src.zip";
        for (String f : concat(bits, streamed)) {
            // What an attacker needs: pages nobody has cached. Locked pages stay, whoever asks.
            assertEquals(
                    0,
                    new ProcessBuilder(
                                    "python3",
                                    "-c",
                                    "import os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); "
                                            + "os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)",
                                    f)
                            .start()
                            .waitFor());
        }
        long total = 0;
        for (String f : streamed) {
            total += Files.size(Path.of(f));
        }
        assertTrue(total > (256L << 20), "more than twice the run's memory limit to stream: " + streamed);
        LimitRequest limits = new LimitRequest(Duration.ofSeconds(20), Duration.ofSeconds(30), 128L << 20, null);
        String program = """
                #include <errno.h>
                #include <fcntl.h>
                #include <stdio.h>
                #include <unistd.h>
                static char buf[1 << 20];
                int main(int argc, char** argv) {
                  int fd = open(argv[1], O_RDONLY); char c; int got = 0;
                  for (off_t o = 0; o < (32 << 20); o += 4 * 4096) got += pread(fd, &c, 1, o) == 1;
                  long streamed = 0;
                  for (int i = 2; i < argc; i++) {
                    int s = open(argv[i], O_RDONLY); long n;
                    while ((n = read(s, buf, sizeof buf)) > 0) streamed += n;
                    close(s);
                  }
                  printf("bit pages %d, streamed %ld MiB\\n", got, streamed >> 20);
                  const char* hidden[] = {"/usr/share/doc/libc6/copyright", "/usr/share/doc", "/usr/sbin", "/usr/local/bin", 0};
                  for (int i = 0; hidden[i]; i++) { errno = 0; printf("%s %d\\n", hidden[i], access(hidden[i], F_OK) ? errno : 0); }
                  return 0;
                }
                """;
        ExecutionResult r = Fixture.EXECUTOR.execute(new ExecutionRequest(
                "c",
                "*",
                List.of(SourceFile.utf8(null, program)),
                Map.of(),
                null,
                limits,
                List.of(new RunInput("", concat(bits, streamed)))));
        assertNull(r.compileFailed() ? r.compile().toString() : null, "compiles");
        StageResult run = r.runs().getFirst();
        assertEquals(
                "bit pages 2048, streamed " + (total >> 20) + " MiB\n"
                        + "/usr/share/doc/libc6/copyright 2\n/usr/share/doc 2\n/usr/sbin 2\n/usr/local/bin 2\n",
                run.stdout(),
                run.toString());
        for (String f : List.of("/usr/share/doc/libc6/copyright", "/usr/sbin", "/usr/local/bin")) {
            assertTrue(Files.exists(Path.of(f)), "the host has " + f + ", which a box must not see");
        }
        for (String f : concat(bits, streamed)) {
            long pages = (Files.size(Path.of(f)) + 4095) / 4096 * 4096;
            assertEquals(pages, cachedBytes(f), f + " is still all resident");
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    /** How many bytes of {@code file} the page cache holds (whole pages), by util-linux's fincore. */
    private static long cachedBytes(String file) throws Exception {
        Process p = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "RES", file).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.waitFor(), out);
        return Long.parseLong(out);
    }

    @Test
    void everyRunStartsWithAWorkDirectoryNoEarlierRunTouched() {
        // Tests of one submission run one after another in one box: an early test must not be
        // able to keep its input for a later one, nor change the compiled program it runs.
        String program = """
                #include <stdio.h>
                #include <dirent.h>
                #include <string.h>
                int main(int argc, char** argv) {
                  char input[64] = {0};
                  fgets(input, sizeof input, stdin);
                  if (argc > 1) {
                    FILE* f = fopen("/box/kept-input", "w"); fputs(input, f); fclose(f);
                    FILE* self = fopen("/box/a.out", "w"); printf("planted, program writable: %d\\n", self != NULL);
                    return 0;
                  }
                  DIR* d = opendir("/box"); struct dirent* e;
                  while ((e = readdir(d))) if (e->d_name[0] != '.') printf("%s ", e->d_name);
                  printf("\\n");
                  return 0;
                }
                """;
        ExecutionResult r = Fixture.EXECUTOR.execute(new ExecutionRequest(
                "c",
                "*",
                List.of(SourceFile.utf8("main.c", program)),
                Map.of(),
                null,
                SHORT,
                List.of(new RunInput("hidden input", List.of("plant")), new RunInput("", List.of()))));
        assertEquals(
                "planted, program writable: 0\n",
                r.runs().get(0).stdout(),
                r.runs().get(0).stderr());
        assertEquals("a.out main.c \n", sorted(r.runs().get(1).stdout()), "only the program, in a fresh directory");
    }

    /** The words of a line in order, for a directory listing in any order. */
    private static String sorted(String line) {
        return java.util.Arrays.stream(line.trim().split(" "))
                        .sorted()
                        .collect(java.util.stream.Collectors.joining(" "))
                + " \n";
    }

    @Test
    void hostWideCountersCarryNothingBetweenRuns() {
        // A run on a hidden test can move a host-wide counter (AIO contexts, ptys, open files)
        // for a concurrent run of its author to read: none is readable, AIO is not there, and a
        // run has a few ptys of its own, not the host's thousands.
        StageResult r = run("c", """
                #define _GNU_SOURCE
                #include <errno.h>
                #include <fcntl.h>
                #include <stdio.h>
                #include <stdlib.h>
                #include <sys/syscall.h>
                #include <unistd.h>
                int main(void) {
                  unsigned long ctx = 0;
                  long rc = syscall(SYS_io_setup, 8, &ctx); printf("io_setup %ld %d\\n", rc, errno);
                  const char* counters[] = {"/proc/sys/fs/aio-nr", "/proc/sys/kernel/pty/nr", "/proc/sys/fs/file-nr",
                                            "/proc/sys/fs/inode-nr", "/proc/sys/fs/dentry-state"};
                  for (int i = 0; i < 5; i++) {
                    char buf[64]; int fd = open(counters[i], O_RDONLY);
                    printf("%s %ld\\n", counters[i], fd < 0 ? -1L : (long) read(fd, buf, sizeof buf));
                  }
                  int ptys = 0;
                  for (int i = 0; i < 64; i++) if (posix_openpt(O_RDWR | O_NOCTTY) >= 0) ptys++;
                  printf("ptys %d\\n", ptys);
                  return 0;
                }
                """);
        assertEquals("""
                io_setup -1 38
                /proc/sys/fs/aio-nr 0
                /proc/sys/kernel/pty/nr 0
                /proc/sys/fs/file-nr 0
                /proc/sys/fs/inode-nr 0
                /proc/sys/fs/dentry-state 0
                ptys 16
                """, r.stdout(), r.toString());
    }

    @Test
    void includingDevUrandomIsStoppedAtCompileTime() {
        ExecutionResult r = compileOnly("c++", "#include </dev/urandom>\nint main(){}");
        assertNotNull(r.compile().status());
        assertTrue(r.runs().isEmpty());
    }

    @Test
    void aTemplateBombIsStoppedAtCompileTime() {
        ExecutionResult r = compileOnly("c++", """
                template<int N> struct F { static const long v = F<N-1>::v + F<N-2>::v; };
                template<> struct F<0> { static const long v = 0; };
                template<> struct F<1> { static const long v = 1; };
                #define A(x) x x x x x x x x
                int main() { return F<100000>::v > 0; }
                """);
        assertNotNull(r.compile().status(), r.compile().toString());
    }

    @Test
    void hugeCompilerOutputIsCut() {
        ExecutionResult r = compileOnly("c++", "int main() {\n" + "undefined_name_here();\n".repeat(20000) + "}\n");
        assertNotNull(r.compile().status());
        assertTrue(r.compile().stderr().length() <= 64 * 1024, "compiler output capped");
    }

    private static ExecutionResult compileOnly(String language, String source) {
        return Fixture.EXECUTOR.execute(new ExecutionRequest(
                language,
                "*",
                List.of(SourceFile.utf8(null, source)),
                Map.of(),
                new LimitRequest(Duration.ofSeconds(2), Duration.ofSeconds(3), null, null),
                SHORT,
                List.of(new RunInput("", List.of()))));
    }
}
