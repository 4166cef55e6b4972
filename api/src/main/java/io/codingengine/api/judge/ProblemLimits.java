package io.codingengine.api.judge;

import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.StageLimits;
import io.codingengine.common.problem.Problem;

/**
 * Whether the executor can run a problem's limits. A problem above the executor's maximum
 * ({@code ExecutorConfig.max()}) would be stored and then judge every submission IE; it is
 * refused when it is imported or its limits are changed instead.
 */
public final class ProblemLimits {

    private static final long MIB = 1L << 20;

    private ProblemLimits() {}

    /** @throws InvalidRequestException (400) naming the limit that is too high and the most allowed */
    public static void check(Problem problem, StageLimits max) {
        if (problem.memoryLimitBytes() > max.memoryBytes()) {
            throw new InvalidRequestException("the memory limit of " + problem.memoryLimitBytes() / MIB
                    + " MiB is above this engine's maximum of " + max.memoryBytes() / MIB + " MiB");
        }
        // A run's wall limit is twice its time limit and a second (Judge.runLimits): both must fit.
        long longestMs = Math.min(max.cpuTime().toMillis(), (max.wallTime().toMillis() - 1000) / 2);
        if (problem.timeLimit().toMillis() > longestMs) {
            throw new InvalidRequestException("the time limit of "
                    + problem.timeLimit().toMillis() + " ms is above this engine's maximum of " + longestMs + " ms");
        }
    }
}
