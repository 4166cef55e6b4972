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
 * @param files   files and directories put into the work directory for this run only
 * @param live    for a live run, the client it talks to: its input goes to the program as it
 *                comes, the program's output to it as written; {@code null} for a run on {@code stdin}
 */
public record RunSpec(
        List<String> command,
        Map<String, String> env,
        byte[] stdin,
        StageLimits limits,
        boolean cutStderr,
        List<RunFile> files,
        Conversation live) {

    /** A run that either stream past the output limit stops. */
    public RunSpec(List<String> command, Map<String, String> env, byte[] stdin, StageLimits limits) {
        this(command, env, stdin, limits, false);
    }

    public RunSpec(List<String> command, Map<String, String> env, byte[] stdin, StageLimits limits, boolean cutStderr) {
        this(command, env, stdin, limits, cutStderr, List.of());
    }

    public RunSpec(
            List<String> command,
            Map<String, String> env,
            byte[] stdin,
            StageLimits limits,
            boolean cutStderr,
            List<RunFile> files) {
        this(command, env, stdin, limits, cutStderr, files, null);
    }

    public RunSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        files = List.copyOf(files);
        if (live != null && stdin.length > 0) {
            throw new IllegalArgumentException("a live run's stdin comes from its client");
        }
    }

    /** The same run, talking to {@code client} instead. */
    RunSpec withLive(Conversation client) {
        return new RunSpec(command, env, stdin, limits, cutStderr, files, client);
    }
}
