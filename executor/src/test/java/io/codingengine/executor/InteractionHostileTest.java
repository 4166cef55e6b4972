package io.codingengine.executor;

import static io.codingengine.executor.InteractionTest.GUESS_VALIDATOR;
import static io.codingengine.executor.InteractionTest.test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.InteractionResult;
import io.codingengine.common.execution.InteractionResult.Side;
import io.codingengine.common.execution.StageStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile submissions (and validators: a submitter may bring their own to inline tests) on either
 * side of an interaction. Each asserts what both sides' runs say, that the call came back in
 * bounded time, and then that the host is unharmed: no process of a sandbox uid (slots and
 * companions) alive, no run cgroup or FIFO left, a host file untouched, the engine serving.
 */
class InteractionHostileTest {

    /** A validator that reads everything the submission writes, then accepts. */
    private static final String DRAINING_VALIDATOR = """
            import sys
            n = 0
            while True:
                chunk = sys.stdin.buffer.read1(1 << 16)
                if not chunk:
                    break
                n += len(chunk)
            open(sys.argv[3] + "judgemessage.txt", "w").write("read %d bytes" % n)
            sys.exit(42)
            """;

    /** A validator that waits for one line, then rejects when there is none and accepts otherwise. */
    private static final String ONE_LINE_VALIDATOR = """
            import sys
            sys.exit(42 if sys.stdin.readline() else 43)
            """;

    @BeforeAll
    static void plant() {
        HostCheck.plantCanary();
    }

    @AfterEach
    void hostUnharmed() throws IOException {
        HostCheck.assertHostUnharmed();
        try (Stream<java.nio.file.Path> left = Files.list(Fixture.DATA_DIR.resolve("pipes"))) {
            assertEquals(List.of(), left.toList(), "an interaction's FIFOs were left");
        }
    }

    private static InteractionResult.Pass pass(String language, String source, String validator, long maxMillis) {
        long started = System.nanoTime();
        InteractionResult r = InteractionTest.interact(language, source, validator, true, 1, List.of(test("500")));
        long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(
                r.compile() == null || r.compile().succeeded(),
                () -> r.compile().output());
        assertTrue(took < maxMillis, "came back in " + took + " ms, not within " + maxMillis);
        return r.tests().getFirst().passes().getFirst();
    }

    @Test
    void aSubmissionFloodingThePipeIsStoppedWhenTheValidatorRejects() {
        InteractionResult.Pass p = pass("c", """
                #include <stdio.h>
                int main(void) { for (;;) fputs("1000000000\\n", stdout); }
                """, "import sys\nsys.stdin.readline()\nsys.exit(43)", 6000);
        assertEquals(43, p.validator().code());
        // Stopped, or ended by SIGPIPE: the validator's end closed the pipe it was writing to. Its
        // SIGPIPE death and the validator's exit come together, and a busy machine may report
        // either first (the judging reads a SIGPIPE as a normal end: the validator decides).
        boolean sigpipe = "SIGPIPE".equals(p.submission().signal());
        assertTrue(p.submissionStopped() || sigpipe, p.submission().toString());
        assertTrue(p.firstEnded() == Side.VALIDATOR || sigpipe, p.firstEnded() + ": " + p.submission());
        assertTrue(
                p.transcript().stream().mapToInt(m -> m.text().length()).sum() <= 4096,
                "the flood was recorded up to the limit only");
    }

    @Test
    void aSubmissionFloodingTheValidatorIsCutOffAtItsOutputLimit() {
        // The validator reads all it gets: the flood ends at the submission's output limit, where the
        // validator gets the end of its input (never more than that limit to hold or parse) and the
        // submission's next write fails.
        InteractionResult.Pass p = pass("c", """
                #include <stdio.h>
                int main(void) { for (;;) fputs("1000000000\\n", stdout); }
                """, DRAINING_VALIDATOR, 12000);
        assertEquals(StageStatus.OL, p.submission().status(), p.submission().toString());
        assertTrue(
                p.submission().message().contains("written to the validator"),
                p.submission().toString());
        assertEquals(42, p.validator().code(), p.validator().toString());
    }

    @Test
    void aSubmissionWritingToAValidatorThatLeftGetsSigpipe() {
        InteractionResult.Pass p = pass("c", """
                #include <stdio.h>
                #include <unistd.h>
                int main(void) { for (;;) { puts("1"); fflush(stdout); usleep(1000); } }
                """, ONE_LINE_VALIDATOR, 6000);
        assertEquals(42, p.validator().code());
        assertEquals(Side.VALIDATOR, p.firstEnded());
        assertEquals("SIGPIPE", p.submission().signal(), p.submission().toString());
        assertFalse(p.submissionStopped(), "an accepting validator does not stop the submission");
    }

    @Test
    void aSubmissionThatNeverReadsWhileTheValidatorWritesMegabytes() {
        // The validator fills the pipe and blocks; the submission sleeps: its wall limit ends it,
        // and the validator, whose writes are then dropped, reads EOF and rejects.
        InteractionResult.Pass p = pass("python", "import time\ntime.sleep(100)", """
                import sys
                for _ in range(1000):
                    sys.stdout.write("x" * 1024 + "\\n")
                sys.stdout.flush()
                sys.exit(42 if sys.stdin.readline() else 43)
                """, 12000);
        assertEquals(StageStatus.TO, p.submission().status());
        assertEquals(43, p.validator().code(), p.validator().toString());
        assertEquals(Side.SUBMISSION, p.firstEnded());
    }

    @Test
    void bothSidesWaitingForEachOtherEndAtTheSubmissionsWallLimit() {
        InteractionResult.Pass p = pass("python", "input()", ONE_LINE_VALIDATOR, 12000);
        assertEquals(StageStatus.TO, p.submission().status());
        assertEquals("Time limit exceeded (wall clock)", p.submission().message());
        assertEquals(43, p.validator().code());
        assertEquals(Side.SUBMISSION, p.firstEnded());
    }

    @Test
    void aSubmissionThatClosesItsStdinEarly() {
        InteractionResult.Pass p = pass("c", """
                #include <stdio.h>
                #include <unistd.h>
                int main(void) { close(0); printf("500\\n"); return 0; }
                """, GUESS_VALIDATOR, 6000);
        assertNull(p.submission().status(), p.submission().toString());
        assertEquals(
                42, p.validator().code(), "the validator answered into a closed pipe and found 500: " + p.validator());
    }

    @Test
    void aForkBombOnTheSubmissionsSideDoesNotReachTheValidator() {
        InteractionResult.Pass p = pass("c", """
                #include <unistd.h>
                int main(void) { for (;;) fork(); }
                """, DRAINING_VALIDATOR, 12000);
        assertEquals(StageStatus.TO, p.submission().status());
        assertEquals(42, p.validator().code(), p.validator().toString());
        assertTrue(p.validator().cpuTimeMs() < 1000, "the validator's cgroup is its own: " + p.validator());
    }

    @Test
    void aMemoryBombOnTheSubmissionsSideDoesNotReachTheValidator() {
        InteractionResult.Pass p = pass("c", """
                #include <stdlib.h>
                #include <string.h>
                int main(void) { for (;;) { char *b = malloc(1 << 20); memset(b, 1, 1 << 20); } }
                """, DRAINING_VALIDATOR, 12000);
        assertEquals(StageStatus.ML, p.submission().status(), p.submission().toString());
        assertEquals(42, p.validator().code(), p.validator().toString());
        assertTrue(p.validator().memoryBytes() < 128L << 20, "the validator's memory is its own: " + p.validator());
    }

    @Test
    void aForkBombingValidatorIsHeldByItsOwnLimits() {
        InteractionResult.Pass p = pass("python", "print(1, flush=True)\ninput()", """
                import os
                while True:
                    try: os.fork()
                    except OSError: pass
                """, 15000);
        assertEquals(StageStatus.TO, p.validator().status(), p.validator().toString());
        assertEquals(StageStatus.TO, p.submission().status(), "the submission waited until its wall limit");
    }

    @Test
    void aValidatorThatNeverEndsIsHeldByItsWallLimit() {
        InteractionResult.Pass p = pass("python", "print(1)", "import time\ntime.sleep(100)", 15000);
        assertNull(p.submission().status());
        assertEquals(StageStatus.TO, p.validator().status());
        assertEquals(Side.SUBMISSION, p.firstEnded());
    }

    @Test
    void theSubmissionCannotReachTheValidatorsFilesProcessesOrPipes() {
        InteractionResult.Pass p = pass("python", """
                import os, sys
                report = []
                for path in ["/box/judge/answer", "/box/judge/input", "/box/judge/feedback", "/box/validator.py"]:
                    report.append("%s %s" % (path, os.path.exists(path)))
                report.append("pids %s" % sorted(int(x) for x in os.listdir("/proc") if x.isdigit()))
                report.append("uid %d" % os.getuid())
                for fd, mode in [(0, os.O_WRONLY), (1, os.O_RDONLY), (0, os.O_RDWR)]:
                    try:
                        os.close(os.open("/proc/self/fd/%d" % fd, mode | os.O_NONBLOCK))
                        report.append("reopened %d" % fd)
                    except OSError as e:
                        report.append("fd %d: %s" % (fd, e.strerror))
                try:
                    os.kill(-1, 9)
                except OSError as e:
                    report.append("kill: %s" % e.strerror)
                sys.stderr.write("\\n".join(report) + "\\n")
                print("done", flush=True)
                """, """
                import os, sys
                line = sys.stdin.readline()
                open(sys.argv[3] + "judgemessage.txt", "w").write("uid %d, answer readable %s" % (os.getuid(),
                        os.access(sys.argv[2], os.R_OK)))
                sys.exit(42 if line == "done\\n" else 43)
                """, 6000);
        String report = p.submission().stderr();
        for (String path :
                List.of("/box/judge/answer", "/box/judge/input", "/box/judge/feedback", "/box/validator.py")) {
            assertTrue(report.contains(path + " False"), report);
        }
        assertTrue(report.contains("pids [1, 2]"), "only its own box init and itself: " + report);
        assertTrue(
                report.contains("uid " + Fixture.UID_BASE) || report.contains("uid " + (Fixture.UID_BASE + 1)), report);
        assertTrue(
                report.contains("fd 0: Permission denied") && report.contains("fd 1: Permission denied"),
                "the FIFOs cannot be opened again through /proc: " + report);
        assertEquals(42, p.validator().code(), "the validator lived on: " + p.validator());
    }
}
