package io.codingengine.common.execution;

import java.util.List;
import java.util.Objects;

/**
 * The input of one run of a compiled program: one test.
 *
 * @param stdin bytes fed to standard input, as text (UTF-8); then standard input is closed
 * @param args  command-line arguments after the program; no NUL characters
 */
public record RunInput(String stdin, List<String> args) {

    public RunInput {
        stdin = Objects.requireNonNullElse(stdin, "");
        args = List.copyOf(Objects.requireNonNullElse(args, List.of()));
        if (args.stream().anyMatch(a -> a.indexOf('\0') >= 0)) {
            // execve takes C strings: a NUL would silently split or cut the argument.
            throw new InvalidRequestException("args must not contain NUL characters");
        }
    }
}
