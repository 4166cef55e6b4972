package io.codingengine.worker.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The judge against the real executor: compile once, run every test, check, decide. */
class JudgeTest {

    private static final SandboxedExecutor EXECUTOR = executor();
    private static final Judge JUDGE = new Judge(EXECUTOR, Clock.systemUTC(), "test-worker");
    private static final List<TestCase> SUM_TESTS = List.of(
            new TestCase("sample-1", "1 2\n", "3\n", true),
            new TestCase("secret-1", "10 20\n", "30\n", false),
            new TestCase("secret-2", "-5 5\n", "0\n", false));

    private static SandboxedExecutor executor() {
        try {
            return SandboxedExecutor.start(
                    SandboxConfig.defaults()
                            .withDataDir(Files.createTempDirectory("ce-judge-test-"))
                            .withSlots(2)
                            .withUidBase(62400)
                            .withCgroupName("coding-engine-judge-test"),
                    ExecutorConfig.defaults());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Judgement judge(String language, String source, List<TestCase> tests, CheckerSpec checker) {
        Submission s = new Submission(
                "sub-1",
                null,
                null,
                "alice",
                language,
                "*",
                List.of(SourceFile.utf8(null, source)),
                tests,
                checker,
                Instant.now());
        return JUDGE.judge(s, tests, checker, new Judge.TestLimits(Duration.ofSeconds(1), 128L << 20), 0, 1)
                .judgement();
    }

    @Test
    void acceptedInEveryLanguage() {
        for (var entry : java.util.Map.of(
                        "python", "a, b = map(int, input().split())\nprint(a + b)",
                        "c++",
                                "#include <iostream>\nint main(){ long a, b; std::cin >> a >> b; std::cout << a + b << '\\n'; }",
                        "java",
                                "import java.util.*;\npublic class Main { public static void main(String[] x){ Scanner s = new Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); } }")
                .entrySet()) {
            Judgement j = judge(entry.getKey(), entry.getValue(), SUM_TESTS, CheckerSpec.DEFAULT);
            assertEquals(Verdict.AC, j.verdict(), entry.getKey() + ": " + j);
            assertEquals(100, j.score());
            assertEquals(3, j.tests().size());
            assertEquals("3\n", j.tests().get(0).output(), "visible test shows its output");
            assertNull(j.tests().get(1).output(), "hidden test never shows its output");
            assertNull(j.tests().get(1).expected());
        }
    }

    @Test
    void testsSplitOverSlotsGiveTheJudgementOfOneAfterAnother() {
        String source = "#include <stdio.h>\nint main(void){ long n; scanf(\"%ld\", &n); if (n == 5) for (;;) {}\n"
                + " printf(\"%ld\\n\", n == 3 ? 0 : 2 * n); return 0; }";
        List<TestCase> tests = new java.util.ArrayList<>();
        for (int n = 1; n <= 7; n++) {
            tests.add(new TestCase("t" + n, n + "\n", 2 * n + "\n", false));
        }
        Submission s = new Submission(
                "sub-par",
                null,
                null,
                "alice",
                "c",
                "*",
                List.of(SourceFile.utf8(null, source)),
                tests,
                CheckerSpec.DEFAULT,
                Instant.now());
        Judge.TestLimits limits = new Judge.TestLimits(Duration.ofSeconds(1), 128L << 20);
        Judgement parallel = new Judge(EXECUTOR, Clock.systemUTC(), "test-worker", 3)
                .judge(s, tests, CheckerSpec.DEFAULT, limits, 0, 1)
                .judgement();
        Judgement sequential = new Judge(EXECUTOR, Clock.systemUTC(), "test-worker", 1)
                .judge(s, tests, CheckerSpec.DEFAULT, limits, 0, 1)
                .judgement();
        List<Verdict> expected =
                List.of(Verdict.AC, Verdict.AC, Verdict.WA, Verdict.AC, Verdict.TLE, Verdict.AC, Verdict.AC);
        assertEquals(expected, parallel.tests().stream().map(t -> t.verdict()).toList(), parallel.toString());
        assertEquals(expected, sequential.tests().stream().map(t -> t.verdict()).toList());
        assertEquals(Verdict.WA, parallel.verdict(), "the first failing test decides, in test order");
        assertEquals(
                tests.stream().map(TestCase::name).toList(),
                parallel.tests().stream().map(t -> t.testName()).toList());
        assertTrue(parallel.tests().get(4).timeMs() >= 1000, "the time limit is CPU time of the run alone");
    }

    @Test
    void wrongAnswerOnTheRightTest() {
        Judgement j = judge(
                "python",
                "a, b = map(int, input().split())\nprint(a + b if a > 0 else 1)",
                SUM_TESTS,
                CheckerSpec.DEFAULT);
        assertEquals(Verdict.WA, j.verdict());
        assertEquals(
                List.of(Verdict.AC, Verdict.AC, Verdict.WA),
                j.tests().stream().map(t -> t.verdict()).toList());
        assertEquals(66, j.score());
    }

    @Test
    void compileErrorRunsNoTest() {
        Judgement j = judge("c++", "int main() { return x; }", SUM_TESTS, CheckerSpec.DEFAULT);
        assertEquals(Verdict.CE, j.verdict());
        assertTrue(j.compileOutput().contains("was not declared"), j.compileOutput());
        assertTrue(j.tests().isEmpty());
    }

    @Test
    void limitsGiveTheirVerdicts() {
        assertEquals(
                Verdict.TLE,
                judge("python", "while True: pass", SUM_TESTS, CheckerSpec.DEFAULT)
                        .verdict());
        assertEquals(
                Verdict.MLE,
                judge(
                                "c++",
                                "#include <vector>\nint main(){ std::vector<long> v(1L << 26, 1); return v[5] - 1; }",
                                SUM_TESTS,
                                CheckerSpec.DEFAULT)
                        .verdict());
        assertEquals(
                Verdict.RE,
                judge("python", "raise SystemExit(2)", SUM_TESTS, CheckerSpec.DEFAULT)
                        .verdict());
        assertEquals(
                Verdict.OLE,
                judge("python", "while True: print('x' * 1000)", SUM_TESTS, CheckerSpec.DEFAULT)
                        .verdict());
    }

    @Test
    void floatTolerance() {
        List<TestCase> tests = List.of(new TestCase("t", "", "0.3333333333\n", true));
        assertEquals(
                Verdict.AC,
                judge("python", "print(1/3 + 1e-9)", tests, CheckerSpec.Floats.DEFAULT)
                        .verdict());
        assertEquals(
                Verdict.WA,
                judge("python", "print(0.34)", tests, CheckerSpec.Floats.DEFAULT)
                        .verdict());
    }

    /** A problem's tests (as a package gives them), judged as the worker judges a submission to it. */
    private static Judgement judgeProblem(String source, List<TestCase> tests, CheckerSpec checker) {
        Submission s = new Submission(
                "sub-problem",
                "hello",
                null,
                "alice",
                "python",
                "*",
                List.of(SourceFile.utf8(null, source)),
                List.of(),
                null,
                Instant.now());
        return JUDGE.judge(s, tests, checker, new Judge.TestLimits(Duration.ofSeconds(1), 128L << 20), 0, 1)
                .judgement();
    }

    private static final List<TestCase> HELLO = List.of(
            new TestCase("sample/1", "", "Hello World!\n", true),
            new TestCase("secret/1", "", "Hello World!\n", false));

    /**
     * Kattis's default validator: tokens, letter case ignored; and a problem's output limit of
     * 8 MiB, standard error ignored. Each of these was WA or OLE here and is accepted by Kattis.
     */
    @Test
    void aProblemIsJudgedAsKattisJudgesIt() {
        for (String source : List.of(
                "print('hello world!')",
                "print('HELLO', 'WORLD!', sep='\\n')",
                "print('Hello World!' + ' ' * 100000)",
                "import sys\nsys.stderr.write('debug ' * 200000)\nprint('Hello World!')")) {
            Judgement j = judgeProblem(source, HELLO, CheckerSpec.Tokens.KATTIS);
            assertEquals(Verdict.AC, j.verdict(), source + ": " + j);
        }
        Judgement wrong = judgeProblem("print('Hello World')", HELLO, CheckerSpec.Tokens.KATTIS);
        assertEquals(
                List.of(Verdict.WA, Verdict.WA),
                wrong.tests().stream().map(TestResult::verdict).toList());
        assertEquals(
                "line 1 of the output (line 1 of the answer): token 2 differs: expected World!, got World",
                wrong.tests().get(0).message());
        assertNull(wrong.tests().get(1).message(), "a hidden test's checker message is for judges only");
        assertTrue(
                wrong.tests().get(1).judgeMessage().contains("expected World!, got World"),
                wrong.tests().get(1).toString());
        assertFalse(wrong.tests().get(1).forParticipant().toString().contains("World!"));
        CheckerSpec strict = new CheckerSpec.Tokens("case_sensitive space_change_sensitive");
        assertEquals(
                Verdict.AC, judgeProblem("print('Hello World!')", HELLO, strict).verdict());
        assertEquals(
                Verdict.WA,
                judgeProblem("print('Hello  World!')", HELLO, strict).verdict());
        assertEquals(
                Verdict.WA, judgeProblem("print('hello world!')", HELLO, strict).verdict());
        assertEquals(
                Verdict.OLE,
                judgeProblem("while True: print('x' * 1000)", HELLO, CheckerSpec.Tokens.KATTIS)
                        .verdict(),
                "standard output past 8 MiB");
        // Inline tests keep their limit: twice the longest answer and 4 KiB, at least 64 KiB.
        assertEquals(
                Verdict.OLE,
                judge("python", "print('Hello World!' + ' ' * 100000)", HELLO, CheckerSpec.Tokens.KATTIS)
                        .verdict());
        // Standard error is ignored, as Kattis ignores it: past the output limit it is cut short
        // and the program runs on to its answer, however much it writes there (here 16 MiB,
        // twice the problem's limit, and over 200 times the inline tests').
        String chatty = "import sys\nfor _ in range(2048): sys.stderr.write('debug ' * 1365)\nprint('Hello World!')";
        assertEquals(
                Verdict.AC,
                judge("python", chatty, HELLO, CheckerSpec.Tokens.KATTIS).verdict());
        assertEquals(
                Verdict.AC,
                judgeProblem(chatty, HELLO, CheckerSpec.Tokens.KATTIS).verdict());
    }

    @Test
    void kattisFloatTolerancesEndToEnd() {
        List<TestCase> tests = List.of(new TestCase("sample/1", "", "0.3333333333 NaN\n", true));
        CheckerSpec checker = new CheckerSpec.Tokens("float_tolerance 1e-6");
        assertEquals(
                Verdict.AC,
                judgeProblem("print(1/3 + 1e-7, float('nan'))", tests, checker).verdict(),
                "nan is NaN, as a string");
        assertEquals(
                Verdict.WA,
                judgeProblem("print(1/3 + 1e-5, 'NaN')", tests, checker).verdict());
        assertEquals(
                Verdict.WA,
                judgeProblem("print(1/3, 'NaN')", tests, new CheckerSpec.Tokens("case_sensitive"))
                        .verdict(),
                "without a tolerance a float is a string");
    }

    @Test
    void customCheckerProgramInTheSandbox() {
        // Accepts any pair that sums to the input's value; Kattis exit codes.
        CheckerSpec checker = new CheckerSpec.Custom("python", "*", List.of(SourceFile.utf8("check.py", """
                import sys
                n = int(open(sys.argv[1]).read())
                try:
                    a, b = map(int, sys.stdin.read().split())
                except ValueError:
                    print('not two integers'); sys.exit(43)
                sys.exit(42 if a + b == n else 43)
                """)));
        List<TestCase> tests =
                List.of(new TestCase("t1", "10\n", "5 5\n", true), new TestCase("t2", "7\n", "3 4\n", false));
        Judgement ok = judge("python", "n = int(input())\nprint(1, n - 1)", tests, checker);
        assertEquals(Verdict.AC, ok.verdict(), ok.toString());
        Judgement wrong = judge("python", "n = int(input())\nprint(n)", tests, checker);
        assertEquals(Verdict.WA, wrong.verdict());
        assertNull(
                wrong.tests().get(0).message(),
                "what a checker prints is for judges (teammessage.txt is for the team)");
        assertTrue(
                wrong.tests().get(0).judgeMessage().contains("its standard output: not two integers"),
                wrong.tests().get(0).judgeMessage());
        CheckerSpec broken =
                new CheckerSpec.Custom("python", "*", List.of(SourceFile.utf8("check.py", "raise Exception('bug')")));
        assertEquals(
                Verdict.IE,
                judge("python", "print(1)", tests, broken).verdict(),
                "a crashing checker is the engine's problem");
    }

    // ------------------------------------------------------------------ what one submission may cost

    /** Inline tests judged with {@code settings}, a second of CPU time each. */
    private static Judgement judge(Judge.Settings settings, String source, List<TestCase> tests, CheckerSpec checker) {
        Submission s = new Submission(
                "sub-budget",
                null,
                null,
                "mallory",
                "python",
                "*",
                List.of(SourceFile.utf8(null, source)),
                tests,
                checker,
                Instant.now());
        return new Judge(EXECUTOR, Clock.systemUTC(), "test-worker", settings)
                .judge(s, tests, checker, new Judge.TestLimits(Duration.ofSeconds(1), 128L << 20), 0, 1)
                .judgement();
    }

    private static List<TestCase> ones(int n) {
        List<TestCase> tests = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            tests.add(new TestCase("t" + i, "", "1\n", i == 0));
        }
        return tests;
    }

    private static void cutByTheTimeBudget(Judgement j, int tests) {
        List<TestResult> ran =
                j.tests().stream().filter(t -> t.verdict() == Verdict.AC).toList();
        List<TestResult> notRun =
                j.tests().stream().filter(t -> t.verdict() != Verdict.AC).toList();
        assertEquals(tests, j.tests().size(), j.toString());
        assertFalse(ran.isEmpty(), j.toString());
        assertFalse(notRun.isEmpty(), "the budget cut the judging: " + j);
        for (TestResult t : notRun) {
            assertEquals(Verdict.TLE, t.verdict(), t.toString());
            assertEquals(0, t.timeMs());
            assertTrue(t.judgeMessage().startsWith("not run: the judging's time budget of "), t.toString());
        }
        assertEquals(Verdict.TLE, j.verdict(), "every test that ran was accepted: the judging's time limit decides");
        assertEquals(100 * ran.size() / tests, j.score());
    }

    @Test
    void theJudgingStopsWhenItsRunsHaveTakenItsTimeBudget() {
        // 1 s of sleep a test (within the 3 s wall limit), a 3 s budget: a few tests run, not twelve.
        Judgement j = judge(
                new Judge.Settings(0, 64L << 20, Duration.ofSeconds(3)),
                "import time\ntime.sleep(1)\nprint(1)",
                ones(12),
                CheckerSpec.DEFAULT);
        cutByTheTimeBudget(j, 12);
    }

    @Test
    void aCustomCheckersTimeCountsInTheJudgingsBudget() {
        CheckerSpec sleepy = new CheckerSpec.Custom(
                "python", "*", List.of(SourceFile.utf8("check.py", "import sys, time\ntime.sleep(1)\nsys.exit(42)")));
        Judgement j = judge(new Judge.Settings(1, 64L << 20, Duration.ofSeconds(2)), "print(1)", ones(6), sleepy);
        cutByTheTimeBudget(j, 6);
    }

    @Test
    void aVisibleTestKeepsTheStartOfItsOutputAndNoTestItsStandardError() {
        // A 150,000-character answer lifts the output limit to 300 KiB: the program may print 200,000.
        List<TestCase> tests = List.of(
                new TestCase("shown", "", "x".repeat(150_000), true),
                new TestCase("hidden", "", "x".repeat(150_000), false));
        Judgement j = judge(
                Judge.Settings.DEFAULTS,
                "import sys\nsys.stderr.write('STDERR-' * 1000)\nprint('a' * 200000)",
                tests,
                CheckerSpec.DEFAULT);
        assertEquals(
                List.of(Verdict.WA, Verdict.WA),
                j.tests().stream().map(TestResult::verdict).toList());
        String shown = j.tests().getFirst().output();
        assertEquals(
                "a".repeat(Judge.SHOWN_MAX) + "\n… [" + (200_001 - Judge.SHOWN_MAX) + " more characters not kept]",
                shown);
        assertNull(j.tests().get(1).output());
        assertFalse(j.toString().contains("STDERR-"), "a submission's standard error is never kept");
    }

    @Test
    void aLongTokenThatIsNearlyANumberIsCheckedAtOnce() {
        // It took the FLOAT checker's regular expression minutes (quadratic backtracking).
        List<TestCase> tests = List.of(new TestCase("t", "", "1" + " ".repeat(200_000), false));
        Judgement j = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> judge(
                        Judge.Settings.DEFAULTS,
                        "import sys\nsys.stdout.write('1' * 300000 + 'x')",
                        tests,
                        CheckerSpec.Floats.DEFAULT));
        assertEquals(Verdict.WA, j.verdict(), j.toString());
    }

    // ------------------------------------------------------------------ what a hidden test lets out

    private static final String INPUT_SECRET = "in-h-INPUTSECRET";
    private static final String ANSWER_SECRET = "ans-h-ANSWERSECRET";
    /** A hidden test first, then a visible one: data of the first must not reach the second either. */
    private static final List<TestCase> SECRET_THEN_SAMPLE = List.of(
            new TestCase("secret/1", INPUT_SECRET + "\n", ANSWER_SECRET + "\n", false),
            new TestCase("sample/1", "in-v\n", "ans-v\n", true));

    /** Asserts that what the submitter sees of {@code j} quotes neither secret. */
    private static void nothingSecretForTheSubmitter(Judgement j) {
        for (TestResult t : j.tests()) {
            String seen = t.forParticipant().toString();
            assertFalse(seen.contains("INPUTSECRET") || seen.contains("ANSWERSECRET"), "the submitter sees: " + seen);
        }
    }

    @Test
    void builtInCheckersDoNotQuoteAHiddenAnswerToTheSubmitter() {
        List<TestCase> kattisTests = List.of(
                new TestCase("secret/1", "", "31415.9265\n", false), new TestCase("sample/1", "", "2.5\n", true));
        Judgement kattis =
                judge("python", "print('junk')", kattisTests, new CheckerSpec.Tokens("float_tolerance 1e-6"));
        assertEquals(
                List.of(Verdict.WA, Verdict.WA),
                kattis.tests().stream().map(TestResult::verdict).toList());
        assertNull(kattis.tests().get(0).message(), kattis.tests().get(0).toString());
        assertTrue(
                kattis.tests()
                        .get(0)
                        .judgeMessage()
                        .contains("token 1 differs: expected 31415.9265, got junk, which is not" + " a float"),
                kattis.toString());
        assertFalse(kattis.tests().get(0).forParticipant().toString().contains("31415"));
        assertEquals(
                "line 1 of the output (line 1 of the answer): token 1 differs: expected 2.5, got junk, which is not a float",
                kattis.tests().get(1).message(),
                "a sample's answer is shown anyway");
        for (CheckerSpec checker : List.of(CheckerSpec.Floats.DEFAULT, new CheckerSpec.Tokens())) {
            List<TestCase> tests = List.of(
                    new TestCase("secret/1", "", "31415.9265\n", false), new TestCase("sample/1", "", "2.5\n", true));
            Judgement j = judge("python", "print('junk')", tests, checker);
            assertEquals(
                    List.of(Verdict.WA, Verdict.WA),
                    j.tests().stream().map(TestResult::verdict).toList());
            TestResult secret = j.tests().get(0), sample = j.tests().get(1);
            assertNull(secret.message(), checker + ": a hidden test's checker message names its answer: " + secret);
            assertTrue(secret.judgeMessage().contains("expected 31415.9265, got junk"), "judges read it: " + secret);
            assertFalse(
                    secret.forParticipant().toString().contains("31415"),
                    secret.forParticipant().toString());
            assertEquals(
                    "token 1 differs: expected 2.5, got junk", sample.message(), "a sample's answer is shown anyway");
        }
    }

    @Test
    void theExitCodeOfAHiddenTestIsForJudges() {
        // The program picks its exit code from the hidden input: 8 bits of it per test.
        List<TestCase> tests =
                List.of(new TestCase("secret/1", "77\n", "0\n", false), new TestCase("sample/1", "5\n", "0\n", true));
        Judgement j = judge("python", "import sys\nsys.exit(int(input()))", tests, CheckerSpec.DEFAULT);
        assertEquals(
                List.of(Verdict.RE, Verdict.RE),
                j.tests().stream().map(TestResult::verdict).toList());
        TestResult secret = j.tests().get(0);
        assertNull(secret.message(), secret.toString());
        assertEquals("Exited with error status 77", secret.judgeMessage());
        assertFalse(
                secret.forParticipant().toString().contains("77"),
                secret.forParticipant().toString());
        assertEquals("Exited with error status 5", j.tests().get(1).message(), "a visible test says how it ended");
    }

    /**
     * Kattis output validators that do what testlib's do: quote the answer on standard output and
     * error; and write judgemessage.txt (the answer) and teammessage.txt (the input) to the feedback
     * directory, appending, so a directory shared by two tests would show.
     */
    private static final Map<String, List<SourceFile>> QUOTING_VALIDATORS = Map.of(
            "python", List.of(SourceFile.utf8("validate.py", """
                    import os, sys
                    given, answer = (open(f).read().strip() for f in sys.argv[1:3])
                    team = sys.stdin.read().strip()
                    if team == answer:
                        sys.exit(42)
                    print("wrong answer: expected '%s', found '%s'" % (answer, team))
                    print("stderr: expected " + answer, file=sys.stderr)
                    open(os.path.join(sys.argv[3], "judgemessage.txt"), "a").write("judge: expected " + answer)
                    open(os.path.join(sys.argv[3], "teammessage.txt"), "a").write("team: input was " + given)
                    sys.exit(43)
                    """)),
            "c++", List.of(SourceFile.utf8("validate.cpp", """
                    #include <fstream>
                    #include <iostream>
                    #include <string>
                    int main(int argc, char **argv) {
                        std::ifstream in(argv[1]), ans(argv[2]);
                        std::string given, answer, team;
                        in >> given; ans >> answer; std::cin >> team;
                        if (team == answer) return 42;
                        std::cout << "wrong answer: expected '" << answer << "', found '" << team << "'" << std::endl;
                        std::cerr << "stderr: expected " << answer << std::endl;
                        std::ofstream(std::string(argv[3]) + "/judgemessage.txt", std::ios::app) << "judge: expected " << answer;
                        std::ofstream(std::string(argv[3]) + "/teammessage.txt", std::ios::app) << "team: input was " << given;
                        return 43;
                    }
                    """)),
            "c", List.of(SourceFile.utf8("validate.c", """
                    #include <stdio.h>
                    #include <stdlib.h>
                    #include <string.h>
                    static void word(const char *path, char *into) { FILE *f = fopen(path, "r"); if (fscanf(f, "%99s", into) != 1) into[0] = 0; fclose(f); }
                    int main(int argc, char **argv) {
                        char given[100], answer[100], team[100] = "", path[300];
                        word(argv[1], given); word(argv[2], answer);
                        if (scanf("%99s", team) != 1) team[0] = 0;
                        if (strcmp(team, answer) == 0) exit(42);
                        printf("wrong answer: expected '%s', found '%s'\\n", answer, team);
                        fprintf(stderr, "stderr: expected %s\\n", answer);
                        snprintf(path, sizeof path, "%s/judgemessage.txt", argv[3]);
                        FILE *j = fopen(path, "a"); fprintf(j, "judge: expected %s", answer); fclose(j);
                        snprintf(path, sizeof path, "%s/teammessage.txt", argv[3]);
                        FILE *t = fopen(path, "a"); fprintf(t, "team: input was %s", given); fclose(t);
                        exit(43);
                    }
                    """)),
            "java", List.of(SourceFile.utf8("Validate.java", """
                    import java.nio.file.*;
                    public class Validate {
                        public static void main(String[] args) throws Exception {
                            String given = Files.readString(Path.of(args[0])).strip(), answer = Files.readString(Path.of(args[1])).strip();
                            String team = new String(System.in.readAllBytes()).strip();
                            if (team.equals(answer)) System.exit(42);
                            System.out.println("wrong answer: expected '" + answer + "', found '" + team + "'");
                            System.err.println("stderr: expected " + answer);
                            Files.writeString(Path.of(args[2], "judgemessage.txt"), "judge: expected " + answer,
                                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                            Files.writeString(Path.of(args[2], "teammessage.txt"), "team: input was " + given,
                                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                            System.exit(43);
                        }
                    }
                    """)),
            "javascript", List.of(SourceFile.utf8("validate.js", """
                    const fs = require('fs'), path = require('path');
                    const [given, answer] = [process.argv[2], process.argv[3]].map(f => fs.readFileSync(f, 'utf8').trim());
                    const team = fs.readFileSync(0, 'utf8').trim();
                    if (team === answer) process.exit(42);
                    console.log(`wrong answer: expected '${answer}', found '${team}'`);
                    console.error('stderr: expected ' + answer);
                    fs.appendFileSync(path.join(process.argv[4], 'judgemessage.txt'), 'judge: expected ' + answer);
                    fs.appendFileSync(path.join(process.argv[4], 'teammessage.txt'), 'team: input was ' + given);
                    process.exit(43);
                    """)));

    @Test
    void aCustomCheckerTalksToJudgesAndToTheTeamOnlyAboutVisibleTests() {
        for (var validator : QUOTING_VALIDATORS.entrySet()) {
            String language = validator.getKey();
            Judgement j = judge(
                    "python",
                    "print('junk')",
                    SECRET_THEN_SAMPLE,
                    new CheckerSpec.Custom(language, "*", validator.getValue()));
            assertEquals(
                    List.of(Verdict.WA, Verdict.WA),
                    j.tests().stream().map(TestResult::verdict).toList(),
                    language + ": " + j);
            TestResult secret = j.tests().get(0), sample = j.tests().get(1);
            assertNull(secret.message(), language + ": " + secret);
            assertNull(secret.output());
            assertNull(secret.expected());
            for (String said : List.of(
                    "judgemessage.txt: judge: expected " + ANSWER_SECRET,
                    "team: input was " + INPUT_SECRET,
                    "its standard output: wrong answer: expected '" + ANSWER_SECRET + "', found 'junk'",
                    "its standard error: stderr: expected " + ANSWER_SECRET)) {
                assertTrue(
                        secret.judgeMessage().contains(said),
                        language + ": judges read '" + said + "' in " + secret.judgeMessage());
            }
            assertEquals(
                    "team: input was in-v",
                    sample.message(),
                    language + ": teammessage.txt of the sample alone: " + sample);
            assertTrue(
                    sample.judgeMessage().startsWith("judgemessage.txt: judge: expected ans-v\n"),
                    language + ": " + sample.judgeMessage());
            assertFalse(
                    sample.judgeMessage().contains("SECRET"), language + ": each test has its own feedback directory");
            nothingSecretForTheSubmitter(j);
        }
        Judgement accepted = judge(
                "python",
                "print('ans-v' if input() == 'in-v' else '" + ANSWER_SECRET + "')",
                SECRET_THEN_SAMPLE,
                new CheckerSpec.Custom("c++", "*", QUOTING_VALIDATORS.get("c++")));
        assertEquals(Verdict.AC, accepted.verdict(), accepted.toString());
    }

    @Test
    void aCrashingCheckerIsAnInternalErrorWhoseTracebackOnlyJudgesRead() {
        CheckerSpec crashing = new CheckerSpec.Custom("python", "*", List.of(SourceFile.utf8("check.py", """
                import sys
                answer = open(sys.argv[2]).read().strip()
                raise ValueError("cannot compare with " + answer)
                """)));
        Judgement j = judge("python", "print('junk')", SECRET_THEN_SAMPLE, crashing);
        assertEquals(Verdict.IE, j.verdict());
        TestResult secret = j.tests().get(0), sample = j.tests().get(1);
        assertNull(secret.message());
        assertTrue(
                secret.judgeMessage().contains("ValueError: cannot compare with " + ANSWER_SECRET),
                secret.judgeMessage());
        assertTrue(secret.judgeMessage().contains("the checker exited with code 1"), secret.judgeMessage());
        assertEquals("the checker failed", sample.message(), "a visible test says the checker failed, not how");
        nothingSecretForTheSubmitter(j);
    }

    @Test
    void aVisibleTestNeverRunsWhereAHiddenOneRanBefore() {
        // Were the work directory kept between the runs of one executor call (the sandbox gives
        // each run a fresh one; an older session image did not), a file left by a hidden test's
        // run could be printed by a later visible test's, whose output the submitter sees.
        String stash = """
                import os, sys
                data = sys.stdin.read().strip()
                if os.path.exists('stash.txt'):
                    print(open('stash.txt').read())
                else:
                    open('stash.txt', 'w').write(data)
                    print(data)
                """;
        List<TestCase> tests = List.of(
                new TestCase("hidden", INPUT_SECRET + "\n", "x\n", false),
                new TestCase("shown", "public\n", "public\n", true),
                new TestCase("hidden-2", "y\n", "y\n", false));
        for (int chunks : List.of(1, 2)) {
            Submission s = new Submission(
                    "sub-stash",
                    null,
                    null,
                    "alice",
                    "python",
                    "*",
                    List.of(SourceFile.utf8(null, stash)),
                    tests,
                    CheckerSpec.DEFAULT,
                    Instant.now());
            Judgement j = new Judge(EXECUTOR, Clock.systemUTC(), "test-worker", chunks)
                    .judge(s, tests, CheckerSpec.DEFAULT, new Judge.TestLimits(Duration.ofSeconds(1), 128L << 20), 0, 1)
                    .judgement();
            assertEquals(
                    "public\n",
                    j.tests().get(1).output(),
                    chunks + " chunk(s): the visible test ran in a box of its own: " + j);
            assertEquals(Verdict.AC, j.tests().get(1).verdict());
            nothingSecretForTheSubmitter(j);
        }
    }

    @Test
    void aCheckerThatDoesNotCompileSaysSoToJudges() {
        CheckerSpec broken = new CheckerSpec.Custom(
                "c++", "*", List.of(SourceFile.utf8("check.cpp", "int main() { return nope; }")));
        Judgement j = judge("python", "print('junk')", SECRET_THEN_SAMPLE, broken);
        assertEquals(Verdict.IE, j.verdict());
        assertEquals("the checker failed", j.tests().get(1).message());
        assertTrue(
                j.tests().get(0).judgeMessage().contains("the checker did not compile: "),
                j.tests().get(0).judgeMessage());
        assertTrue(
                j.tests().get(0).judgeMessage().contains("nope"),
                j.tests().get(0).judgeMessage());
    }
}
