package io.codingengine.worker.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.Isolation;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks on an interactive problem's judging, verdicts included, through the real executor of a
 * worker that has a slot kept for the interactive lane ({@code interactive-slots}) besides its
 * judging slots, so that slots, kept slots and their companions all take part: a submission that
 * hunts for the validator (its files, FIFOs and sockets beyond the two pipes, shared memory, its
 * processes) and would be accepted by what it found, a validator that never exits, a submission
 * that never reads, and an interactive-lane judging, which takes the kept slot and that slot's
 * companion. After each: no process of any of the sandbox's uids is alive, no FIFO is left.
 */
class InteractionAttackTest {

    /** Two judging slots and one kept slot: uids 62400 to 62402, their companions 62403 to 62405. */
    private static final int UID_BASE = 62400;

    private static final int SLOTS = 3;
    private static final String CGROUP = "coding-engine-interaction-attack-test";
    private static final Path DATA_DIR = tempDir();
    private static final SandboxedExecutor EXECUTOR = SandboxedExecutor.start(
            SandboxConfig.defaults()
                    .withDataDir(DATA_DIR)
                    .withSlots(SLOTS)
                    .withInteractiveSlots(1)
                    .withUidBase(UID_BASE)
                    .withCgroupName(CGROUP),
            ExecutorConfig.judging());
    private static final Judge JUDGE = new Judge(EXECUTOR, Clock.systemUTC(), "attack-worker");
    /** As the worker judges what comes on the interactive lane. */
    private static final Judge LANE_JUDGE = new Judge(EXECUTOR.interactive(), Clock.systemUTC(), "attack-worker");

    /**
     * Guess the input's number in 10. Before the game it opens every channel it can besides its
     * two pipes (a listening abstract and TCP socket, SysV shared memory, files and a FIFO of its
     * own in /tmp and /dev/shm, the secret in each), says what it made, and sends "ready". Lines
     * the submission writes that begin with {@code #} are logged to the judge message, not guesses.
     */
    private static final CheckerSpec.Custom GUESS =
            CheckerSpec.Custom.of("python", "validate.py", """
            import ctypes, os, socket, sys
            secret = open(sys.argv[1]).read().strip()
            log = open(sys.argv[3] + "judgemessage.txt", "a")
            made, keep = [], []
            try:
                a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                a.bind("\\0ce-attack-validator")
                a.listen(1)
                keep.append(a); made.append("abstract")
            except OSError as e:
                log.write("abstract: %s\\n" % e)
            try:
                t = socket.socket()
                t.bind(("127.0.0.1", 40919))
                t.listen(1)
                keep.append(t); made.append("tcp")
            except OSError as e:
                log.write("tcp: %s\\n" % e)
            libc = ctypes.CDLL(None, use_errno=True)
            libc.shmat.restype = ctypes.c_void_p
            shm = libc.shmget(0xCE19, 4096, 0o1666)
            if shm >= 0:
                at = libc.shmat(shm, None, 0)
                if at not in (None, ctypes.c_void_p(-1).value):
                    ctypes.memmove(at, secret.encode(), len(secret))
                    made.append("sysv")
            for path in ["/tmp/ce-secret", "/dev/shm/ce-secret"]:
                try:
                    with open(path, "w") as f:
                        f.write(secret)
                    os.chmod(path, 0o666)
                    made.append(path)
                except OSError as e:
                    log.write("%s: %s\\n" % (path, e))
            try:
                os.mkfifo("/tmp/ce-fifo", 0o666)
                made.append("fifo")
            except OSError as e:
                log.write("fifo: %s\\n" % e)
            log.write("made %s uid %d\\n" % (" ".join(made), os.getuid()))
            log.flush()
            print("ready", flush=True)
            guesses = 0
            while guesses < 10:
                line = sys.stdin.readline()
                if not line:
                    log.write("no guess\\n")
                    sys.exit(43)
                if line.startswith("#"):
                    log.write(line)
                    log.flush()
                    continue
                guesses += 1
                g = line.strip()
                log.write("guess %d is %s\\n" % (guesses, g))
                if g == secret:
                    print("correct", flush=True)
                    sys.exit(42)
                print("lower" if int(g) > int(secret) else "higher", flush=True)
            sys.exit(43)
            """).judging(true, 1);

    private static final List<TestCase> SECRET_777 = List.of(new TestCase("secret/1", "777\n", "", false));

    /**
     * Looks everywhere it can for the validator and for the secret, reports each finding as a
     * {@code #} line, and guesses the secret if it found it (an accepted submission would be a
     * leak), else 1.
     */
    private static final String HUNTER = """
            import ctypes, os, socket, stat, sys
            def report(text):
                print("#" + text, flush=True)
            sys.stdin.readline()  # ready: the validator's channels exist now
            report("uid %d" % os.getuid())
            found, leak = [], None
            try:
                c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                c.connect("\\0ce-attack-validator")
                found.append("abstract")
            except OSError as e:
                report("abstract refused: %s" % e.strerror)
            try:
                socket.create_connection(("127.0.0.1", 40919), timeout=1)
                found.append("tcp")
            except OSError as e:
                report("tcp refused: %s" % (e.strerror or e))
            libc = ctypes.CDLL(None, use_errno=True)
            libc.shmat.restype = ctypes.c_void_p
            shm = libc.shmget(0xCE19, 0, 0)
            if shm >= 0:
                found.append("sysv")
                at = libc.shmat(shm, None, 0)
                if at not in (None, ctypes.c_void_p(-1).value):
                    leak = ctypes.string_at(at, 3).decode()
            else:
                report("sysv refused: errno %d" % ctypes.get_errno())
            for path in ["/tmp/ce-secret", "/dev/shm/ce-secret", "/tmp/ce-fifo", "/box/judge/answer", "/box/judge/input",
                         "/box/validate.py"]:
                if os.path.lexists(path):
                    found.append(path)
                    try:
                        leak = open(path).read().strip() or leak
                    except OSError:
                        pass
            specials = []
            for root, dirs, files in os.walk("/"):
                if root == "/":
                    dirs[:] = [d for d in dirs if d not in ("proc", "sys", "usr")]
                for name in dirs + files:
                    path = os.path.join(root, name)
                    try:
                        mode = os.lstat(path).st_mode
                    except OSError:
                        continue
                    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
                        specials.append(path)
                        try:
                            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
                            found.append("opened " + path)
                        except OSError:
                            pass
            report("specials %s" % sorted(specials))
            pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
            report("pids %s" % pids)
            others = []
            for pid in range(1, 5000):
                if pid in pids:
                    continue
                try:
                    os.kill(pid, 0)
                    others.append(pid)
                except ProcessLookupError:
                    pass
                except PermissionError:
                    others.append(pid)
            report("others %s" % others)
            report("found %s" % found)
            print(leak if leak and leak.isdigit() else 1, flush=True)
            sys.stdin.readline()
            """;

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("ce-interaction-attack-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Judge.Judged judge(
            Judge judge, String language, String source, List<TestCase> tests, CheckerSpec checker, Duration time) {
        Submission s = new Submission(
                "sub-attack",
                "guess",
                null,
                "mallory",
                language,
                "*",
                List.of(SourceFile.utf8(null, source)),
                List.of(),
                null,
                Instant.now());
        return judge.judge(s, tests, checker, new Judge.TestLimits(time, 128L << 20), 0, 1);
    }

    @AfterEach
    void nothingIsLeftBehind() throws IOException {
        assertEquals(List.of(), sandboxProcesses(), "processes of the sandbox's uids (slots and companions) alive");
        try (Stream<Path> left = Files.list(DATA_DIR.resolve("pipes"))) {
            assertEquals(List.of(), left.toList(), "an interaction's FIFOs were left");
        }
        assertEquals(List.of(), runCgroups(), "run cgroups were left");
    }

    @Test
    void aSubmissionHuntingTheValidatorFindsNothingAndGetsAWrongAnswer() {
        Judge.Judged judged = judge(JUDGE, "python", HUNTER, SECRET_777, GUESS, Duration.ofSeconds(4));
        Judgement j = judged.judgement();
        String log = j.tests().getFirst().judgeMessage();
        assertEquals(Verdict.WA, j.verdict(), "it found the secret somewhere: " + log);
        assertTrue(log.contains("#found []"), "it reached the validator: " + log);
        assertTrue(log.contains("#specials []"), "a FIFO or socket was in its reach: " + log);
        assertTrue(log.contains("#others []"), "a process beyond its own box was visible: " + log);
        assertTrue(log.contains("#pids [1, 2]"), "only its box's init and itself: " + log);
        assertTrue(log.contains("guess 1 is 1\n"), log);
        // What the validator made, which the submission could not reach: under namespaces every
        // channel (under process isolation the sandbox allows it no sockets at all).
        String made = EXECUTOR.sandbox().isolation().level() == Isolation.Level.NAMESPACES
                ? "made abstract tcp sysv /tmp/ce-secret /dev/shm/ce-secret fifo uid "
                : "/tmp/ce-secret /dev/shm/ce-secret fifo uid ";
        assertTrue(log.contains(made), log);
        for (String tried : List.of("#abstract refused: ", "#tcp refused: ", "#sysv refused: ")) {
            assertTrue(log.contains(tried), "it tried each channel: " + log);
        }
        String submissionUid = log.replaceAll("(?s).*#uid (\\d+).*", "$1");
        String validatorUid = log.replaceAll("(?s).*made [^\\n]* uid (\\d+).*", "$1");
        int slot = Integer.parseInt(submissionUid) - UID_BASE;
        assertTrue(slot >= 0 && slot < SLOTS - 1, "a judging takes a judging slot: " + submissionUid);
        assertEquals(
                UID_BASE + SLOTS + slot, Integer.parseInt(validatorUid), "the validator runs as its slot's companion");
    }

    @Test
    void anInteractiveLaneJudgingTakesTheKeptSlotAndItsCompanion() {
        Judge.Judged judged = judge(LANE_JUDGE, "python", HUNTER, SECRET_777, GUESS, Duration.ofSeconds(4));
        String log = judged.judgement().tests().getFirst().judgeMessage();
        assertEquals(Verdict.WA, judged.judgement().verdict(), log);
        assertTrue(log.contains("#found []"), log);
        int kept = SLOTS - 1;
        assertTrue(
                judged.execution().session().endsWith("/slot-" + kept),
                judged.execution().session());
        assertTrue(log.contains("#uid " + (UID_BASE + kept) + "\n"), log);
        assertTrue(log.contains(" uid " + (UID_BASE + SLOTS + kept) + "\n"), "the kept slot's companion: " + log);
    }

    @Test
    void aValidatorThatNeverExitsIsTheJudgesErrorWithinItsWallLimit() {
        CheckerSpec.Custom stuck =
                CheckerSpec.Custom.of("python", "validate.py", """
                import sys, time
                sys.stdin.readline()
                print("correct", flush=True)
                while True:
                    time.sleep(1)
                """).judging(true, 1);
        long started = System.nanoTime();
        // A visible test, so that the participant's message is kept in the judgement.
        Judgement j = judge(
                        JUDGE,
                        "python",
                        "print(500, flush=True)\ninput()",
                        List.of(new TestCase("sample/1", "777\n", "", true)),
                        stuck,
                        Duration.ofSeconds(1))
                .judgement();
        long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertEquals(Verdict.IE, j.verdict(), j.toString());
        assertEquals("the checker failed", j.tests().getFirst().message());
        String why = j.tests().getFirst().judgeMessage();
        assertTrue(why.contains("the validator did not exit normally: TO"), why);
        assertTrue(why.contains("after the submission; the submission exited with 0"), why);
        long wall = InteractionJudging.VALIDATOR_LIMITS.wallTime().toMillis();
        assertTrue(ms < wall + 15_000, "the judging took " + ms + " ms, its validator's wall limit is " + wall + " ms");
    }

    @Test
    void aSubmissionThatNeverReadsExceedsItsTimeLimit() {
        // It guesses once and never reads the answer: its wall limit ends it, first; the
        // validator, blocked on its next guess, then reads the end and rejects.
        Judgement sleeper = judge(
                        JUDGE,
                        "python",
                        "import time\nprint(1, flush=True)\ntime.sleep(100)",
                        SECRET_777,
                        GUESS,
                        Duration.ofSeconds(1))
                .judgement();
        assertEquals(Verdict.TLE, sleeper.verdict(), sleeper.toString());
        assertTrue(
                sleeper.tests().getFirst().judgeMessage().contains("the submission ended first"),
                sleeper.tests().getFirst().judgeMessage());
        // One that never reads and floods the validator with guesses: the validator decides (43
        // after ten wrong guesses), and the flood is stopped rather than run to its limit.
        Judgement flooder =
                judge(JUDGE, "c", """
                #include <stdio.h>
                int main(void) { for (;;) puts("1"); }
                """, SECRET_777, GUESS, Duration.ofSeconds(1)).judgement();
        assertEquals(Verdict.WA, flooder.verdict(), flooder.toString());
        assertFalse(
                flooder.tests().getFirst().judgeMessage().contains("the submission ended first"),
                flooder.tests().getFirst().judgeMessage());
    }

    /**
     * The groups left under the sandbox's own group ({@link #CGROUP}, below this JVM's group in
     * every hierarchy), but for a warm compiler's service group while its process lives: each
     * run's group is removed when the run is over.
     */
    private static List<Path> runCgroups() throws IOException {
        List<Path> left = new java.util.ArrayList<>();
        String v2 = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ", 2);
            if (halves.length == 2 && halves[1].startsWith("cgroup2 ")) {
                v2 = halves[0].split(" ")[4];
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = line.split(":", 3);
            Path group = f[1].isEmpty()
                    ? (v2 == null ? null : Path.of(v2, f[2], CGROUP))
                    : Path.of("/sys/fs/cgroup", f[1].split(",")[0], f[2], CGROUP);
            if (group == null || !Files.isDirectory(group)) {
                continue;
            }
            try (Stream<Path> children = Files.list(group)) {
                for (Path child : children.filter(Files::isDirectory).toList()) {
                    boolean service = child.getFileName().toString().contains("-service-")
                            && !Files.readString(child.resolve("cgroup.procs")).isBlank();
                    if (!service) {
                        left.add(child);
                    }
                }
            }
        }
        return left;
    }

    /** Processes whose real uid is one of the sandbox's: its slots' and their companions'. */
    private static List<String> sandboxProcesses() throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        try {
                            for (String line : Files.readAllLines(p.resolve("status"))) {
                                if (line.startsWith("Uid:")) {
                                    int uid = Integer.parseInt(line.split("\\s+")[1]);
                                    return uid >= UID_BASE && uid < UID_BASE + 2 * SLOTS;
                                }
                            }
                        } catch (IOException | RuntimeException e) {
                            return false; // exited meanwhile
                        }
                        return false;
                    })
                    .map(p -> p.getFileName().toString())
                    .toList();
        }
    }
}
