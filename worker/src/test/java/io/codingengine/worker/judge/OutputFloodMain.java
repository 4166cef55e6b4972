package io.codingengine.worker.judge;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges the output flood of {@link JudgeMemoryTest} in a JVM of its own, whose heap the test
 * makes small: {@code OutputFloodMain <tests> <data dir> <uid base>}. Prints the judgement's
 * verdict, its number of tests and the heap's peak use; exits 3 (ExitOnOutOfMemoryError) when the
 * heap runs out.
 */
public final class OutputFloodMain {

    /** The output limit a 1 MiB expected output gives every test: 2 MiB + 4 KiB per stream. */
    static final long LIMIT = 2 * (1L << 20) + 4096;

    /** Writes the whole output limit of bytes that are not UTF-8 to standard output, then to standard error. */
    static final String FLOOD = """
            #include <string.h>
            #include <unistd.h>
            static char b[%d];
            static void put(int fd) { size_t d = 0; while (d < sizeof b) { ssize_t n = write(fd, b + d, sizeof b - d); if (n <= 0) return; d += n; } }
            int main(void) { memset(b, 0xff, sizeof b); put(1); put(2); return 0; }
            """.formatted(LIMIT);

    /** One test whose expected output is 1 MiB (it raises every test's output limit), the others tiny; the first visible. */
    static List<TestCase> tests(int n) {
        List<TestCase> tests = new ArrayList<>();
        tests.add(new TestCase("big", "", "x".repeat(1 << 20), true));
        for (int i = 1; i < n; i++) {
            tests.add(new TestCase("t" + i, "", "y", false));
        }
        return tests;
    }

    static Submission submission(List<TestCase> tests) {
        return new Submission(
                "flood",
                null,
                null,
                "mallory",
                "c",
                "*",
                List.of(SourceFile.utf8("m.c", FLOOD)),
                tests,
                CheckerSpec.DEFAULT,
                Instant.now());
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        try (SandboxedExecutor executor = SandboxedExecutor.start(
                SandboxConfig.defaults()
                        .withDataDir(Path.of(args[1]))
                        .withSlots(2)
                        .withUidBase(Integer.parseInt(args[2]))
                        .withCgroupName("coding-engine-flood-test"),
                ExecutorConfig.defaults())) {
            List<TestCase> tests = tests(n);
            Judgement j = new Judge(executor, Clock.systemUTC(), "flood")
                    .judge(submission(tests), tests, CheckerSpec.DEFAULT, Judge.TestLimits.DEFAULTS, 0, 1)
                    .judgement();
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed())
                    .sum();
            System.out.println(
                    "judged " + j.verdict() + " " + j.tests().size() + " tests, heap peak " + (peak >> 20) + " MiB");
        }
    }
}
