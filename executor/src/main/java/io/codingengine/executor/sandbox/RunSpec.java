package io.codingengine.executor.sandbox;

import io.codingengine.common.execution.Conversation;
import io.codingengine.common.execution.StageLimits;

import java.util.List;
import java.util.Map;

/**
 * One program to run in a box.
 *
 * @param command argv; the first element is a path inside the box (or found on its PATH)
 * @param env     the complete environment (nothing of the host's is passed)
 * @param stdin   bytes for standard input, then EOF (empty for a live run)
 * @param limits  every limit of the run
 * @param cutStderr whether standard error past the output limit is cut short while the program
 *                runs on, instead of stopping it
 * @param live    for a live run, the client it talks to: its input goes to the program as it
 *                comes, the program's output to it as written; {@code null} for a run on {@code stdin}
 */
public record RunSpec(List<String> command, Map<String, String> env, byte[] stdin, StageLimits limits,
                      boolean cutStderr, Conversation live) {

    /** A run that either stream past the output limit stops. */
    public RunSpec(List<String> command, Map<String, String> env, byte[] stdin, StageLimits limits) {
        this(command, env, stdin, limits, false, null);
    }

    public RunSpec(List<String> command, Map<String, String> env, byte[] stdin, StageLimits limits,
                   boolean cutStderr) {
        this(command, env, stdin, limits, cutStderr, null);
    }

    public RunSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }
}
