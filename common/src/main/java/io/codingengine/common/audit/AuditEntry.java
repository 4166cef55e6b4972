package io.codingengine.common.audit;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

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
 * @param problemType   for a judged submission, the kind of problem it was judged as
 *                      ({@link io.codingengine.common.judge.CheckerSpec#problemType}:
 *                      {@code interactive}, {@code multi-pass} or {@code plain}); {@code null}
 *                      for an execute, and for entries written before entries had it
 */
public record AuditEntry(
        Kind kind,
        String submissionId,
        long round,
        String participant,
        Instant submittedAt,
        Instant judgedAt,
        String language,
        String sourceSha256,
        String problemId,
        String verdict,
        long timeMs,
        long memoryBytes,
        String worker,
        String session,
        String correlationId,
        String problemType) {

    /** What was audited. */
    public enum Kind {
        /** a submission judged in one grading round */
        JUDGE,
        /** a synchronous Piston run */
        EXECUTE
    }

    /** The {@code session} of an entry whose code did not run. */
    public static final String NOWHERE = "none";

    /**
     * The {@code session} of an entry written by a later delivery of the round, after the worker
     * that judged it died between storing the verdict and writing the entry: where it ran is not
     * stored with the verdict.
     */
    public static final String UNKNOWN_SESSION = "unknown";

    /**
     * The {@code verdict} of an execute's entry written by a later delivery that found its
     * deadline passed: an earlier delivery may have run it and answered, and died before writing
     * its entry, or none ran it (a broker that froze counts deliveries that no worker received).
     */
    public static final String UNKNOWN_OUTCOME = "UNKNOWN";

    /**
     * The entry of a Piston execute.
     *
     * @param result  what ran, or {@code null} when the executor refused the request or failed
     * @param status  {@link #executeStatus} of the result, or {@code INVALID} / {@code ERROR} /
     *                {@code BUSY} / {@value #UNKNOWN_OUTCOME}
     */
    public static AuditEntry execute(
            String requestId,
            String caller,
            Instant queuedAt,
            Instant endedAt,
            ExecutionRequest request,
            ExecutionResult result,
            String status,
            String worker,
            String correlationId) {
        List<StageResult> runs = result == null ? List.of() : result.runs();
        return new AuditEntry(
                Kind.EXECUTE,
                requestId,
                0,
                caller,
                queuedAt,
                endedAt,
                request.language(),
                sourceSha256(request.files()),
                null,
                status,
                runs.stream().mapToLong(StageResult::cpuTimeMs).max().orElse(0),
                runs.stream().mapToLong(StageResult::memoryBytes).max().orElse(0),
                worker,
                sessionOf(result),
                correlationId,
                null);
    }

    /** This entry with {@code session} instead. */
    public AuditEntry withSession(String session) {
        return new AuditEntry(
                kind,
                submissionId,
                round,
                participant,
                submittedAt,
                judgedAt,
                language,
                sourceSha256,
                problemId,
                verdict,
                timeMs,
                memoryBytes,
                worker,
                session,
                correlationId,
                problemType);
    }

    /** Where {@code result} ran ({@link ExecutionResult#session()}); {@value #NOWHERE} when nothing ran. */
    public static String sessionOf(ExecutionResult result) {
        return result == null || result.session() == null ? NOWHERE : result.session();
    }

    /** SHA-256 over every file's name and content, each followed by a NUL, in order. */
    public static String sourceSha256(List<SourceFile> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (var f : files) {
                sha.update(String.valueOf(f.name()).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(f.content().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
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
        return result.runs().stream()
                .filter(r -> !r.succeeded())
                .findFirst()
                .map(r -> r.status().name())
                .orElse("OK");
    }
}
