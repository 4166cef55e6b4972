package io.codingengine.common.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AuditLog}: every adapter's test extends this class. Every field is
 * kept, and every filter an admin has (docs/operations.md, "Audit") narrows.
 */
public abstract class AuditLogContract {

    private static final Instant DAY1 = Instant.parse("2026-11-27T23:59:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-28T00:01:00Z");

    private AuditLog audit;

    /** An empty log: a fresh one for each test, since the tests read every entry of a time range. */
    protected abstract AuditLog newLog();

    @BeforeEach
    void entries() {
        audit = newLog();
        audit.record(entry(AuditEntry.Kind.JUDGE, "s1", "ada", DAY1, "python", "sum", "AC"));
        audit.record(entry(AuditEntry.Kind.JUDGE, "s2", "ada", DAY2, "cpp", "sum", "WA"));
        audit.record(entry(AuditEntry.Kind.JUDGE, "s3", "bob", DAY2.plusSeconds(1), "python", "max", "AC"));
        audit.record(entry(AuditEntry.Kind.EXECUTE, "e1", "bob", DAY2.plusSeconds(2), "python", null, "RE"));
    }

    @Test
    void everyFieldIsKept() {
        AuditEntry e1 = entry(AuditEntry.Kind.EXECUTE, "e1", "bob", DAY2.plusSeconds(2), "python", null, "RE");
        assertEquals(List.of(e1), audit.query(query(null, null, null, null, AuditEntry.Kind.EXECUTE)));
        AuditEntry s1 = entry(AuditEntry.Kind.JUDGE, "s1", "ada", DAY1, "python", "sum", "AC");
        assertEquals(List.of(s1), audit.query(query("ada", null, "python", null, AuditEntry.Kind.JUDGE)));
        assertEquals("plain", s1.problemType());
        assertEquals(null, e1.problemType(), "an execute has no problem type");
    }

    /** A judged submission's entry says what kind of problem it was judged as. */
    @Test
    void aJudgedEntryKeepsItsProblemType() {
        for (String type : List.of("interactive", "multi-pass")) {
            AuditEntry base = entry(AuditEntry.Kind.JUDGE, "t-" + type, "cy", DAY1.plusSeconds(5), "c", "talk", "AC");
            AuditEntry typed = new AuditEntry(
                    base.kind(),
                    base.submissionId(),
                    base.round(),
                    base.participant(),
                    base.submittedAt(),
                    base.judgedAt(),
                    base.language(),
                    base.sourceSha256(),
                    base.problemId(),
                    base.verdict(),
                    base.timeMs(),
                    base.memoryBytes(),
                    base.worker(),
                    base.session(),
                    base.correlationId(),
                    type);
            audit.record(typed);
            assertEquals(
                    List.of(typed),
                    audit.query(query("cy", null, null, null, null)).stream()
                            .filter(e -> e.submissionId().equals(typed.submissionId()))
                            .toList());
        }
    }

    @Test
    void eachFilterNarrowsAndARangeSpansDays() {
        assertEquals(List.of("s1", "s2", "s3", "e1"), ids(query(null, null, null, null, null)));
        assertEquals(List.of("s1", "s2"), ids(query("ada", null, null, null, null)));
        assertEquals(List.of("s1", "s2"), ids(query(null, "sum", null, null, null)));
        assertEquals(List.of("s1", "s3", "e1"), ids(query(null, null, "python", null, null)));
        assertEquals(List.of("s1", "s3"), ids(query(null, null, null, "AC", null)));
        assertEquals(List.of("s3"), ids(query("bob", null, "python", null, AuditEntry.Kind.JUDGE)));
        assertEquals(List.of("s1", "s2", "s3", "e1"), ids(query(" ", "", null, null, null)), "a blank filter is none");
        // from inclusive, to exclusive, and at most max
        assertEquals(
                List.of("s2", "s3"), ids(new AuditQuery(DAY2, DAY2.plusSeconds(2), null, null, null, null, null, 10)));
        assertEquals(
                List.of("s1", "s2"), ids(new AuditQuery(DAY1, DAY2.plusSeconds(60), null, null, null, null, null, 2)));
        assertEquals(
                List.of(), ids(query("o'brien", null, null, null, null)), "a quote in a filter is a value, not syntax");
    }

    @Test
    void recordingASubmissionsRoundAgainReplacesItsEntry() {
        AuditEntry again = new AuditEntry(
                AuditEntry.Kind.JUDGE,
                "s3",
                0,
                "bob",
                DAY2.plusSeconds(1),
                DAY2.plusSeconds(9),
                "python",
                "cd".repeat(32),
                "max",
                "TLE",
                3000,
                8192,
                "w2",
                "local:host/slot-1",
                null,
                null);
        audit.record(again);
        assertEquals(List.of(again), audit.query(query("bob", "max", null, null, null)));
    }

    @Test
    void anEntryIsRecordedIfAbsentOnceAndNeverReplacedSo() {
        AuditEntry recovered = new AuditEntry(
                AuditEntry.Kind.JUDGE,
                "s4",
                2,
                "cyd",
                DAY2.plusSeconds(3),
                DAY2.plusSeconds(9),
                "python",
                "ef".repeat(32),
                "max",
                "AC",
                10,
                4096,
                "w1",
                "unknown",
                "corr-4",
                null);
        assertTrue(audit.recordIfAbsent(recovered));
        assertFalse(audit.recordIfAbsent(new AuditEntry(
                AuditEntry.Kind.JUDGE,
                "s4",
                2,
                "cyd",
                DAY2.plusSeconds(3),
                DAY2.plusSeconds(10),
                "python",
                "ef".repeat(32),
                "max",
                "WA",
                10,
                4096,
                "w2",
                "unknown",
                null,
                null)));
        assertEquals(List.of(recovered), audit.query(query("cyd", null, null, null, null)));

        AuditEntry s1 = entry(AuditEntry.Kind.JUDGE, "s1", "ada", DAY1, "python", "sum", "AC");
        assertFalse(
                audit.recordIfAbsent(new AuditEntry(
                        AuditEntry.Kind.JUDGE,
                        "s1",
                        0,
                        "ada",
                        DAY1,
                        DAY1.plusSeconds(5),
                        "python",
                        "ab".repeat(32),
                        "sum",
                        "AC",
                        1,
                        1,
                        "w9",
                        "unknown",
                        null,
                        null)),
                "the judging worker's entry stays");
        assertEquals(
                List.of(s1), audit.query(new AuditQuery(DAY1, DAY1.plusSeconds(1), "ada", null, null, null, null, 10)));
    }

    @Test
    void purgingDeletesTheEntriesSubmittedBeforeTheCutoff() {
        assertEquals(2, audit.purgeSubmittedBefore(DAY2.plusSeconds(1)));
        assertEquals(List.of("s3", "e1"), ids(query(null, null, null, null, null)));
        assertEquals(0, audit.purgeSubmittedBefore(DAY2.plusSeconds(1)));
    }

    private static AuditQuery query(
            String participant, String problem, String language, String verdict, AuditEntry.Kind kind) {
        return new AuditQuery(
                DAY1.minus(Duration.ofHours(1)),
                DAY2.plus(Duration.ofHours(1)),
                participant,
                problem,
                language,
                verdict,
                kind,
                100);
    }

    private List<String> ids(AuditQuery q) {
        return audit.query(q).stream().map(AuditEntry::submissionId).toList();
    }

    private static AuditEntry entry(
            AuditEntry.Kind kind,
            String id,
            String participant,
            Instant at,
            String language,
            String problem,
            String verdict) {
        return new AuditEntry(
                kind,
                id,
                0,
                participant,
                at,
                at.plusSeconds(3),
                language,
                "ab".repeat(32),
                problem,
                verdict,
                12,
                4096,
                "w1",
                "local:host/slot-0",
                "corr-" + id,
                kind == AuditEntry.Kind.JUDGE ? "plain" : null);
    }
}
