package io.codingengine.worker.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.GroupResult;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.problem.KattisPackage;
import io.codingengine.common.problem.Problem;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Problems with test data groups judged against the real executor: lazy judging that stops at
 * the first rejection where {@code on_reject: break} says so (tests not run are NR), every test
 * when asked, group scores by their accept scores and aggregation, per-group flags reaching the
 * default and custom output validators, and a custom validator's {@code score.txt}.
 */
class JudgeGroupsTest {

    private static final SandboxedExecutor EXECUTOR = executor();

    @TempDir
    Path tmp;

    private static SandboxedExecutor executor() {
        try {
            return SandboxedExecutor.start(
                    SandboxConfig.defaults()
                            .withDataDir(Files.createTempDirectory("ce-judge-groups-test-"))
                            .withSlots(2)
                            .withUidBase(62600)
                            .withCgroupName("coding-engine-judge-groups-test"),
                    ExecutorConfig.defaults());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Problem problem(String id, Map<String, String> files) throws IOException {
        Path dir = tmp.resolve(id);
        for (var file : files.entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return KattisPackage.read(id, dir);
    }

    private static Submission submission(Problem p, String source) {
        return new Submission(
                "sub-" + p.id(),
                p.id(),
                null,
                "alice",
                "python",
                "*",
                List.of(SourceFile.utf8(null, source)),
                List.of(),
                null,
                Instant.now());
    }

    private static Judgement judge(Problem p, String source, int lanes, boolean allTests) {
        Submission s = submission(p, source);
        return new Judge(EXECUTOR, Clock.systemUTC(), "test-worker", lanes)
                .judge(
                        s,
                        p.tests(),
                        p.checker(),
                        new Judge.TestLimits(p.timeLimit(), p.memoryLimitBytes(), p.outputLimitBytes()),
                        p.grading(),
                        allTests,
                        0,
                        1)
                .judgement();
    }

    private static GroupResult group(Judgement j, String name) {
        return j.groups().stream()
                .filter(g -> g.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static List<Verdict> verdicts(Judgement j) {
        return j.tests().stream().map(TestResult::verdict).toList();
    }

    /** Echo problems: each test's answer is its input. */
    private static Map<String, String> echo(String yaml) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("problem.yaml", "name: Echo\n" + yaml + "limits:\n  time_limit: 2\n");
        files.put("problem_statement/problem.en.md", "Echo the line.\n");
        return files;
    }

    private static void test(Map<String, String> files, String stem, String text) {
        files.put("data/" + stem + ".in", text + "\n");
        files.put("data/" + stem + ".ans", text + "\n");
    }

    /** Echoes, but prints "wrong" for an input starting with "x". */
    private static final String WRONG_ON_X = "s = input()\nprint('wrong' if s.startswith('x') else s)\n";

    @Test
    void aPassFailProblemStopsAtItsFirstRejectedTestUnlessEveryTestIsAsked() throws IOException {
        Map<String, String> files = echo("");
        test(files, "sample/1", "a");
        for (int i = 1; i <= 6; i++) {
            test(files, "secret/" + i, i == 2 ? "x2" : i == 5 ? "x5" : "s" + i);
        }
        Problem p = problem("lazy", files);
        List<Verdict> lazy =
                List.of(Verdict.AC, Verdict.AC, Verdict.WA, Verdict.NR, Verdict.NR, Verdict.NR, Verdict.NR);
        for (int lanes : new int[] {1, 2}) {
            Judgement j = judge(p, WRONG_ON_X, lanes, false);
            assertEquals(Verdict.WA, j.verdict(), j.toString());
            assertEquals(
                    lazy, verdicts(j), "lanes " + lanes + ": tests after the rejection are not run (or not counted)");
            TestResult notRun = j.tests().get(4);
            assertEquals(0, notRun.timeMs());
            assertTrue(notRun.judgeMessage().contains("not run"), notRun.toString());
            assertEquals(28, j.score(), "2 of 7 tests accepted: tests not run count as not accepted");
            assertEquals(Verdict.WA, group(j, "secret").verdict());
            assertEquals(2, group(j, "secret").testsRun());
            assertNull(group(j, "secret").score(), "a pass-fail problem's groups have no score");
        }
        Judgement all = judge(p, WRONG_ON_X, 2, true);
        assertEquals(
                List.of(Verdict.AC, Verdict.AC, Verdict.WA, Verdict.AC, Verdict.AC, Verdict.WA, Verdict.AC),
                verdicts(all),
                "every test, as a regrade may ask");
        assertEquals(Verdict.WA, all.verdict());
        assertEquals(2, group(all, "secret").testsRun(), "the tests after the rejection still do not count");
        assertEquals(71, all.score(), "5 of 7 tests accepted: the share counts every test run");

        // on_reject: continue runs on, and the verdict is the worst error.
        files.put("data/testdata.yaml", "on_reject: continue\n");
        Problem q = problem("continue", files);
        Judgement j = judge(q, WRONG_ON_X, 1, false);
        assertEquals(
                List.of(Verdict.AC, Verdict.AC, Verdict.WA, Verdict.AC, Verdict.AC, Verdict.WA, Verdict.AC),
                verdicts(j));
        assertEquals(4, group(j, "secret").testsAccepted(), "6 secret tests, 2 rejected");
        assertEquals(71, j.score());
    }

    /**
     * A scoring problem: g1 (3 tests worth 10, continue, case-sensitive by its own flags), g2 (3
     * tests worth 35 at their minimum, stopping at a rejection), g3/a and g3/b nested (worth 8.75
     * a test), secret accepted when one group is.
     */
    private Problem scoring() throws IOException {
        Map<String, String> files = echo("type: scoring\n");
        files.put("data/testdata.yaml", "on_reject: continue\ngrader_flags: ignore_sample\nrange: 0 100\n");
        files.put("data/sample/testdata.yaml", "accept_score: 0\nrange: 0 0\n");
        test(files, "sample/1", "a");
        files.put("data/secret/testdata.yaml", "grader_flags: first_error accept_if_any_accepted\n");
        files.put(
                "data/secret/g1/testdata.yaml",
                "accept_score: 10\nrange: 0 30\ngrader_flags: sum\n" + "output_validator_flags: case_sensitive\n");
        files.put(
                "data/secret/g2/testdata.yaml", "on_reject: break\naccept_score: 35\nrange: 0 35\ngrader_flags: min\n");
        files.put("data/secret/g3/testdata.yaml", "accept_score: 8.75\ngrader_flags: sum\n");
        for (int i = 1; i <= 3; i++) {
            test(files, "secret/g1/" + i, "One" + i);
            test(files, "secret/g2/" + i, "Two" + i);
        }
        test(files, "secret/g3/a/1", "a1");
        test(files, "secret/g3/a/2", "a2");
        test(files, "secret/g3/b/1", "b1");
        test(files, "secret/g3/b/2", "x-b2");
        return problem("scoring", files);
    }

    /**
     * Where the first rejected test ends the judging (ICPC rules), the tests after it are not run
     * even where the package says {@code on_reject: continue}, and the verdict is that test's, not
     * the grader's worst error of the later ones; with every test asked for, they all run.
     */
    @Test
    void theFirstRejectedTestEndsTheJudgingWhenAskedWhateverThePackageWouldStillRun() throws IOException {
        Map<String, String> files = echo("");
        files.put("data/secret/testdata.yaml", "on_reject: continue\n");
        test(files, "sample/1", "a");
        test(files, "secret/1", "s1");
        test(files, "secret/2", "x2");
        test(files, "secret/3", "s3");
        test(files, "secret/4", "boom");
        Problem p = problem("firstends", files);
        String source = "import sys\ns = input()\nif s == 'boom': sys.exit(3)\n"
                + "print('wrong' if s.startswith('x') else s)\n";
        Submission s = submission(p, source);
        Judge judge = new Judge(EXECUTOR, Clock.systemUTC(), "test-worker", 2);
        Judge.TestLimits limits = new Judge.TestLimits(p.timeLimit(), p.memoryLimitBytes(), p.outputLimitBytes());

        Judgement graded = judge.judge(s, p.tests(), p.checker(), limits, p.grading(), false, false, 0, 1)
                .judgement();
        assertEquals(Verdict.RE, graded.verdict(), "the package runs on: the worst error is a later test's");

        Judgement ended = judge.judge(s, p.tests(), p.checker(), limits, p.grading(), false, true, 0, 1)
                .judgement();
        assertEquals(Verdict.WA, ended.verdict(), ended.toString());
        assertEquals(List.of(Verdict.AC, Verdict.AC, Verdict.WA, Verdict.NR, Verdict.NR), verdicts(ended));

        Judgement all = judge.judge(s, p.tests(), p.checker(), limits, p.grading(), true, true, 0, 1)
                .judgement();
        assertEquals(List.of(Verdict.AC, Verdict.AC, Verdict.WA, Verdict.AC, Verdict.RE), verdicts(all));
    }

    /**
     * Under ICPC rules no test after the first rejected one is run, not just not shown, whatever
     * the output limit: with a small one the judge used to put several tests in one executor call
     * (which runs them all) and run two lanes at once (the other lane's call was waited for), so
     * a program that slept on a later hidden test made the judging last longer. With every test
     * asked for they all run, batched and on two lanes.
     */
    @Test
    void underIcpcRulesNoTestAfterTheFirstRejectedOneRunsWhateverTheOutputLimit() throws IOException {
        for (int outputMib : new int[] {1, 4}) {
            Map<String, String> files = new LinkedHashMap<>();
            files.put("problem.yaml", "name: Echo\nlimits:\n  time_limit: 2\n  output: " + outputMib + "\n");
            files.put("problem_statement/problem.en.md", "Echo the line.\n");
            files.put("data/secret/testdata.yaml", "on_reject: continue\n");
            test(files, "sample/1", "a");
            List<String> later = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                test(files, "secret/" + i, i == 2 ? "x2" : "s" + i);
                if (i > 2) {
                    later.add("s" + i + "\n");
                }
            }
            Problem p = problem("icpc" + outputMib, files);
            assertEquals((long) outputMib << 20, p.outputLimitBytes());
            Submission s = submission(p, WRONG_ON_X);
            Judge.TestLimits limits = new Judge.TestLimits(p.timeLimit(), p.memoryLimitBytes(), p.outputLimitBytes());

            RecordingExecutor ended = new RecordingExecutor(EXECUTOR);
            Judgement j = new Judge(ended, Clock.systemUTC(), "test-worker", 2)
                    .judge(s, p.tests(), p.checker(), limits, p.grading(), false, true, 0, 1)
                    .judgement();
            assertEquals(Verdict.WA, j.verdict(), j.toString());
            assertEquals(
                    List.of(
                            Verdict.AC,
                            Verdict.AC,
                            Verdict.WA,
                            Verdict.NR,
                            Verdict.NR,
                            Verdict.NR,
                            Verdict.NR,
                            Verdict.NR,
                            Verdict.NR),
                    verdicts(j));
            assertEquals(
                    List.of("a\n", "s1\n", "x2\n"),
                    ended.inputs,
                    outputMib + " MiB: the tests run, in order, up to the first rejected one and no further");

            RecordingExecutor all = new RecordingExecutor(EXECUTOR);
            Judgement every = new Judge(all, Clock.systemUTC(), "test-worker", 2)
                    .judge(s, p.tests(), p.checker(), limits, p.grading(), true, true, 0, 1)
                    .judgement();
            assertEquals(Verdict.AC, every.tests().get(3).verdict(), every.toString());
            assertEquals(9, all.inputs.size(), outputMib + " MiB, every test asked for: " + all.inputs);
            assertTrue(all.inputs.containsAll(later), all.inputs.toString());
        }
    }

    @Test
    void aScoringProblemScoresItsGroups() throws IOException {
        Problem p = scoring();
        Judgement all = judge(p, "print(input())", 2, false);
        assertEquals(Verdict.AC, all.verdict(), all.toString());
        assertEquals(100, all.score());
        assertEquals(35.0, group(all, "secret/g3").score());

        // Lower case: g1's own case_sensitive flag rejects it (0 of 30), the others' default validator does not.
        // g3/b's last test fails: 3 of 4 tests, 26.25. Secret accepted (accept_if_any_accepted): 61.25, shown 61.
        Judgement lower = judge(p, "s = input()\nprint('wrong' if s.startswith('x') else s.lower())", 1, false);
        assertEquals(Verdict.WA, group(lower, "secret/g1").verdict());
        assertEquals(3, group(lower, "secret/g1").testsRun(), "g1 continues past a rejection");
        assertEquals(0.0, group(lower, "secret/g1").score());
        assertEquals(Verdict.AC, group(lower, "secret/g2").verdict(), "the default validator ignores case");
        assertEquals(26.25, group(lower, "secret/g3").score());
        assertEquals(Verdict.WA, group(lower, "secret/g3/b").verdict());
        assertEquals(61.25, group(lower, "data").score());
        assertEquals(Verdict.AC, lower.verdict());
        assertEquals(61, lower.score());

        // g2 stops at its first rejection: its other tests are not run, it scores its minimum, 0.
        Judgement min = judge(p, "s = input()\nprint('wrong' if s == 'Two1' else s)", 1, false);
        assertEquals(
                List.of(Verdict.WA, Verdict.NR, Verdict.NR),
                min.tests().stream()
                        .filter(t -> t.testName().startsWith("secret/g2/"))
                        .map(TestResult::verdict)
                        .toList());
        assertEquals(0.0, group(min, "secret/g2").score());
        assertEquals(1, group(min, "secret/g2").testsRun());
        assertEquals(65, min.score(), "30 + 0 + 35");
    }

    @Test
    void aCustomValidatorGetsItsGroupsArgumentsAndItsScoreCounts() throws IOException {
        Map<String, String> files = echo("type: scoring\nvalidation: custom\nvalidator_flags: --base 1\n");
        files.put("output_validators/points/validate.py", """
                import os, sys
                answer = open(sys.argv[2]).read().split()
                output = sys.stdin.read().split()
                args = sys.argv[4:]
                assert args[:2] == ['--base', '1'], args
                if output != answer:
                    sys.exit(43)
                points = float(args[args.index('--points') + 1]) if '--points' in args else 0
                with open(os.path.join(sys.argv[3], 'score.txt'), 'w') as f:
                    f.write(str(points + 1))
                sys.exit(42)
                """);
        files.put("data/secret/testdata.yaml", "on_reject: continue\n");
        files.put("data/secret/ga/testdata.yaml", "output_validator_flags: --points 6\n");
        files.put("data/secret/gb/testdata.yaml", "output_validator_flags: --points 2\non_reject: continue\n");
        test(files, "secret/ga/1", "a");
        test(files, "secret/ga/2", "b");
        test(files, "secret/gb/1", "c");
        test(files, "secret/gb/2", "x");
        Problem p = problem("points", files);
        Judgement j = judge(p, WRONG_ON_X, 2, false);
        assertEquals(14.0, group(j, "secret/ga").score(), j.toString());
        assertEquals(3.0, group(j, "secret/gb").score(), "the rejected test scores reject_score, 0");
        assertEquals(Verdict.WA, j.verdict());
        assertEquals(0, j.score(), "a rejected legacy scoring submission scores nothing");
        assertEquals(17.0, group(j, "data").score());
        Judgement ok = judge(p, "print(input())", 2, false);
        assertEquals(Verdict.AC, ok.verdict(), ok.toString());
        assertEquals(20, ok.score(), "(6 + 1) * 2 + (2 + 1) * 2");
    }
}
