package io.codingengine.common.judge;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.Objects;

/**
 * How a submission did on one test, as the judge stores it. What of it a client sees depends on
 * who asks: an admin sees all of it; anyone else {@link #forParticipant()}.
 *
 * @param testName     the {@link TestCase#name()} it ran
 * @param verdict      the test's verdict
 * @param timeMs       CPU time of the run, in milliseconds ({@code 0} when it did not run)
 * @param memoryBytes  peak memory of the run ({@code 0} when it did not run)
 * @param output       what the program wrote to standard output, only for a visible test, else
 *                     {@code null}
 * @param expected     the expected output, only for a visible test, else {@code null}
 * @param message      what the submitter may read about a visible test (the built-in checker's
 *                     explanation, the exit code or signal, a custom checker's
 *                     {@code teammessage.txt}), or {@code null}; always {@code null} for a hidden
 *                     test, whose every detail may be derived from its data
 * @param judgeMessage for judges only, never shown to the submitter: a custom checker's
 *                     {@code judgemessage.txt}, its exit code, standard output and error, why a
 *                     checker failed, and for a hidden test also what {@code message} would have
 *                     said; or {@code null}
 * @param visible      the test's {@link TestCase#visible()}: whether the submitter may see its
 *                     data and the details above; false in results stored before the field
 *                     existed, which are then shown as hidden
 */
public record TestResult(
        String testName,
        Verdict verdict,
        long timeMs,
        long memoryBytes,
        String output,
        String expected,
        String message,
        String judgeMessage,
        @JsonSetter(nulls = Nulls.AS_EMPTY) boolean visible) {

    public TestResult {
        Objects.requireNonNull(testName, "testName");
        Objects.requireNonNull(verdict, "verdict");
        if (timeMs < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("timeMs and memoryBytes must be >= 0");
        }
    }

    /**
     * The result of {@code test}. A visible test keeps its output, expected output and
     * {@code message}; a hidden one keeps none of them, and its {@code message} joins the
     * {@code judgeMessage}.
     *
     * @param message      what the submitter may read if the test is visible, or {@code null}
     * @param judgeMessage what only judges may read, or {@code null}
     */
    public static TestResult of(
            TestCase test,
            Verdict verdict,
            long timeMs,
            long memoryBytes,
            String output,
            String message,
            String judgeMessage) {
        return test.visible()
                ? new TestResult(
                        test.name(),
                        verdict,
                        timeMs,
                        memoryBytes,
                        output,
                        test.expectedOutput(),
                        message,
                        judgeMessage,
                        true)
                : new TestResult(
                        test.name(),
                        verdict,
                        timeMs,
                        memoryBytes,
                        null,
                        null,
                        null,
                        join(message, judgeMessage),
                        false);
    }

    /**
     * What a participant (or any caller but an admin) may see: for a visible test all but the
     * judge message; for a hidden test its name, verdict, time and memory only.
     */
    public TestResult forParticipant() {
        return visible
                ? new TestResult(testName, verdict, timeMs, memoryBytes, output, expected, message, null, true)
                : new TestResult(testName, verdict, timeMs, memoryBytes, null, null, null, null, false);
    }

    /**
     * This result without the test's expected output: an interactive or multi-pass test's answer
     * is its output validator's data, which a visible test's result does not show either.
     */
    public TestResult withoutExpected() {
        return new TestResult(testName, verdict, timeMs, memoryBytes, output, null, message, judgeMessage, visible);
    }

    private static String join(String first, String second) {
        if (first == null || first.isBlank()) {
            return second;
        }
        return second == null || second.isBlank() ? first : first + "\n" + second;
    }
}
