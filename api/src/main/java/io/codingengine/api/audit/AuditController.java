package io.codingengine.api.audit;

import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.audit.AuditQuery;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.queue.DeadLetter;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.SubmissionQueue;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What admins inspect (the paths are under {@code /api/v1/admin/**}, so admin only): the audit
 * log of executions with filters, as JSON or CSV, and the dead letters of every lane.
 */
@RestController
@RequestMapping("/api/v1/admin")
public class AuditController {

    private static final int MAX_ENTRIES = 10_000;

    private final AuditLog audit;
    private final SubmissionQueue queue;

    public AuditController(AuditLog audit, SubmissionQueue queue) {
        this.audit = audit;
        this.queue = queue;
    }

    /**
     * The query parameters of {@code GET /api/v1/admin/audit}; all optional.
     *
     * @param from ISO-8601 instant, submitted at or after (default: a day before {@code to})
     * @param to   ISO-8601 instant, submitted before (default: now)
     * @param kind {@code JUDGE} (judged submissions) or {@code EXECUTE} (Piston runs); default both
     * @param max  at most this many entries (default 1000)
     */
    public record Filter(
            String from,
            String to,
            String participant,
            String problemId,
            String language,
            String verdict,
            String kind,
            Integer max) {}

    @GetMapping(path = "/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    List<AuditEntry> entries(Filter filter) {
        return audit.query(query(filter));
    }

    /** The same entries as CSV (RFC 4180), for a spreadsheet or an archive. */
    @GetMapping(path = "/audit", produces = "text/csv")
    ResponseEntity<String> csv(Filter filter) {
        // kind, then problemType, last: the columns before them are those of older exports
        StringBuilder out = new StringBuilder(
                "submissionId,round,participant,submittedAt,judgedAt,language,"
                        + "sourceSha256,problemId,verdict,timeMs,memoryBytes,worker,session,correlationId,kind,problemType\r\n");
        for (AuditEntry e : audit.query(query(filter))) {
            List<Object> cells = List.of(
                    e.submissionId(),
                    e.round(),
                    e.participant(),
                    e.submittedAt(),
                    e.judgedAt(),
                    e.language(),
                    e.sourceSha256(),
                    String.valueOf(e.problemId() == null ? "" : e.problemId()),
                    e.verdict(),
                    e.timeMs(),
                    e.memoryBytes(),
                    e.worker(),
                    e.session(),
                    e.correlationId() == null ? "" : e.correlationId(),
                    e.kind(),
                    e.problemType() == null ? "" : e.problemType());
            List<String> quoted = new ArrayList<>();
            for (Object c : cells) {
                quoted.add("\"" + String.valueOf(c).replace("\"", "\"\"") + "\"");
            }
            out.append(String.join(",", quoted)).append("\r\n");
        }
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("text/csv"))
                .header("Content-Disposition", "attachment; filename=\"audit.csv\"")
                .body(out.toString());
    }

    public record LaneDeadLetters(Lane lane, long depth, List<DeadLetter> deadLetters) {}

    @GetMapping("/dead-letters")
    List<LaneDeadLetters> deadLetters(@RequestParam(defaultValue = "100") int max) {
        return java.util.Arrays.stream(Lane.values())
                .map(lane -> new LaneDeadLetters(lane, queue.depth(lane), queue.deadLetters(lane, Math.min(max, 1000))))
                .toList();
    }

    private static AuditEntry.Kind kind(String kind) {
        if (kind == null || kind.isBlank()) {
            return null;
        }
        try {
            return AuditEntry.Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("kind must be JUDGE or EXECUTE");
        }
    }

    private static AuditQuery query(Filter f) {
        int max = f.max() == null ? 1000 : f.max();
        try {
            Instant end = f.to() == null ? Instant.now() : Instant.parse(f.to());
            Instant start = f.from() == null ? end.minus(Duration.ofDays(1)) : Instant.parse(f.from());
            if (!start.isBefore(end) || Duration.between(start, end).toDays() > 366) {
                throw new InvalidRequestException("from must be before to, at most a year apart");
            }
            if (max < 1 || max > MAX_ENTRIES) {
                throw new InvalidRequestException("max must be 1.." + MAX_ENTRIES);
            }
            return new AuditQuery(
                    start, end, f.participant(), f.problemId(), f.language(), f.verdict(), kind(f.kind()), max);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("from and to are ISO-8601 instants, e.g. 2026-11-28T15:00:00Z");
        }
    }
}
