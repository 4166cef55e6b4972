package io.codingengine.worker.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Interactive and multi-pass problems judged by the Kattis rules against the real executor: who
 * ended first and how, the validator's word, passes, and what of it participants and admins read.
 */
class InteractionJudgingTest {

    private static final SandboxedExecutor EXECUTOR = executor();
    private static final Judge JUDGE = new Judge(EXECUTOR, Clock.systemUTC(), "test-worker");

    /** Guess the input's number in 10; the judge message logs the guesses, the team message says how many. */
    private static final CheckerSpec.Custom GUESS =
            CheckerSpec.Custom.of("python", "validate.py", """
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
                if g < 1 or g > 1000:
                    sys.exit(43)
                if g == secret:
                    print("correct", flush=True)
                    open(sys.argv[3] + "teammessage.txt", "w").write("found in %d" % guess)
                    sys.exit(42)
                print("lower" if g > secret else "higher", flush=True)
            sys.exit(43)
            """).judging(true, 1);

    private static final List<TestCase> GUESS_TESTS = List.of(
            new TestCase("sample/1", "500\n", "", true),
            new TestCase("secret/1", "1\n", "", false),
            new TestCase("secret/2", "777\n", "", false));

    private static final String BINARY_SEARCH = """
            #include <stdio.h>
            #include <string.h>
            int main(void) {
                int lo = 1, hi = 1000;
                char answer[32];
                for (;;) {
                    int m = (lo + hi) / 2;
                    printf("%d\\n", m);
                    fflush(stdout);
                    if (scanf("%31s", answer) != 1 || !strcmp(answer, "correct")) break;
                    if (!strcmp(answer, "lower")) hi = m - 1; else lo = m + 1;
                }
                return EXIT;
            }
            """;

    private static SandboxedExecutor executor() {
        try {
            // Its own uids (62200 and 62201, companions 62202 and 62203): the judge's other tests use others.
            return SandboxedExecutor.start(
                    SandboxConfig.defaults()
                            .withDataDir(Files.createTempDirectory("ce-interaction-judge-test-"))
                            .withSlots(2)
                            .withUidBase(62200)
                            .withCgroupName("coding-engine-interaction-judge-test"),
                    ExecutorConfig.judging());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Judgement judge(String language, String source, List<TestCase> tests, CheckerSpec checker) {
        Submission s = new Submission(
                "sub-i",
                "guess",
                null,
                "alice",
                language,
                "*",
                List.of(SourceFile.utf8(null, source)),
                List.of(),
                null,
                Instant.now());
        return JUDGE.judge(s, tests, checker, new Judge.TestLimits(Duration.ofSeconds(1), 128L << 20), 0, 1)
                .judgement();
    }

    private static Judgement guess(String source) {
        return judge("c", source, GUESS_TESTS, GUESS);
    }

    @Test
    void aCorrectGuesserIsAccepted() {
        Judgement j = guess(BINARY_SEARCH.replace("EXIT", "0"));
        assertEquals(Verdict.AC, j.verdict(), j.toString());
        assertEquals(100, j.score());
        TestResult sample = j.tests().getFirst();
        assertEquals(">500\n<correct\n", sample.output(), "a visible test shows its interaction");
        assertNull(sample.expected(), "but not its answer: the validator's data");
        assertEquals("found in 1", sample.message(), "and the validator's team message");
        TestResult hidden = j.tests().get(2);
        assertNull(hidden.output());
        assertNull(hidden.forParticipant().judgeMessage(), "a hidden test's interaction is for admins only");
        assertNull(hidden.forParticipant().message());
        assertTrue(hidden.judgeMessage().contains("interaction:\n>500\n<higher\n>750\n"), hidden.judgeMessage());
        assertTrue(hidden.judgeMessage().contains("judgemessage.txt: guess 1 is 500"), hidden.judgeMessage());
        assertTrue(hidden.judgeMessage().contains("found in"), "the team message of a hidden test goes to the judges");
    }

    @Test
    void aSubmissionThatExitsWithAnErrorFirstIsARunTimeError() {
        // guess_rte: exits 42 without a word; the validator then reads EOF and rejects, second.
        Judgement j = guess("int main(void) { return 42; }");
        assertEquals(Verdict.RE, j.verdict(), j.toString());
        assertEquals("Exited with error status 42", j.tests().getFirst().message());
        assertTrue(
                j.tests().get(1).judgeMessage().contains("the submission ended first"),
                j.tests().get(1).judgeMessage());
    }

    @Test
    void aSubmissionThatFailsAfterTheValidatorAcceptedIsARunTimeError() {
        // guess_rte_after_correct
        assertEquals(Verdict.RE, guess(BINARY_SEARCH.replace("EXIT", "42")).verdict());
    }

    @Test
    void aSubmissionThatSpinsAfterTheValidatorAcceptedExceedsItsTimeLimit() {
        // guess_tle_after_correct: the validator's accepting does not end the submission's run.
        Judgement j = guess(BINARY_SEARCH.replace("return EXIT;", "fclose(stdout); for (;;);"));
        assertEquals(Verdict.TLE, j.verdict(), j.toString());
    }

    @Test
    void aSubmissionThatNeverFlushesWaitsUntilItsTimeIsOver() {
        // guess_no_flush: both wait; the submission's wall limit ends it, first.
        Judgement j = guess(BINARY_SEARCH.replace("fflush(stdout);", "").replace("EXIT", "0"));
        assertEquals(Verdict.TLE, j.verdict(), j.toString());
    }

    @Test
    void aRejectionBeforeTheSubmissionEndedIsAWrongAnswerWhateverItDoesNext() {
        // guess_tle: a wrong guess, then an endless loop; GuessCrash: a wrong guess, then a crash on EOF.
        Judgement spins = guess("#include <stdio.h>\nint main(void) { printf(\"-1\\n\"); fflush(stdout); for (;;); }");
        assertEquals(Verdict.WA, spins.verdict(), spins.toString());
        assertTrue(
                spins.tests().getFirst().timeMs() < 900,
                "stopped, not run to its limit: " + spins.tests().getFirst());
        Judgement crashes = judge(
                "python",
                "print(500)\ninput()\nprint(2000, flush=True)\nx = input()",
                GUESS_TESTS.subList(1, 2),
                GUESS);
        assertEquals(Verdict.WA, crashes.verdict(), crashes.toString());
    }

    @Test
    void aSubmissionThatEndsWhileTheValidatorWaitsIsAWrongAnswer() {
        Judgement j = judge("python", "print(500)", GUESS_TESTS.subList(1, 2), GUESS);
        assertEquals(Verdict.WA, j.verdict(), j.toString());
        assertTrue(
                j.tests().getFirst().judgeMessage().contains("no guess 2"),
                j.tests().getFirst().judgeMessage());
    }

    @Test
    void aValidatorThatFailsIsTheJudgesError() {
        CheckerSpec.Custom broken = CheckerSpec.Custom.of(
                        "python", "v.py", "import sys\nsys.stdin.readline()\nsys.exit(3)")
                .judging(true, 1);
        Judgement j = judge("python", "print(1)", GUESS_TESTS, broken);
        assertEquals(Verdict.IE, j.verdict());
        assertEquals("the checker failed", j.tests().getFirst().message());
        assertTrue(
                j.tests().getFirst().judgeMessage().contains("the validator exited with code 3"),
                j.tests().getFirst().judgeMessage());
    }

    @Test
    void aSubmissionFloodingItsValidatorExceedsItsOutputLimitAndIsNeverTheJudgesError() {
        // The validator keeps every line and fails at the end of its input: flooded without a cap it
        // would meet its own memory limit (IE, which costs no try: a yes/no question about a hidden
        // test for free). Past the submission's output limit it gets no more, and the verdict is
        // the submission's.
        CheckerSpec.Custom keeping =
                CheckerSpec.Custom.of("python", "v.py", """
                import sys
                kept = []
                for line in sys.stdin:
                    kept.append(line)
                sys.exit(3)
                """).judging(true, 1);
        Judgement j = judge("c", """
                #include <stdio.h>
                int main(void) { for (;;) fputs("1000000000\\n", stdout); }
                """, GUESS_TESTS, keeping);
        assertEquals(Verdict.OLE, j.verdict(), () -> j.tests().getFirst().judgeMessage());
        assertTrue(
                j.tests().getFirst().judgeMessage().contains("written to the validator"),
                j.tests().getFirst().judgeMessage());
    }

    /** Doubles its input, pass after pass: accepts once the answer's number of passes is reached. */
    private static final CheckerSpec.Custom DOUBLING = CheckerSpec.Custom.of("python", "validate.py", """
            import os, sys
            fb = sys.argv[3]
            count = int(open(fb + "count").read()) + 1 if os.path.exists(fb + "count") else 1
            open(fb + "count", "w").write(str(count))
            given = int(open(sys.argv[1]).read())
            got = sys.stdin.read().split()
            open(fb + "judgemessage.txt", "a").write("pass %d: %d -> %s\\n" % (count, given, got))
            if got != [str(2 * given)]:
                sys.exit(43)
            if count < int(open(sys.argv[2]).read()):
                open(fb + "nextpass.in", "w").write(got[0])
            sys.exit(42)
            """);

    @Test
    void multiPassRunsTheSubmissionAgainOnTheValidatorsNextInput() {
        CheckerSpec three = DOUBLING.judging(false, 3);
        Judgement j = judge(
                "python", "print(2 * int(input()))", List.of(new TestCase("sample/1", "5\n", "3\n", true)), three);
        assertEquals(Verdict.AC, j.verdict(), j.toString());
        assertEquals("40\n", j.tests().getFirst().output(), "the last pass's output is shown");
        assertTrue(
                j.tests()
                        .getFirst()
                        .judgeMessage()
                        .contains("pass 1: 5 -> ['10']\npass 2: 10 -> ['20']\npass 3: 20 -> ['40']"),
                j.tests().getFirst().judgeMessage());
        Judgement tooMany = judge(
                "python", "print(2 * int(input()))", List.of(new TestCase("secret/1", "5\n", "4\n", false)), three);
        assertEquals(Verdict.IE, tooMany.verdict(), "a fourth pass asked for is the judge's error");
        assertTrue(tooMany.tests().getFirst().judgeMessage().contains("limits.validation_passes"));
        Judgement wrong = judge(
                "python",
                "n = int(input())\nprint(2 * n if n < 10 else 0)",
                List.of(new TestCase("secret/1", "5\n", "3\n", false)),
                three);
        assertEquals(Verdict.WA, wrong.verdict(), "the second pass decides");
        Judgement crash = judge(
                "python",
                "n = int(input())\nprint(2 * n)\nassert n < 10",
                List.of(new TestCase("secret/1", "5\n", "3\n", false)),
                three);
        assertEquals(Verdict.RE, crash.verdict());
    }

    @Test
    void aNextPassWithoutAcceptingIsTheJudgesError() {
        CheckerSpec.Custom confused = CheckerSpec.Custom.of(
                        "python", "v.py", "import sys\nopen(sys.argv[3] + 'nextpass.in', 'w').write('1')\nsys.exit(43)")
                .judging(false, 2);
        Judgement j = judge("python", "print(1)", List.of(new TestCase("secret/1", "1\n", "", false)), confused);
        assertEquals(Verdict.IE, j.verdict());
        assertTrue(j.tests().getFirst().judgeMessage().contains("nextpass.in but did not accept"));
    }

    @Test
    void interactiveMultiPass() {
        CheckerSpec.Custom validator =
                CheckerSpec.Custom.of("python", "v.py", """
                import sys
                n = int(open(sys.argv[1]).read())
                print(n, flush=True)
                got = int(sys.stdin.readline())
                if got != 2 * n:
                    sys.exit(43)
                if got < 20:
                    open(sys.argv[3] + "nextpass.in", "w").write(str(got))
                sys.exit(42)
                """).judging(true, 4);
        Judgement j = judge(
                "python",
                "print(2 * int(input()), flush=True)",
                List.of(new TestCase("sample/1", "3\n", "", true)),
                validator);
        assertEquals(Verdict.AC, j.verdict(), j.toString());
        assertEquals(
                "[pass 1]\n<3\n>6\n[pass 2]\n<6\n>12\n[pass 3]\n<12\n>24\n",
                j.tests().getFirst().output());
    }
}
