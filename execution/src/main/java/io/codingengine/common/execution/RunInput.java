package io.codingengine.common.execution;

import java.util.List;
import java.util.Objects;

/**
 * The input of one run of a compiled program: one test.
 *
 * @param stdin bytes fed to standard input, as text (UTF-8); then standard input is closed
 * @param args  command-line arguments after the program
 */
public record RunInput(String stdin, List<String> args) {

    public RunInput {
        stdin = Objects.requireNonNullElse(stdin, "");
        args = List.copyOf(Objects.requireNonNullElse(args, List.of()));
    }
}
