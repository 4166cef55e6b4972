package io.codingengine.common.judge;

import java.util.Objects;

/**
 * How a submission did on one test.
 *
 * @param testName    the {@link TestCase#name()} it ran
 * @param verdict     the test's verdict
 * @param timeMs      CPU time of the run, in milliseconds ({@code 0} when it did not run)
 * @param memoryBytes peak memory of the run ({@code 0} when it did not run)
 * @param output      what the program wrote to standard output, only for a visible test, else
 *                    {@code null}
 * @param expected    the expected output, only for a visible test, else {@code null}
 * @param message     a short human explanation (checker feedback, signal, limit), or {@code null};
 *                    for a hidden test it must not reveal the test's data
 */
public record TestResult(String testName, Verdict verdict, long timeMs, long memoryBytes,
                         String output, String expected, String message) {

    public TestResult {
        Objects.requireNonNull(testName, "testName");
        Objects.requireNonNull(verdict, "verdict");
        if (timeMs < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("timeMs and memoryBytes must be >= 0");
        }
    }

    /** The result of {@code test}, with its outputs only when the test is visible. */
    public static TestResult of(TestCase test, Verdict verdict, long timeMs, long memoryBytes,
                                String output, String message) {
        return test.visible()
                ? new TestResult(test.name(), verdict, timeMs, memoryBytes, output,
                        test.expectedOutput(), message)
                : new TestResult(test.name(), verdict, timeMs, memoryBytes, null, null, message);
    }
}
