package io.codingengine.common.audit;

import java.time.Instant;

/**
 * One judged execution, as the audit log keeps it: who ran what, where, and how it ended. The
 * source is kept only as its SHA-256, so the log proves what ran without holding the code.
 *
 * @param submissionId  the submission
 * @param round         its grading round (0, or a regrade's)
 * @param participant   who submitted
 * @param submittedAt   when it was submitted (the entry's partition: retention deletes by day)
 * @param judgedAt      when the verdict was written
 * @param language      the language asked for
 * @param sourceSha256  hex SHA-256 over the files' names and contents, in order
 * @param problemId     the problem, or {@code null} for inline tests
 * @param verdict       the overall verdict
 * @param timeMs        the longest test's CPU time
 * @param memoryBytes   the largest test's peak memory
 * @param worker        the worker that judged it
 * @param session       where the code ran (the worker's session pool and slot kind)
 * @param correlationId the id of the request that submitted it, or {@code null}
 */
public record AuditEntry(String submissionId, long round, String participant, Instant submittedAt, Instant judgedAt,
                         String language, String sourceSha256, String problemId, String verdict, long timeMs,
                         long memoryBytes, String worker, String session, String correlationId) {
}
