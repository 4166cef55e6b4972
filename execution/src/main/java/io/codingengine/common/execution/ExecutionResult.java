package io.codingengine.common.execution;

import java.util.List;
import java.util.stream.Stream;

/**
 * The outcome of an {@link ExecutionRequest}.
 *
 * @param language the resolved language name
 * @param version  the resolved version
 * @param compile  the compile stage, or {@code null} for interpreted languages
 * @param runs     one result per requested run, in order; empty when compilation failed
 * @param session  where it ran, for the audit log and operators ({@code local:<host>/slot-<n>}
 *                 for a local sandbox, {@code dynamic-sessions:<identifier>} for a pool session;
 *                 several, space-separated, when a judging was split); never shown to Piston
 *                 clients; {@code null} when unknown
 */
public record ExecutionResult(
        String language, String version, StageResult compile, List<StageResult> runs, String session) {

    public ExecutionResult {
        runs = List.copyOf(runs);
    }

    /** The same result, run at {@code where}. */
    public ExecutionResult withSession(String where) {
        return new ExecutionResult(language, version, compile, runs, where);
    }

    public boolean compileFailed() {
        return compile != null && !compile.succeeded();
    }

    /**
     * What the sandbox itself reported failing ({@link StageStatus#XX}): the first such stage's
     * message, or null when every stage ran (whatever the program did there).
     */
    public String sandboxFailure() {
        return Stream.concat(Stream.ofNullable(compile), runs.stream())
                .filter(stage -> stage.status() == StageStatus.XX)
                .map(StageResult::message)
                .findFirst()
                .orElse(null);
    }
}
