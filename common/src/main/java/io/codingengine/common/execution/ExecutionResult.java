package io.codingengine.common.execution;

import java.util.List;

/**
 * The outcome of an {@link ExecutionRequest}.
 *
 * @param language the resolved language name
 * @param version  the resolved version
 * @param compile  the compile stage, or {@code null} for interpreted languages
 * @param runs     one result per requested run, in order; empty when compilation failed
 */
public record ExecutionResult(String language, String version, StageResult compile,
                              List<StageResult> runs) {

    public ExecutionResult {
        runs = List.copyOf(runs);
    }

    public boolean compileFailed() {
        return compile != null && !compile.succeeded();
    }
}
