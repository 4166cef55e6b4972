package io.codingengine.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.InteractionRequest;
import io.codingengine.common.execution.InteractionResult;
import io.codingengine.common.execution.InteractionResult.Side;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.Program;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Interactions and multi-pass runs through the real executor: a submission and an output
 * validator in two boxes, talking through two pipes, or one after the other; which side ended
 * first; the validator's feedback directory kept across passes; the transcript.
 */
class InteractionTest {

    static final LimitRequest SUBMISSION =
            new LimitRequest(Duration.ofSeconds(2), Duration.ofSeconds(4), null, null, true);
    static final LimitRequest VALIDATOR =
            new LimitRequest(Duration.ofSeconds(5), Duration.ofSeconds(8), null, null, true);

    /** A guessing game's validator: the secret number is the input; 42 for a right guess within 10. */
    static final String GUESS_VALIDATOR = """
            import sys
            secret = int(open(sys.argv[1]).read())
            log = open(sys.argv[3] + "judgemessage.txt", "a")
            for guess in range(1, 11):
                line = sys.stdin.readline()
                if not line:
                    log.write("no guess %d\\n" % guess)
                    sys.exit(43)
                g = int(line)
                log.write("guess %d is %d\\n" % (guess, g))
                if g == secret:
                    print("correct", flush=True)
                    open(sys.argv[3] + "teammessage.txt", "w").write("found in %d" % guess)
                    sys.exit(42)
                print("lower" if g > secret else "higher", flush=True)
            sys.exit(43)
            """;

    static final String BINARY_SEARCH = """
            #include <stdio.h>
            #include <string.h>
            int main(void) {
                int lo = 1, hi = 1000;
                char answer[32];
                for (;;) {
                    int m = (lo + hi) / 2;
                    printf("%d\\n", m);
                    fflush(stdout);
                    if (scanf("%31s", answer) != 1 || !strcmp(answer, "correct")) return 0;
                    if (!strcmp(answer, "lower")) hi = m - 1; else lo = m + 1;
                }
            }
            """;

    static InteractionResult interact(
            String language,
            String source,
            String validator,
            boolean interactive,
            int passes,
            List<InteractionRequest.Test> tests) {
        return Fixture.EXECUTOR.interact(request(language, source, validator, interactive, passes, tests));
    }

    static InteractionRequest request(
            String language,
            String source,
            String validator,
            boolean interactive,
            int passes,
            List<InteractionRequest.Test> tests) {
        return request(language, source, validator, interactive, passes, tests, SUBMISSION, VALIDATOR);
    }

    static InteractionRequest request(
            String language,
            String source,
            String validator,
            boolean interactive,
            int passes,
            List<InteractionRequest.Test> tests,
            LimitRequest submission,
            LimitRequest validating) {
        return new InteractionRequest(
                new Program(language, "*", List.of(SourceFile.utf8(null, source)), Map.of(), null, submission),
                new Program(
                        "python", "*", List.of(SourceFile.utf8("validator.py", validator)), Map.of(), null, validating),
                interactive,
                passes,
                tests,
                4096,
                true);
    }

    static InteractionRequest.Test test(String input) {
        return new InteractionRequest.Test(input, "", List.of());
    }

    static String dialogue(InteractionResult.Pass pass) {
        return pass.transcript().stream()
                .flatMap(m -> m.text().lines().map(l -> (m.from() == Side.SUBMISSION ? ">" : "<") + l))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void aGuessingGameIsPlayedThroughTwoPipes() {
        InteractionResult r =
                interact("c", BINARY_SEARCH, GUESS_VALIDATOR, true, 1, List.of(test("500"), test("1"), test("777")));
        assertTrue(r.compile().succeeded(), "C compiles, and its compile is reported");
        assertEquals(3, r.tests().size());
        for (InteractionResult.Test t : r.tests()) {
            InteractionResult.Pass pass = t.passes().getFirst();
            assertEquals(1, t.passes().size());
            assertEquals(42, pass.validator().code(), pass.validator().toString());
            assertNull(pass.submission().status(), pass.submission().toString());
            assertEquals("", pass.submission().stdout(), "an interactive submission's stdout went to the validator");
            assertFalse(pass.submissionStopped());
            assertTrue(t.teamMessage().startsWith("found in "), t.teamMessage());
            assertTrue(t.judgeMessage().startsWith("guess 1 is 500\n"), t.judgeMessage());
        }
        assertEquals(">500\n<correct", dialogue(r.tests().getFirst().passes().getFirst()));
        assertTrue(
                dialogue(r.tests().get(2).passes().getFirst())
                        .startsWith(">500\n<higher\n>750\n<higher\n>875\n<lower\n"),
                dialogue(r.tests().get(2).passes().getFirst()));
    }

    @Test
    void aSubmissionThatEndsEarlyIsSeenToEndFirst() {
        // It guesses once and leaves: the validator reads EOF afterwards and rejects.
        InteractionResult r = interact("python", "print(1)", GUESS_VALIDATOR, true, 1, List.of(test("500")));
        InteractionResult.Pass pass = r.tests().getFirst().passes().getFirst();
        assertNull(pass.submission().status());
        assertEquals(43, pass.validator().code());
        assertEquals(
                Side.SUBMISSION,
                pass.firstEnded(),
                "the validator saw EOF only after the submission's end was stamped");
        assertTrue(
                r.tests().getFirst().judgeMessage().contains("no guess 2"),
                r.tests().getFirst().judgeMessage());
    }

    @Test
    void aSubmissionThatCrashesFirstIsSeenToCrashFirst() {
        InteractionResult r =
                interact("c", "int main(void) { return 3; }", GUESS_VALIDATOR, true, 1, List.of(test("500")));
        InteractionResult.Pass pass = r.tests().getFirst().passes().getFirst();
        assertEquals(StageStatus.RE, pass.submission().status());
        assertEquals(3, pass.submission().code());
        assertEquals(43, pass.validator().code());
        assertEquals(Side.SUBMISSION, pass.firstEnded());
    }

    @Test
    void aRejectingValidatorStopsASubmissionThatWouldRunOn() {
        // The validator rejects the first guess; the submission then spins: it is stopped, not run to its limit.
        long started = System.nanoTime();
        InteractionResult r = interact("c", """
                #include <stdio.h>
                int main(void) { printf("-1\\n"); fflush(stdout); for (;;); }
                """, """
                import sys
                sys.stdin.readline()
                sys.exit(43)
                """, true, 1, List.of(test("500")));
        InteractionResult.Pass pass = r.tests().getFirst().passes().getFirst();
        assertEquals(43, pass.validator().code());
        assertEquals(Side.VALIDATOR, pass.firstEnded());
        assertTrue(pass.submissionStopped(), pass.submission().toString());
        assertEquals(StageStatus.SG, pass.submission().status());
        assertTrue(pass.submission().cpuTimeMs() < 1500, "stopped before its 2 s limit: " + pass.submission());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 3000);
    }

    @Test
    void anAcceptingValidatorLetsTheSubmissionRunToItsLimit() {
        // guess_tle_after_correct: the validator accepts; the submission closes stdout and spins: TLE is its own.
        InteractionResult r = interact("c", """
                #include <stdio.h>
                int main(void) { printf("500\\n"); fflush(stdout); char s[16]; scanf("%15s", s); fclose(stdout); for (;;); }
                """, GUESS_VALIDATOR, true, 1, List.of(test("500")));
        InteractionResult.Pass pass = r.tests().getFirst().passes().getFirst();
        assertEquals(42, pass.validator().code());
        assertEquals(Side.VALIDATOR, pass.firstEnded());
        assertFalse(pass.submissionStopped());
        assertEquals(
                StageStatus.TO, pass.submission().status(), pass.submission().toString());
    }

    @Test
    void theSubmissionsTimeLimitIsItsOwnCpuTime() {
        // The validator burns 2.5 s of CPU before answering; the submission waits, using none. Both
        // have wall time to spare: on a busy machine the validator's 2.5 s of CPU take far longer.
        Duration spare = Duration.ofSeconds(40);
        InteractionResult r = Fixture.EXECUTOR.interact(request(
                "python",
                "print(1, flush=True)\ninput()",
                """
                import sys, time
                sys.stdin.readline()
                end = time.process_time() + 2.5
                while time.process_time() < end: pass
                print("done", flush=True)
                sys.exit(42)
                """,
                true,
                1,
                List.of(test("")),
                new LimitRequest(Duration.ofSeconds(2), spare, null, null, true),
                new LimitRequest(Duration.ofSeconds(5), spare, null, null, true)));
        InteractionResult.Pass pass = r.tests().getFirst().passes().getFirst();
        assertNull(
                pass.submission().status(),
                "2.5 s of the validator's CPU are not the submission's 2 s: " + pass.submission());
        assertTrue(pass.submission().cpuTimeMs() < 500, pass.submission().toString());
        assertTrue(pass.validator().cpuTimeMs() >= 2400, pass.validator().toString());
    }

    /** Counts passes in a file of the feedback directory, which must survive from pass to pass. */
    static final String COUNTING_VALIDATOR = """
            import os, sys
            fb = sys.argv[3]
            count = int(open(fb + "count").read()) + 1 if os.path.exists(fb + "count") else 1
            open(fb + "count", "w").write(str(count))
            got = sys.stdin.read().split()
            given = open(sys.argv[1]).read().split()
            with open(fb + "judgemessage.txt", "a") as log:
                log.write("pass %d: input %s, output %s\\n" % (count, given, got))
            if got != [str(int(given[0]) * 2)]:
                sys.exit(43)
            if count < int(open(sys.argv[2]).read()):
                open(fb + "nextpass.in", "w").write(str(int(got[0]) + 1))
            sys.exit(42)
            """;

    @Test
    void multiPassFeedsTheValidatorsNextInputAndKeepsItsFeedbackDirectory() {
        InteractionResult r = interact(
                "python",
                "print(int(input()) * 2)",
                COUNTING_VALIDATOR,
                false,
                5,
                List.of(new InteractionRequest.Test("3", "3", List.of())));
        InteractionResult.Test t = r.tests().getFirst();
        assertEquals(3, t.passes().size(), t.judgeMessage());
        assertEquals(
                "pass 1: input ['3'], output ['6']\npass 2: input ['7'], output ['14']\npass 3: input ['15'], output ['30']\n",
                t.judgeMessage());
        assertEquals(
                List.of(true, true, false),
                t.passes().stream().map(InteractionResult.Pass::nextPass).toList());
        assertEquals("30\n", t.passes().getLast().submission().stdout());
        t.passes().forEach(p -> assertEquals(42, p.validator().code()));
    }

    @Test
    void multiPassStopsAtThePassLimitWithTheLastPassAskingForMore() {
        InteractionResult r = interact(
                "python",
                "print(int(input()) * 2)",
                COUNTING_VALIDATOR,
                false,
                2,
                List.of(new InteractionRequest.Test("1", "9", List.of())));
        InteractionResult.Test t = r.tests().getFirst();
        assertEquals(2, t.passes().size());
        assertTrue(t.passes().getLast().nextPass(), "the caller sees that the validator asked for a third pass");
    }

    @Test
    void multiPassStopsWhenTheSubmissionFails() {
        InteractionResult r = interact(
                "python",
                "import sys\nn = int(input())\nprint(n * 2)\nsys.exit(1 if n > 5 else 0)",
                COUNTING_VALIDATOR,
                false,
                5,
                List.of(new InteractionRequest.Test("3", "9", List.of())));
        InteractionResult.Test t = r.tests().getFirst();
        assertEquals(2, t.passes().size());
        assertEquals(StageStatus.RE, t.passes().getLast().submission().status());
        assertNull(t.passes().getLast().validator(), "a submission that failed is not validated");
    }

    @Test
    void interactiveMultiPassRunsBothTogetherInEveryPass() {
        // Each pass: the validator sends its input, expects it doubled, and asks for another pass on the result.
        InteractionResult r =
                interact("python", "print(int(input()) * 2, flush=True)", """
                import os, sys
                fb = sys.argv[3]
                n = int(open(sys.argv[1]).read())
                print(n, flush=True)
                got = int(sys.stdin.readline())
                open(fb + "judgemessage.txt", "a").write("%d->%d " % (n, got))
                if got != 2 * n:
                    sys.exit(43)
                if got < 20:
                    open(fb + "nextpass.in", "w").write(str(got))
                sys.exit(42)
                """, true, 4, List.of(test("3")));
        InteractionResult.Test t = r.tests().getFirst();
        assertEquals(3, t.passes().size(), t.judgeMessage());
        assertEquals("3->6 6->12 12->24 ", t.judgeMessage());
        assertEquals("<12\n>24", dialogue(t.passes().getLast()));
    }

    @Test
    void theTranscriptIsCutAtItsLimit() {
        InteractionRequest flood = new InteractionRequest(
                new Program(
                        "python",
                        "*",
                        List.of(SourceFile.utf8(null, "import sys\nsys.stdout.write('x' * 100000)")),
                        Map.of(),
                        null,
                        SUBMISSION),
                new Program(
                        "python",
                        "*",
                        List.of(SourceFile.utf8("v.py", "import sys\nsys.stdin.read()\nsys.exit(42)")),
                        Map.of(),
                        null,
                        VALIDATOR),
                true,
                1,
                List.of(test("")),
                1000,
                true);
        InteractionResult.Pass pass =
                Fixture.EXECUTOR.interact(flood).tests().getFirst().passes().getFirst();
        assertEquals(42, pass.validator().code());
        assertTrue(pass.transcriptCut());
        assertEquals(
                1000,
                pass.transcript().stream().mapToInt(m -> m.text().length()).sum());
    }

    /**
     * A side's standard error past its output limit is cut short or ends its run as that side's
     * limits say ({@code cutStderr}), as an execution's does.
     */
    @Test
    void eachSidesStandardErrorPastItsOutputLimitIsAsItsLimitsSay() {
        String noisy =
                "import sys\nsys.stderr.write('e' * 100000)\nsys.stderr.flush()\nprint(500, flush=True)\ninput()";
        for (boolean cut : List.of(true, false)) {
            LimitRequest limits = new LimitRequest(Duration.ofSeconds(2), Duration.ofSeconds(4), null, 10_000L, cut);
            InteractionRequest request = new InteractionRequest(
                    new Program("python", "*", List.of(SourceFile.utf8(null, noisy)), Map.of(), null, limits),
                    new Program(
                            "python",
                            "*",
                            List.of(SourceFile.utf8("validator.py", GUESS_VALIDATOR)),
                            Map.of(),
                            null,
                            VALIDATOR),
                    true,
                    1,
                    List.of(test("500")),
                    4096,
                    true);
            InteractionResult.Pass pass = Fixture.EXECUTOR
                    .interact(request)
                    .tests()
                    .getFirst()
                    .passes()
                    .getFirst();
            if (cut) {
                assertNull(pass.submission().status(), "cut short, and it ran on: " + pass.submission());
                assertEquals(42, pass.validator().code(), pass.validator().toString());
            } else {
                // Ended for it; whether its guess got out before the end is a race the test leaves alone.
                assertEquals(
                        StageStatus.EL,
                        pass.submission().status(),
                        pass.submission().toString());
            }
        }
    }

    @Test
    void theValidatorsFilesAndCompileErrorsAreItsOwn() {
        InteractionResult broken = interact("python", "print(1)", "def broken(:", true, 1, List.of(test("")));
        assertNotNull(broken.validatorCompile());
        assertFalse(broken.validatorCompile().succeeded());
        assertEquals(List.of(), broken.tests());
        InteractionResult failing = interact("python", "print(1", GUESS_VALIDATOR, true, 1, List.of(test("")));
        assertTrue(failing.compileFailed(), "a submission's syntax error is its compile error");
        assertThrows(
                InvalidRequestException.class,
                () -> Fixture.EXECUTOR.interact(new InteractionRequest(
                        new Program(
                                "python", "*", List.of(SourceFile.utf8(null, "print(1)")), Map.of(), null, SUBMISSION),
                        new Program(
                                "python",
                                "*",
                                List.of(SourceFile.utf8("judge/v.py", "print(1)")),
                                Map.of(),
                                null,
                                VALIDATOR),
                        true,
                        1,
                        List.of(test("")),
                        0,
                        true)));
        assertThrows(
                InvalidRequestException.class,
                () -> interact("python", "print(1)", GUESS_VALIDATOR, true, 17, List.of(test(""))));
    }

    @Test
    void noPipeIsLeftBehind() throws IOException {
        interact("c", BINARY_SEARCH, GUESS_VALIDATOR, true, 1, List.of(test("42")));
        try (Stream<java.nio.file.Path> left = Files.list(Fixture.DATA_DIR.resolve("pipes"))) {
            assertEquals(List.of(), left.toList());
        }
    }
}
