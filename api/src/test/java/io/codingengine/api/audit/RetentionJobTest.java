package io.codingengine.api.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.audit.AuditQuery;
import io.codingengine.common.audit.TableAuditLog;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.store.AzuriteExtension;
import io.codingengine.common.store.SubmissionFilter;
import io.codingengine.common.store.TableSubmissionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Retention on real Table and Blob Storage: what is older than the period goes, the rest stays. */
@ExtendWith(AzuriteExtension.class)
class RetentionJobTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void purgesSourceOutputsAndAuditEntriesPastThePeriod() {
        String prefix = "r" + UUID.randomUUID().toString().substring(0, 8);
        var store = TableSubmissionStore.fromConnectionString(AzuriteExtension.connectionString(), prefix);
        var audit = TableAuditLog.fromConnectionString(AzuriteExtension.connectionString(), prefix);
        // 40 000 characters: kept in a blob, which the purge must delete too
        Submission old = submission("old", NOW.minus(Duration.ofDays(31)), "x".repeat(40_000));
        Submission recent = submission("recent", NOW.minus(Duration.ofDays(29)), "print(1)");
        for (Submission s : List.of(old, recent)) {
            store.create(s);
            Judgement j = new Judgement(
                    Verdict.WA,
                    0,
                    "",
                    List.of(new TestResult("t", Verdict.WA, 5, 1024, "secret output", null, null, null, true)),
                    s.createdAt().plusSeconds(5),
                    "w1",
                    0,
                    1);
            store.complete(s.id(), j);
            audit.record(new AuditEntry(
                    AuditEntry.Kind.JUDGE,
                    s.id(),
                    0,
                    s.participant(),
                    s.createdAt(),
                    j.judgedAt(),
                    "python",
                    "ab".repeat(32),
                    null,
                    "WA",
                    5,
                    1024,
                    "w1",
                    "SandboxedExecutor",
                    null,
                    null));
        }

        var job = new RetentionJob(store, audit, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));
        RetentionJob.Purged purged = job.purge();

        assertEquals(new RetentionJob.Purged(1, 1), purged);
        assertTrue(store.get(old.id()).isEmpty(), "the old submission, its source and outputs are gone");
        assertTrue(store.get(recent.id()).isPresent());
        assertEquals(
                List.of(recent.id()),
                store.list(SubmissionFilter.participant("alice"), 10, null).items().stream()
                        .map(s -> s.id())
                        .toList(),
                "no index row points at a purged submission");
        var left = audit.query(new AuditQuery(NOW.minus(Duration.ofDays(40)), NOW, null, null, null, null, null, 100));
        assertEquals(
                List.of(recent.id()),
                left.stream().map(AuditEntry::submissionId).toList());
        assertEquals(new RetentionJob.Purged(0, 0), job.purge(), "a second purge finds nothing");
    }

    /** What the api wires (AuditConfiguration): the job purges every sweep by itself, and a period of 0 keeps all. */
    @Test
    void theScheduledJobPurgesEverySweep() {
        String prefix = "r" + UUID.randomUUID().toString().substring(0, 8);
        var store = TableSubmissionStore.fromConnectionString(AzuriteExtension.connectionString(), prefix);
        var audit = TableAuditLog.fromConnectionString(AzuriteExtension.connectionString(), prefix);
        Instant now = Instant.now();
        Submission old = submission("old", now.minus(Duration.ofDays(31)), "print(1)");
        Submission kept = submission("kept", now.minus(Duration.ofDays(31)), "print(2)");
        store.create(old);
        try (var job = new RetentionJob(store, audit, Duration.ofDays(30), Clock.systemUTC())) {
            job.schedule(Duration.ofMillis(300));
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> store.get(old.id()).isEmpty());
        }
        store.create(kept); // after the job stopped: a period of 0 never deletes
        try (var keepAll = new RetentionJob(store, audit, Duration.ZERO, Clock.systemUTC())) {
            keepAll.schedule(Duration.ofMillis(50));
            org.awaitility.Awaitility.await()
                    .during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> store.get(kept.id()).isPresent());
        }
    }

    private static Submission submission(String name, Instant createdAt, String source) {
        return new Submission(
                name + "-" + UUID.randomUUID(),
                null,
                null,
                "alice",
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", source)),
                List.of(new TestCase("t", "", "1", true)),
                null,
                createdAt);
    }
}
