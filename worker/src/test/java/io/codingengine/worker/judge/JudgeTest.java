package io.codingengine.worker.judge;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            return SandboxedExecutor.start(SandboxConfig.defaults()
                    .withDataDir(Files.createTempDirectory("ce-judge-test-")).withSlots(2)
                    .withCgroupName("coding-engine-test"), ExecutorConfig.defaults());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Judgement judge(String language, String source, List<TestCase> tests, CheckerSpec checker) {
        Submission s = new Submission("sub-1", null, null, "alice", language, "*",
                List.of(SourceFile.utf8(null, source)), tests, checker, Instant.now());
        return JUDGE.judge(s, tests, checker, new Judge.TestLimits(Duration.ofSeconds(1), 128L << 20), 0, 1).judgement();
    }

    @Test
    void acceptedInEveryLanguage() {
        for (var entry : java.util.Map.of(
                "python", "a, b = map(int, input().split())\nprint(a + b)",
                "c++", "#include <iostream>\nint main(){ long a, b; std::cin >> a >> b; std::cout << a + b << '\\n'; }",
                "java", "import java.util.*;\npublic class Main { public static void main(String[] x){ Scanner s = new Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); } }")
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
        Submission s = new Submission("sub-par", null, null, "alice", "c", "*",
                List.of(SourceFile.utf8(null, source)), tests, CheckerSpec.DEFAULT, Instant.now());
        Judge.TestLimits limits = new Judge.TestLimits(Duration.ofSeconds(1), 128L << 20);
        Judgement parallel = new Judge(EXECUTOR, Clock.systemUTC(), "test-worker", 3).judge(s, tests, CheckerSpec.DEFAULT, limits, 0, 1).judgement();
        Judgement sequential = new Judge(EXECUTOR, Clock.systemUTC(), "test-worker", 1).judge(s, tests, CheckerSpec.DEFAULT, limits, 0, 1).judgement();
        List<Verdict> expected = List.of(Verdict.AC, Verdict.AC, Verdict.WA, Verdict.AC, Verdict.TLE, Verdict.AC, Verdict.AC);
        assertEquals(expected, parallel.tests().stream().map(t -> t.verdict()).toList(), parallel.toString());
        assertEquals(expected, sequential.tests().stream().map(t -> t.verdict()).toList());
        assertEquals(Verdict.WA, parallel.verdict(), "the first failing test decides, in test order");
        assertEquals(tests.stream().map(TestCase::name).toList(), parallel.tests().stream().map(t -> t.testName()).toList());
        assertTrue(parallel.tests().get(4).timeMs() >= 1000, "the time limit is CPU time of the run alone");
    }

    @Test
    void wrongAnswerOnTheRightTest() {
        Judgement j = judge("python", "a, b = map(int, input().split())\nprint(a + b if a > 0 else 1)", SUM_TESTS, CheckerSpec.DEFAULT);
        assertEquals(Verdict.WA, j.verdict());
        assertEquals(List.of(Verdict.AC, Verdict.AC, Verdict.WA), j.tests().stream().map(t -> t.verdict()).toList());
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
        assertEquals(Verdict.TLE, judge("python", "while True: pass", SUM_TESTS, CheckerSpec.DEFAULT).verdict());
        assertEquals(Verdict.MLE, judge("c++", "#include <vector>\nint main(){ std::vector<long> v(1L << 26, 1); return v[5] - 1; }",
                SUM_TESTS, CheckerSpec.DEFAULT).verdict());
        assertEquals(Verdict.RE, judge("python", "raise SystemExit(2)", SUM_TESTS, CheckerSpec.DEFAULT).verdict());
        assertEquals(Verdict.OLE, judge("python", "while True: print('x' * 1000)", SUM_TESTS, CheckerSpec.DEFAULT).verdict());
    }

    @Test
    void floatTolerance() {
        List<TestCase> tests = List.of(new TestCase("t", "", "0.3333333333\n", true));
        assertEquals(Verdict.AC, judge("python", "print(1/3 + 1e-9)", tests, CheckerSpec.Floats.DEFAULT).verdict());
        assertEquals(Verdict.WA, judge("python", "print(0.34)", tests, CheckerSpec.Floats.DEFAULT).verdict());
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
        List<TestCase> tests = List.of(new TestCase("t1", "10\n", "5 5\n", true), new TestCase("t2", "7\n", "3 4\n", false));
        Judgement ok = judge("python", "n = int(input())\nprint(1, n - 1)", tests, checker);
        assertEquals(Verdict.AC, ok.verdict(), ok.toString());
        Judgement wrong = judge("python", "n = int(input())\nprint(n)", tests, checker);
        assertEquals(Verdict.WA, wrong.verdict());
        assertEquals("not two integers", wrong.tests().get(0).message());
        CheckerSpec broken = new CheckerSpec.Custom("python", "*", List.of(SourceFile.utf8("check.py", "raise Exception('bug')")));
        assertEquals(Verdict.IE, judge("python", "print(1)", tests, broken).verdict(), "a crashing checker is the engine's problem");
    }
}
