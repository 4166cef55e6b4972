package io.codingengine.common.execution;

import java.time.Duration;

/**
 * The limits a request asks for; each {@code null} field keeps the language's default. The
 * executor refuses values above its configured maximum and never treats a value as "unlimited".
 *
 * @param cpuTime     CPU time of the stage
 * @param wallTime    wall time of the stage
 * @param memoryBytes memory of the stage
 * @param outputBytes captured bytes per stream
 * @param cutStderr   whether standard error past {@code outputBytes} is cut short while the
 *                    program runs on, as a judge that ignores standard error wants it (Kattis
 *                    does); otherwise writing past the limit to either stream stops the program,
 *                    Piston's behaviour. Absent (null) means off.
 */
public record LimitRequest(Duration cpuTime, Duration wallTime, Long memoryBytes, Long outputBytes, Boolean cutStderr) {

    public static final LimitRequest DEFAULTS = new LimitRequest(null, null, null, null);

    /** Limits under which either stream past its limit stops the program. */
    public LimitRequest(Duration cpuTime, Duration wallTime, Long memoryBytes, Long outputBytes) {
        this(cpuTime, wallTime, memoryBytes, outputBytes, false);
    }

    public LimitRequest {
        if (cpuTime != null && cpuTime.toMillis() <= 0
                || wallTime != null && wallTime.toMillis() <= 0
                || memoryBytes != null && memoryBytes <= 0
                || outputBytes != null && outputBytes <= 0) {
            throw new InvalidRequestException("limits must be positive");
        }
        cutStderr = Boolean.TRUE.equals(cutStderr);
    }
}
