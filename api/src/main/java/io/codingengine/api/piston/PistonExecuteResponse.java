package io.codingengine.api.piston;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.codingengine.common.execution.ExecutionResult;

/**
 * The body of a successful {@code POST /api/v2/execute}, keys in Piston's order. {@code compile}
 * is left out for interpreted languages; when compilation fails, {@code run} is the compile
 * stage again (Piston's "backward compatibility" rule).
 */
@JsonPropertyOrder({"compile", "run", "language", "version"})
public record PistonExecuteResponse(
        @JsonInclude(JsonInclude.Include.NON_NULL) PistonStage compile,
        PistonStage run,
        String language,
        String version) {

    static PistonExecuteResponse of(ExecutionResult result) {
        PistonStage compile = result.compile() == null ? null : PistonStage.of(result.compile());
        PistonStage run =
                result.compileFailed() ? compile : PistonStage.of(result.runs().getFirst());
        return new PistonExecuteResponse(compile, run, result.language(), result.version());
    }
}
