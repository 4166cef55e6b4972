package io.codingengine.worker.judge;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.TestCase;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Runs a checker program in the sandbox, Kattis output-validator style: started as
 * {@code checker <input> <answer> <feedback-dir>} with the program's output on stdin; exit code
 * 42 accepts, 43 rejects, anything else is the checker's failure. One executor call compiles the
 * checker once and checks every output; the tests' files travel as data files of that call.
 */
final class CustomChecker {

    static final int ACCEPT = 42;
    static final int REJECT = 43;
    private static final LimitRequest LIMITS = new LimitRequest(Duration.ofSeconds(10), Duration.ofSeconds(20),
            512L << 20, 64L * 1024);

    private final Executor executor;

    CustomChecker(Executor executor) {
        this.executor = executor;
    }

    /**
     * The checker's answers, one per test ({@code null} where it gave none), and why its sandbox
     * failed when it did ({@link ExecutionResult#sandboxFailure}), else null.
     */
    record Checked(List<OutputChecker.Answer> answers, String sandboxFailure) {
    }

    /** Runs the checker once over every output, in order. */
    Checked check(CheckerSpec.Custom checker, List<TestCase> tests, List<String> outputs) {
        List<SourceFile> files = new ArrayList<>(checker.files());
        List<RunInput> runs = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            String in = "tests/" + i + ".in", ans = "tests/" + i + ".ans";
            files.add(data(in, tests.get(i).input()));
            files.add(data(ans, tests.get(i).expectedOutput()));
            runs.add(new RunInput(outputs.get(i), List.of(in, ans, ".")));
        }
        ExecutionResult result = executor.execute(new ExecutionRequest(checker.language(), checker.version(),
                files, Map.of(), null, LIMITS, runs));
        List<OutputChecker.Answer> answers = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            answers.add(result.compileFailed() ? null : answer(result.runs().get(i)));
        }
        return new Checked(answers, result.sandboxFailure());
    }

    private static OutputChecker.Answer answer(StageResult run) {
        if (run.code() == null) {
            return null;
        }
        String feedback = (run.stdout() + run.stderr()).strip();
        return switch (run.code()) {
            case ACCEPT -> OutputChecker.Answer.OK;
            case REJECT -> OutputChecker.Answer.wrong(feedback.isEmpty() ? "rejected by the checker" : feedback);
            default -> null;
        };
    }

    // Data files are base64 so that no language treats them as source code.
    private static SourceFile data(String name, String text) {
        return new SourceFile(name, Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)),
                SourceFile.Encoding.BASE64);
    }
}
