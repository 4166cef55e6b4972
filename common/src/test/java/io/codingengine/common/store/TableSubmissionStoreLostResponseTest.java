package io.codingengine.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TableSubmissionStore} when a write reaches Azurite and is applied, but its response is
 * lost ({@link LostResponses}): a large value that the write put in a blob stays readable. Either
 * the failure reaches the caller, which calls again ({@code PER_CALL}), or the SDK's retry policy
 * sends the request again, which gets 409 or 412 from the state the first one made
 * ({@code PER_RETRY}). Before, the store took either for a write that changed nothing and deleted
 * the blob that the stored row names, so the submission could no longer be read.
 */
@ExtendWith(AzuriteExtension.class)
class TableSubmissionStoreLostResponseTest {

    private static final String LARGE = "z".repeat(TableSubmissionStore.INLINE_LIMIT_CHARS + 1);
    private static String prefix;

    @BeforeAll
    static void names() {
        prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static TableSubmissionStore storeLosing(LostResponses policy) {
        return new TableSubmissionStore(
                LostResponses.tables(AzuriteExtension.connectionString(), policy),
                AzureStorage.blobs(AzuriteExtension.connectionString()),
                prefix);
    }

    private static Submission submission(String source) {
        return new Submission(
                "s-" + UUID.randomUUID(),
                null,
                null,
                "lost",
                "python",
                null,
                List.of(SourceFile.utf8("main.py", source)),
                List.of(new TestCase("t1", "", "", true)),
                null,
                Instant.now());
    }

    private static List<String> blobsOf(TableSubmissionStore store, String id) {
        return store.payloadContainer().listBlobs(new ListBlobsOptions().setPrefix(id + "/"), null).stream()
                .map(BlobItem::getName)
                .toList();
    }

    @ParameterizedTest
    @EnumSource(names = {"PER_CALL", "PER_RETRY"})
    void aLargeJudgementWhoseWriteLostItsResponseStaysReadable(HttpPipelinePosition where) {
        LostResponses network = new LostResponses(where);
        TableSubmissionStore store = storeLosing(network);
        Submission submission = submission("print(1)");
        assertTrue(store.create(submission));
        String id = submission.id();
        assertEquals(UpdateOutcome.APPLIED, store.markRunning(id, 0, 1, 1));
        Judgement large = new Judgement(
                Verdict.WA,
                0,
                null,
                List.of(new TestResult("t1", Verdict.WA, 1, 1, LARGE, "", null, null, true)),
                Instant.parse("2026-03-01T00:00:00Z"),
                "worker-a",
                0,
                1);

        network.loseNext(request -> request.getHttpMethod() == HttpMethod.PUT
                && request.getUrl().toString().contains(id));
        if (where == HttpPipelinePosition.PER_CALL) {
            assertThrows(RuntimeException.class, () -> store.complete(id, large));
            // The worker calls again, as it does while the store fails.
            assertEquals(UpdateOutcome.ALREADY_DONE, store.complete(id, large));
        } else {
            assertEquals(UpdateOutcome.ALREADY_DONE, store.complete(id, large));
        }
        assertEquals(1, network.lost());

        assertEquals(large, store.get(id).orElseThrow().judgement());
        assertEquals(1, blobsOf(store, id).size(), "the blob the row names, and no other: " + blobsOf(store, id));
    }

    @ParameterizedTest
    @EnumSource(names = {"PER_CALL", "PER_RETRY"})
    void aLargeSubmissionWhoseCreateLostItsResponseStaysReadable(HttpPipelinePosition where) {
        LostResponses network = new LostResponses(where);
        TableSubmissionStore store = storeLosing(network);
        Submission submission = submission("# " + LARGE + "\nprint(2)\n");

        network.loseNext(request -> request.getHttpMethod() == HttpMethod.POST
                && request.getUrl().getPath().endsWith("/" + prefix + "submissions"));
        if (where == HttpPipelinePosition.PER_CALL) {
            assertThrows(RuntimeException.class, () -> store.create(submission));
            // The api's client sends the submission again.
            assertFalse(store.create(submission));
        } else {
            assertTrue(store.create(submission));
        }
        assertEquals(1, network.lost());

        assertEquals(submission, store.get(submission.id()).orElseThrow().submission());
        assertEquals(
                1,
                blobsOf(store, submission.id()).size(),
                blobsOf(store, submission.id()).toString());
    }
}
