package io.codingengine.common.audit;

import java.time.Instant;

/**
 * One execution, as the audit log keeps it: who ran what, where, and how it ended. The source is
 * kept only as its SHA-256, so the log proves what ran without holding the code.
 *
 * @param kind          a judged submission, or a Piston execute
 * @param submissionId  the submission, or the execute's request id
 * @param round         its grading round (0, or a regrade's); 0 for an execute
 * @param participant   who submitted: the participant, or for an execute the caller's key subject
 *                      ({@code anonymous@<address>} without a key)
 * @param submittedAt   when it was submitted or queued (the entry's partition: retention deletes by day)
 * @param judgedAt      when the verdict was written or the run ended
 * @param language      the language asked for
 * @param sourceSha256  hex SHA-256 over the files' names and contents, in order
 * @param problemId     the problem, or {@code null} for inline tests and executes
 * @param verdict       the overall verdict; for an execute the run's status ({@link #executeStatus})
 * @param timeMs        the longest test's (run's) CPU time
 * @param memoryBytes   the largest test's (run's) peak memory
 * @param worker        the worker that ran it
 * @param session       where the code ran ({@link io.codingengine.common.execution.ExecutionResult#session()}),
 *                      or {@code none} when it did not run
 * @param correlationId the id of the request that submitted it, or {@code null}
 */
public record AuditEntry(Kind kind, String submissionId, long round, String participant, Instant submittedAt,
                         Instant judgedAt, String language, String sourceSha256, String problemId, String verdict,
                         long timeMs, long memoryBytes, String worker, String session, String correlationId) {

    /** What was audited. */
    public enum Kind {
        /** a submission judged in one grading round */
        JUDGE,
        /** a synchronous Piston run */
        EXECUTE
    }

    /**
     * The "verdict" of a Piston execute: {@code OK} when compile and every run exited with 0,
     * else the first failing stage's status ({@code CE} for a failed compile, else the run's
     * {@link io.codingengine.common.execution.StageStatus}, e.g. {@code RE}, {@code TO}); {@code INVALID}
     * for a request the executor refused, {@code ERROR} when the engine failed.
     */
    public static String executeStatus(io.codingengine.common.execution.ExecutionResult result) {
        if (result.compileFailed()) {
            return "CE";
        }
        return result.runs().stream().filter(r -> !r.succeeded()).findFirst()
                .map(r -> r.status().name()).orElse("OK");
    }
}
