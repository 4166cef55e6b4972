package io.codingengine.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.audit.AuditQuery;
import io.codingengine.common.audit.TableAuditLog;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.problem.BlobProblemStore;
import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.AzuriteExtension;
import io.codingengine.common.store.LostResponses;
import io.codingengine.common.store.SubmissionRecord;
import io.codingengine.common.store.TableSubmissionStore;
import io.codingengine.common.store.UpdateOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The worker when the store applied its verdict but the response was lost, on a real
 * {@link TableSubmissionStore} and {@link TableAuditLog} in Azurite, the store's client losing the
 * response of the verdict's write ({@link LostResponses}); the executor only answers, echoing each
 * test's input, which is its answer. Every round that reaches a verdict has exactly one audit
 * entry, written by the delivery whose verdict is stored. Before, calling the store again found
 * the round done by the lost write ({@code ALREADY_DONE}), the worker took its own verdict for
 * another delivery's, and the round had no audit entry.
 */
@ExtendWith(AzuriteExtension.class)
class WorkHandlerLostResponseTest {

    private static final String WORKER = "lost-response-worker";
    private static String prefix;
    private static TableAuditLog audit;
    private static BlobProblemStore problems;

    @BeforeAll
    static void connect() {
        prefix = "l" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        audit = TableAuditLog.fromConnectionString(AzuriteExtension.connectionString(), prefix);
        problems = BlobProblemStore.fromConnectionString(AzuriteExtension.connectionString(), prefix);
    }

    private static TableSubmissionStore storeLosing(LostResponses network) {
        return new TableSubmissionStore(
                LostResponses.tables(AzuriteExtension.connectionString(), network),
                AzureStorage.blobs(AzuriteExtension.connectionString()),
                prefix);
    }

    private static WorkHandler handler(TableSubmissionStore submissions, Executor executor) {
        return new WorkHandler(
                executor,
                submissions,
                problems,
                null /* no synchronous runs here */,
                audit,
                new JudgingMetrics(new SimpleMeterRegistry(), 2),
                Clock.systemUTC(),
                WORKER,
                5,
                Duration.ofSeconds(30));
    }

    private static Submission submission(String participant) {
        return new Submission(
                "s-" + UUID.randomUUID(),
                null,
                null,
                participant,
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", "print(input())")),
                List.of(new TestCase("t1", "1\n", "1\n", true), new TestCase("t2", "2\n", "2\n", false)),
                null,
                Instant.now());
    }

    /** The verdict's write: it makes the state row DONE. */
    private static Predicate<HttpRequest> verdictOf(Submission submission) {
        return request -> request.getHttpMethod() == HttpMethod.PUT
                && request.getUrl().toString().contains(submission.id())
                && LostResponses.body(request).contains("\"Status\":\"DONE\"");
    }

    private static List<AuditEntry> auditOf(Submission submission) {
        return audit
                .query(new AuditQuery(
                        submission.createdAt().minusSeconds(1),
                        Instant.now().plusSeconds(1),
                        submission.participant(),
                        null,
                        null,
                        null,
                        AuditEntry.Kind.JUDGE,
                        100))
                .stream()
                .filter(entry -> entry.submissionId().equals(submission.id()))
                .toList();
    }

    @ParameterizedTest
    @EnumSource(names = {"PER_CALL", "PER_RETRY"})
    void aVerdictWhoseWriteLostItsResponseIsAuditedOnce(HttpPipelinePosition where) {
        LostResponses network = new LostResponses(where);
        TableSubmissionStore submissions = storeLosing(network);
        Submission submission = submission("lost-" + where);
        assertTrue(submissions.create(submission));
        network.loseNext(verdictOf(submission));

        RecordedDelivery delivery = new RecordedDelivery(
                "lost-response", WorkItem.toJson(new WorkItem.Judge(submission.id(), 0, "corr-lost")), 1);
        handler(submissions, new EchoExecutor()).handle(delivery);

        assertEquals(1, network.lost());
        assertEquals(List.of("complete"), delivery.settled());
        Judgement stored = submissions.get(submission.id()).orElseThrow().judgement();
        assertEquals(Verdict.AC, stored.verdict());
        List<AuditEntry> entries = auditOf(submission);
        assertEquals(1, entries.size(), entries.toString());
        assertEquals(0, entries.getFirst().round());
        assertEquals("AC", entries.getFirst().verdict());
        assertEquals(WORKER, entries.getFirst().worker());
        assertEquals("echo:slot-0", entries.getFirst().session());
        assertEquals("corr-lost", entries.getFirst().correlationId());
    }

    /** The round regraded between the lost write and the worker's next call: that call is STALE. */
    @Test
    void aVerdictWhoseWriteLostItsResponseBeforeARegradeIsAuditedOnce() {
        LostResponses network = new LostResponses(HttpPipelinePosition.PER_CALL);
        TableSubmissionStore submissions = storeLosing(network);
        TableSubmissionStore admin =
                TableSubmissionStore.fromConnectionString(AzuriteExtension.connectionString(), prefix);
        Submission submission = submission("regraded");
        assertTrue(submissions.create(submission));
        network.loseNext(
                verdictOf(submission),
                () -> assertEquals(UpdateOutcome.APPLIED, admin.startRegrade(submission.id(), 1)));

        RecordedDelivery delivery =
                new RecordedDelivery("lost-response", WorkItem.toJson(new WorkItem.Judge(submission.id(), 0)), 1);
        handler(submissions, new EchoExecutor()).handle(delivery);

        assertEquals(1, network.lost());
        SubmissionRecord record = submissions.get(submission.id()).orElseThrow();
        assertEquals(1, record.round());
        assertEquals(Verdict.AC, record.history().getFirst().verdict());
        List<AuditEntry> entries = auditOf(submission);
        assertEquals(1, entries.size(), entries.toString());
        assertEquals(0, entries.getFirst().round());
    }

    /**
     * The other side of "exactly one": a verdict that another delivery stored first is not
     * audited, or its entry would replace the winner's with the loser's verdict.
     */
    @Test
    void aVerdictThatAnotherDeliveryStoredFirstIsNotAudited() {
        TableSubmissionStore submissions =
                TableSubmissionStore.fromConnectionString(AzuriteExtension.connectionString(), prefix);
        Submission submission = submission("second");
        assertTrue(submissions.create(submission));
        Judgement first = new Judgement(Verdict.WA, 0, null, List.of(), Instant.now(), "another-worker", 0, 1);
        // While this delivery runs the tests, an earlier one (which audits its own) stores its verdict.
        Executor racing = new EchoExecutor(() -> submissions.complete(submission.id(), first));

        RecordedDelivery delivery =
                new RecordedDelivery("lost-response", WorkItem.toJson(new WorkItem.Judge(submission.id(), 0)), 2);
        handler(submissions, racing).handle(delivery);

        assertEquals(List.of("complete"), delivery.settled());
        assertEquals(first, submissions.get(submission.id()).orElseThrow().judgement());
        assertEquals(List.of(), auditOf(submission));
    }
}
