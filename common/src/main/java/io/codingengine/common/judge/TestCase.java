package io.codingengine.common.judge;

import java.util.Objects;

/**
 * One test of a problem or of a submission that carries its own tests.
 *
 * @param name           unique within its problem or submission ({@code "sample/1"},
 *                       {@code "secret/big-03"}); shown to the submitter
 * @param input          what the program reads on standard input (UTF-8 text)
 * @param expectedOutput the output the checker compares against
 * @param visible        true when the submitter may see the input, the expected output and the
 *                       program's output for this test (samples and the submitter's own tests);
 *                       false for secret tests, whose data never leaves the server side
 */
public record TestCase(String name, String input, String expectedOutput, boolean visible) {

    public TestCase {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a test needs a name");
        }
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(expectedOutput, "expectedOutput");
    }
}
