package io.codingengine.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.codingengine.common.azure.AzureHttp;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link SubmissionStoreContract} against {@link TableSubmissionStore} on a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class TableSubmissionStoreTest extends SubmissionStoreContract {

    private static TableSubmissionStore store;
    private static String prefix;

    @BeforeAll
    static void connect() {
        prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        store = TableSubmissionStore.fromConnectionString(AzuriteExtension.connectionString(), prefix);
    }

    @Override
    protected SubmissionStore store() {
        return store;
    }

    /**
     * Makes the first conditional write of each of two threads wait until both have read, so that
     * both decide on the same version and exactly one write must lose with 412.
     */
    private static void raceTwoWriters(Runnable a, Runnable b) throws Exception {
        CyclicBarrier bothRead = new CyclicBarrier(2);
        ThreadLocal<Boolean> waited = ThreadLocal.withInitial(() -> false);
        store.beforeConditionalWrite = () -> {
            if (!waited.get()) {
                waited.set(true);
                try {
                    bothRead.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        try (var threads = Executors.newFixedThreadPool(2)) {
            Future<?> fa = threads.submit(a);
            Future<?> fb = threads.submit(b);
            fa.get(30, TimeUnit.SECONDS);
            fb.get(30, TimeUnit.SECONDS);
        } finally {
            store.beforeConditionalWrite = () -> {};
        }
    }

    @Test
    void concurrentCompletionsThatBothReadRunningConflictAndOnlyOneWins() throws Exception {
        String id = createInline("kim");
        store.markRunning(id, 0, 1, 2);
        // Large judgements, so that each writer also wrote a blob: the loser must delete its own.
        String output = "z".repeat(TableSubmissionStore.INLINE_LIMIT_CHARS + 1);
        Judgement a = bigJudgement(Verdict.AC, 1, "worker-a", output);
        Judgement b = bigJudgement(Verdict.WA, 2, "worker-b", output);
        long conflictsBefore = store.conflicts();
        List<UpdateOutcome> outcomes = new CopyOnWriteArrayList<>();

        raceTwoWriters(() -> outcomes.add(store.complete(id, a)), () -> outcomes.add(store.complete(id, b)));

        assertEquals(1, store.conflicts() - conflictsBefore);
        assertEquals(Set.of(UpdateOutcome.APPLIED, UpdateOutcome.ALREADY_DONE), Set.copyOf(outcomes));
        Judgement stored = store.get(id).orElseThrow().judgement();
        assertTrue(stored.equals(a) || stored.equals(b));
        List<String> blobs =
                store.payloadContainer().listBlobs(new ListBlobsOptions().setPrefix(id + "/"), null).stream()
                        .map(BlobItem::getName)
                        .toList();
        assertEquals(1, blobs.size(), "the loser's blob is deleted: " + blobs);
        assertTrue(blobs.getFirst().startsWith(id + "/judgement-r0-a" + stored.attempt() + "-"), blobs.toString());
    }

    @Test
    void concurrentRegradesOfTheSameRoundKeepOneHistoryEntry() throws Exception {
        String id = createInline("lee");
        Judgement first = judgement(Verdict.WA, 0, 1, "worker-a");
        store.complete(id, first);
        long conflictsBefore = store.conflicts();
        List<UpdateOutcome> outcomes = new CopyOnWriteArrayList<>();

        raceTwoWriters(() -> outcomes.add(store.startRegrade(id, 1)), () -> outcomes.add(store.startRegrade(id, 1)));

        assertEquals(1, store.conflicts() - conflictsBefore);
        assertEquals(Set.of(UpdateOutcome.APPLIED, UpdateOutcome.UNCHANGED), Set.copyOf(outcomes));
        SubmissionRecord record = store.get(id).orElseThrow();
        assertEquals(List.of(first), record.history());
        assertEquals(SubmissionStatus.QUEUED, record.status());
    }

    @Test
    void aCompletionRacingARegradeLandsInOneRoundOnly() throws Exception {
        String id = createInline("mia");
        store.markRunning(id, 0, 1, 2);
        Judgement round0 = judgement(Verdict.AC, 0, 1, "worker-a");
        List<UpdateOutcome> outcomes = new CopyOnWriteArrayList<>();

        raceTwoWriters(() -> outcomes.add(store.complete(id, round0)), () -> outcomes.add(store.startRegrade(id, 1)));

        SubmissionRecord record = store.get(id).orElseThrow();
        assertEquals(1, record.round());
        assertEquals(SubmissionStatus.QUEUED, record.status());
        assertNull(record.judgement());
        if (outcomes.contains(UpdateOutcome.STALE)) {
            // The regrade came first: round 0's late judgement was refused and is nowhere.
            assertEquals(List.of(), record.history());
        } else {
            // The judgement came first: the regrade moved it into the history.
            assertEquals(List.of(round0), record.history());
        }
    }

    /** Two processes' stores on the same tables: one's remembered row goes stale through the other. */
    @Test
    void aRememberedRowThatAnotherProcessChangedIsNotTrusted() {
        TableSubmissionStore other = new TableSubmissionStore(
                AzureStorage.tables(AzuriteExtension.connectionString()),
                AzureStorage.blobs(AzuriteExtension.connectionString()),
                prefix);
        String id = createInline("noa");
        assertEquals(SubmissionStatus.QUEUED, store.get(id).orElseThrow().status()); // remembered QUEUED
        Judgement first = judgement(Verdict.WA, 0, 1, "worker-b");
        assertEquals(UpdateOutcome.APPLIED, other.markRunning(id, 0, 1, 2));
        assertEquals(UpdateOutcome.APPLIED, other.complete(id, first));

        assertEquals(UpdateOutcome.ALREADY_DONE, store.complete(id, judgement(Verdict.AC, 0, 2, "worker-a")));
        assertEquals(first, store.get(id).orElseThrow().judgement());

        String gone = createInline("oli");
        Submission deleted = store.get(gone).orElseThrow().submission(); // remembered
        other.delete(deleted);
        assertEquals(UpdateOutcome.NOT_FOUND, store.markRunning(gone, 0, 1, 2));
    }

    /** What the remembered row saves: the worker's read, mark running and verdict read the row once. */
    @Test
    void aChangeRightAfterAReadOrAWriteOfThisProcessSendsOnlyTheWrite() {
        List<String> sent = new CopyOnWriteArrayList<>();
        TableSubmissionStore counted = new TableSubmissionStore(
                new TableServiceClientBuilder()
                        .connectionString(AzuriteExtension.connectionString())
                        .httpClient(AzureHttp.CLIENT)
                        .addPolicy(new HttpPipelineSyncPolicy() {
                            @Override
                            protected void beforeSendingRequest(HttpPipelineCallContext context) {
                                sent.add(
                                        context.getHttpRequest().getHttpMethod().name());
                            }
                        })
                        .buildClient(),
                AzureStorage.blobs(AzuriteExtension.connectionString()),
                prefix);
        Submission submission = inline("pat", "print('pat')");
        assertTrue(counted.create(submission));
        String id = submission.id();

        sent.clear();
        counted.get(id);
        assertEquals(List.of("GET"), sent);
        sent.clear();
        assertEquals(UpdateOutcome.APPLIED, counted.markRunning(id, 0, 1, 2));
        assertEquals(UpdateOutcome.APPLIED, counted.complete(id, judgement(Verdict.AC, 0, 1, "w")));
        assertEquals(List.of("PUT", "PUT"), sent);
        assertEquals(Verdict.AC, store.get(id).orElseThrow().judgement().verdict());
    }

    private static Judgement bigJudgement(Verdict verdict, int attempt, String worker, String output) {
        return new Judgement(
                verdict,
                0,
                null,
                List.of(new TestResult("t1", verdict, 1, 1, output, "1\n", null, null, true)),
                Instant.parse("2026-03-01T00:00:00Z"),
                worker,
                0,
                attempt);
    }

    @Test
    void keyPartsEncodeWhatTableKeysForbid() {
        assertEquals("a%2Fb%5Cc%23d%3Fe%7Ef%25g%01h", TableSubmissionStore.keyPart("a/b\\c#d?e~f%g\u0001h"));
        assertEquals("plain-é", TableSubmissionStore.keyPart("plain-é"));
    }

    @Test
    void indexRowKeysSortNewestFirst() {
        var older = TableSubmissionStore.indexRowKey(java.time.Instant.parse("2026-01-01T00:00:00Z"), "a");
        var newer = TableSubmissionStore.indexRowKey(java.time.Instant.parse("2026-01-02T00:00:00Z"), "a");
        assertEquals(-1, Integer.signum(newer.compareTo(older)));
    }

    @Test
    void badPrefixesAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> TableSubmissionStore.fromConnectionString(AzuriteExtension.connectionString(), "bad-prefix"));
    }
}
