package io.codingengine.worker.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.problem.KattisPackage;
import io.codingengine.common.problem.Problem;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Small interactive and multi-pass packages of our own, imported as an admin would and judged
 * against the real executor: a validator that ends before the submission and the reverse, a
 * submission that never reads and one that floods the pipe, multi-pass with and without
 * interaction, in the legacy, 2023-07 and 2025-09 formats.
 */
class InteractivePackagesTest {

    private static final SandboxedExecutor EXECUTOR = executor();
    private static final Judge JUDGE = new Judge(EXECUTOR, Clock.systemUTC(), "test-worker");

    private static SandboxedExecutor executor() {
        try {
            // Its own uids (62300 and 62301, companions 62302 and 62303).
            return SandboxedExecutor.start(
                    SandboxConfig.defaults()
                            .withDataDir(Files.createTempDirectory("ce-interactive-packages-test-"))
                            .withSlots(2)
                            .withUidBase(62300)
                            .withCgroupName("coding-engine-interactive-packages-test"),
                    ExecutorConfig.judging());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * echoes (legacy, {@code validation: custom interactive}, a C validator): the validator sends
     * 1 to n, wants each doubled, then sends 0 and accepts at once, before the submission has
     * read the 0.
     */
    private static Map<String, String> echoes() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("problem.yaml", "name: Echoes\nvalidation: custom interactive\nlimits:\n  time_limit: 1\n");
        files.put("problem_statement/problem.en.md", "Double every number until 0.\n");
        files.put("data/sample/1.in", "3\n");
        files.put("data/sample/1.ans", "\n");
        files.put("data/sample/1.interaction", "<1\n>2\n<2\n>4\n<3\n>6\n<0\n");
        files.put("data/secret/1.in", "10\n");
        files.put("data/secret/1.ans", "\n");
        files.put("data/secret/2.in", "50\n");
        files.put("data/secret/2.ans", "\n");
        files.put("output_validators/echoes/validate.c", """
                #include <stdio.h>
                int main(int argc, char **argv) {
                    int n;
                    FILE *in = fopen(argv[1], "r");
                    if (argc < 4 || !in || fscanf(in, "%d", &n) != 1) return 1;
                    char path[4096];
                    snprintf(path, sizeof path, "%sjudgemessage.txt", argv[3]);
                    FILE *msg = fopen(path, "w");
                    for (int i = 1; i <= n; i++) {
                        printf("%d\\n", i);
                        fflush(stdout);
                        long got;
                        if (scanf("%ld", &got) != 1) { fprintf(msg, "no answer to %d\\n", i); return 43; }
                        if (got != 2L * i) { fprintf(msg, "%d: got %ld\\n", i, got); return 43; }
                    }
                    printf("0\\n");
                    fflush(stdout);
                    fprintf(msg, "all %d doubled\\n", n);
                    return 42;
                }
                """);
        return files;
    }

    /** halves (2023-07, multi-pass, 3 passes): each pass halves the input, until 1. */
    private static Map<String, String> halves(String passes) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(
                "problem.yaml",
                "problem_format_version: 2023-07\nname: Halves\ntype: multi-pass\n" + "limits:\n  time_limit: 1\n"
                        + (passes == null ? "" : "  validation_passes: " + passes + "\n"));
        files.put("statement/problem.en.md", "Halve it.\n");
        files.put("data/sample/1.in", "8\n");
        files.put("data/sample/1.ans", "\n");
        files.put("data/secret/1.in", "5\n");
        files.put("data/secret/1.ans", "\n");
        files.put("output_validator/validate.py", """
                import os, sys
                fb = sys.argv[3]
                n = int(open(sys.argv[1]).read())
                out = sys.stdin.read().split()
                with open(fb + "judgemessage.txt", "a") as log:
                    log.write("%d -> %s; " % (n, out))
                if out != [str(n // 2)]:
                    sys.exit(43)
                if n // 2 > 1:
                    open(fb + "nextpass.in", "w").write(out[0])
                sys.exit(42)
                """);
        return files;
    }

    /** countdown (2025-09, interactive and multi-pass, the default 2 passes): one exchange a pass. */
    private static Map<String, String> countdown() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(
                "problem.yaml",
                "problem_format_version: 2025-09\nname: Countdown\ntype: [interactive, multi-pass]\n"
                        + "limits:\n  time_limit: 1\n");
        files.put("statement/problem.en.md", "Say one less.\n");
        files.put("data/secret/1.in", "7\n");
        files.put("data/secret/1.ans", "\n");
        files.put("output_validator/validate.py", """
                import sys
                n = int(open(sys.argv[1]).read())
                print(n, flush=True)
                line = sys.stdin.readline()
                if line.strip() != str(n - 1):
                    sys.exit(43)
                if n == 7:
                    open(sys.argv[3] + "nextpass.in", "w").write(line)
                sys.exit(42)
                """);
        return files;
    }

    private static Problem read(String name, Map<String, String> files) {
        try {
            Path dir = Files.createTempDirectory("ce-package-").resolve(name);
            for (var file : files.entrySet()) {
                Path path = dir.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            return KattisPackage.read(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Judgement judge(Problem problem, String language, String source) {
        Submission s = submission(problem, language, source);
        return JUDGE.judge(
                        s,
                        problem.tests(),
                        problem.checker(),
                        new Judge.TestLimits(
                                problem.timeLimit(), problem.memoryLimitBytes(), problem.outputLimitBytes()),
                        0,
                        1)
                .judgement();
    }

    private static Submission submission(Problem problem, String language, String source) {
        return new Submission(
                "sub-" + problem.id(),
                problem.id(),
                null,
                "alice",
                language,
                "*",
                java.util.List.of(SourceFile.utf8(null, source)),
                java.util.List.of(),
                null,
                Instant.now());
    }

    private static final String DOUBLER = """
            #include <stdio.h>
            int main(void) {
                long x;
                while (scanf("%ld", &x) == 1 && x != 0) { printf("%ld\\n", 2 * x); fflush(stdout); }
                return RESULT;
            }
            """;

    /**
     * Under ICPC rules no interactive test after the first rejected one is asked for, with an
     * output limit small enough that the judge would otherwise put several in one call; with every
     * test asked for they all run.
     */
    @Test
    void underIcpcRulesNoInteractionAfterTheFirstRejectedTestRuns() {
        Map<String, String> files = echoes();
        files.put(
                "problem.yaml",
                "name: Echoes\nvalidation: custom interactive\nlimits:\n  time_limit: 1\n  output: 1\n");
        files.put("data/secret/3.in", "20\n");
        files.put("data/secret/3.ans", "\n");
        files.put("data/secret/4.in", "30\n");
        files.put("data/secret/4.ans", "\n");
        Problem echoes = read("echoes-icpc", files);
        Submission s = submission(
                echoes, "c", DOUBLER.replace("2 * x", "2 * x + (x == 45)").replace("RESULT", "0"));
        Judge.TestLimits limits =
                new Judge.TestLimits(echoes.timeLimit(), echoes.memoryLimitBytes(), echoes.outputLimitBytes());

        RecordingExecutor ended = new RecordingExecutor(EXECUTOR);
        Judgement j = new Judge(ended, Clock.systemUTC(), "test-worker", 2)
                .judge(s, echoes.tests(), echoes.checker(), limits, echoes.grading(), false, true, 0, 1)
                .judgement();
        assertEquals(Verdict.WA, j.verdict(), j.toString());
        assertEquals(
                List.of(Verdict.AC, Verdict.AC, Verdict.WA, Verdict.NR, Verdict.NR),
                j.tests().stream().map(t -> t.verdict()).toList());
        assertEquals(List.of("3\n", "10\n", "50\n"), ended.inputs, "nothing after the rejected secret/2");

        RecordingExecutor all = new RecordingExecutor(EXECUTOR);
        new Judge(all, Clock.systemUTC(), "test-worker", 2)
                .judge(s, echoes.tests(), echoes.checker(), limits, echoes.grading(), true, true, 0, 1);
        assertEquals(5, all.inputs.size(), all.inputs.toString());
    }

    @Test
    void echoesWithEveryWayOfEnding() {
        Problem echoes = read("echoes", echoes());
        Map<String, Verdict> expected = new LinkedHashMap<>();
        // The validator sends 0 and accepts before the submission read it: accepted all the same.
        expected.put(DOUBLER.replace("RESULT", "0"), Verdict.AC);
        // The submission ends with an error after the validator accepted.
        expected.put(DOUBLER.replace("RESULT", "3"), Verdict.RE);
        // It answers wrong: rejected first.
        expected.put(DOUBLER.replace("2 * x", "2 * x + (x == 7)").replace("RESULT", "0"), Verdict.WA);
        // It ends (normally) before the validator is done: the validator waits, reads EOF and rejects.
        expected.put(DOUBLER.replace("x != 0", "x < 5").replace("RESULT", "0"), Verdict.WA);
        // It never reads: it sleeps until its wall limit, the validator waiting for its answer.
        expected.put("#include <unistd.h>\nint main(void) { sleep(100); return 0; }", Verdict.TLE);
        // It floods the pipe without reading: the validator rejects the second number.
        expected.put("#include <stdio.h>\nint main(void) { for (;;) puts(\"2\"); }", Verdict.WA);
        for (var submission : expected.entrySet()) {
            Judgement j = judge(echoes, "c", submission.getKey());
            assertEquals(submission.getValue(), j.verdict(), submission.getKey() + "\n" + j);
        }
        Judgement accepted = judge(echoes, "c", DOUBLER.replace("RESULT", "0"));
        assertEquals(
                "<1\n>2\n<2\n>4\n<3\n>6\n<0\n",
                accepted.tests().getFirst().output(),
                "the sample's interaction as the package's .interaction file has it");
        assertTrue(
                accepted.tests().get(2).judgeMessage().contains("all 50 doubled"),
                accepted.tests().get(2).judgeMessage());
    }

    @Test
    void halvesRunsAgainOnTheValidatorsNextInput() {
        Problem halves = read("halves", halves("3"));
        Judgement right = judge(halves, "python", "print(int(input()) // 2)");
        assertEquals(Verdict.AC, right.verdict(), right.toString());
        assertTrue(
                right.tests().getFirst().judgeMessage().contains("8 -> ['4']; 4 -> ['2']; 2 -> ['1'];"),
                right.tests().getFirst().judgeMessage());
        assertEquals(
                Verdict.WA,
                judge(halves, "python", "n = int(input())\nprint(n // 2 if n > 2 else 0)")
                        .verdict());
        assertEquals(
                Verdict.RE,
                judge(halves, "python", "n = int(input())\nprint(n // 2)\nassert n > 4")
                        .verdict());
        // Its default of 2 passes is too few for 8: the validator asks for a third, the judge's error.
        Judgement tooFew = judge(read("halves", halves(null)), "python", "print(int(input()) // 2)");
        assertEquals(Verdict.IE, tooFew.verdict(), tooFew.toString());
    }

    @Test
    void countdownTalksInEveryPass() {
        Problem countdown = read("countdown", countdown());
        assertEquals(
                Verdict.AC,
                judge(countdown, "python", "print(int(input()) - 1, flush=True)")
                        .verdict());
        assertEquals(
                Verdict.WA,
                judge(countdown, "python", "n = int(input())\nprint(n - 1 if n == 7 else n, flush=True)")
                        .verdict());
    }
}
