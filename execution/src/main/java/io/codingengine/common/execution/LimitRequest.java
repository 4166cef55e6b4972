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
 */
public record LimitRequest(Duration cpuTime, Duration wallTime, Long memoryBytes, Long outputBytes) {

    public static final LimitRequest DEFAULTS = new LimitRequest(null, null, null, null);

    public LimitRequest {
        if (cpuTime != null && cpuTime.toMillis() <= 0 || wallTime != null && wallTime.toMillis() <= 0
                || memoryBytes != null && memoryBytes <= 0 || outputBytes != null && outputBytes <= 0) {
            throw new InvalidRequestException("limits must be positive");
        }
    }
}
