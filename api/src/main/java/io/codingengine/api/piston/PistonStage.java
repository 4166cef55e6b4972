package io.codingengine.api.piston;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.codingengine.common.execution.StageResult;

/**
 * Piston's stage object ({@code compile} or {@code run}). Every key is always present;
 * {@code code}, {@code signal}, {@code message} and {@code status} are JSON null when unset.
 * Times are milliseconds, memory is bytes.
 */
@JsonPropertyOrder({
    "stdout",
    "stderr",
    "code",
    "signal",
    "output",
    "memory",
    "message",
    "status",
    "cpu_time",
    "wall_time"
})
public record PistonStage(
        String stdout,
        String stderr,
        Integer code,
        String signal,
        String output,
        long memory,
        String message,
        String status,
        @JsonProperty("cpu_time") long cpuTime,
        @JsonProperty("wall_time") long wallTime) {

    static PistonStage of(StageResult r) {
        return new PistonStage(
                r.stdout(),
                r.stderr(),
                r.code(),
                r.signal(),
                r.output(),
                r.memoryBytes(),
                r.message(),
                r.status() == null ? null : r.status().name(),
                r.cpuTimeMs(),
                r.wallTimeMs());
    }
}
