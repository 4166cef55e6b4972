package io.codingengine.common.store;

import static io.codingengine.common.store.Rows.ATTEMPT;
import static io.codingengine.common.store.Rows.CONTEST;
import static io.codingengine.common.store.Rows.CREATED;
import static io.codingengine.common.store.Rows.FIRST_FAILURE;
import static io.codingengine.common.store.Rows.JUDGEMENT;
import static io.codingengine.common.store.Rows.LANGUAGE;
import static io.codingengine.common.store.Rows.PARTICIPANT;
import static io.codingengine.common.store.Rows.PROBLEM;
import static io.codingengine.common.store.Rows.ROUND;
import static io.codingengine.common.store.Rows.SCORE;
import static io.codingengine.common.store.Rows.STATUS;
import static io.codingengine.common.store.Rows.SUBMISSION;
import static io.codingengine.common.store.Rows.TESTS_DONE;
import static io.codingengine.common.store.Rows.TESTS_TOTAL;
import static io.codingengine.common.store.Rows.UPDATED;
import static io.codingengine.common.store.Rows.VERDICT;
import static io.codingengine.common.store.Rows.instantOf;
import static io.codingengine.common.store.Rows.intOf;
import static io.codingengine.common.store.Rows.longOf;
import static io.codingengine.common.store.Rows.putIfNotNull;
import static io.codingengine.common.store.Rows.status;
import static io.codingengine.common.store.Rows.statusOf;
import static io.codingengine.common.store.Rows.time;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.codingengine.common.json.Json;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.store.PayloadBlobs.Payload;
import io.codingengine.common.store.StateRows.Decision;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link SubmissionStore} on Azure Table Storage (or Azurite), with Blob Storage for large values.
 * The tables, keys and properties are described in the package documentation. This class applies
 * the rules of {@link SubmissionStore} to the state row; its parts are {@link StateRows} (the
 * state row's compare-and-swap and the history rows), {@link SubmissionIndex} (listings) and
 * {@link PayloadBlobs} (large values).
 */
public final class TableSubmissionStore implements SubmissionStore {

    /** JSON values up to this many characters are kept in their table property. */
    public static final int INLINE_LIMIT_CHARS = 30_000;

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,29}|");

    private final StateRows states;
    private final SubmissionIndex index;
    private final PayloadBlobs payloads;
    /** Runs between the read and the conditional write of every change; tests widen races with it. */
    volatile Runnable beforeConditionalWrite = () -> {};

    /**
     * Uses (and creates when missing) the tables {@code <namePrefix>submissions} and
     * {@code <namePrefix>submissionindex} and the blob container {@code <nameprefix>-submissions}.
     *
     * @param namePrefix empty, or a letter and up to 29 letters and digits; separates deployments
     *                   or tests sharing an account
     */
    public TableSubmissionStore(TableServiceClient tables, BlobServiceClient blobs, String namePrefix) {
        if (!PREFIX.matcher(namePrefix).matches()) {
            throw new IllegalArgumentException("namePrefix must be empty or [A-Za-z][A-Za-z0-9]{0,29}: " + namePrefix);
        }
        tables.createTableIfNotExists(namePrefix + "submissions");
        tables.createTableIfNotExists(namePrefix + "submissionindex");
        this.states =
                new StateRows(tables.getTableClient(namePrefix + "submissions"), () -> beforeConditionalWrite.run());
        this.index = new SubmissionIndex(tables.getTableClient(namePrefix + "submissionindex"), states);
        this.payloads = new PayloadBlobs(blobs, namePrefix);
    }

    /** An adapter on the account of {@code connectionString} (see {@link AzureStorage}). */
    public static TableSubmissionStore fromConnectionString(String connectionString, String namePrefix) {
        return new TableSubmissionStore(
                AzureStorage.tables(connectionString), AzureStorage.blobs(connectionString), namePrefix);
    }

    /**
     * How many conditional writes of this instance lost to a concurrent writer and were decided
     * again (a health metric: a steadily high rate means many workers fight over submissions).
     */
    public long conflicts() {
        return states.conflicts();
    }

    /** The blob container of large values (for operators and tests). */
    BlobContainerClient payloadContainer() {
        return payloads.container();
    }

    /** {@link SubmissionIndex#keyPart}, where the tests of the key formats look for it. */
    static String keyPart(String value) {
        return SubmissionIndex.keyPart(value);
    }

    /** {@link SubmissionIndex#rowKey}, where the tests of the key formats look for it. */
    static String indexRowKey(Instant createdAt, String id) {
        return SubmissionIndex.rowKey(createdAt, id);
    }

    /**
     * Index rows first, then the state row: a listing skips index rows without their state row.
     * A large submission's blob is deleted only when the state row certainly exists without it
     * (409, and the row names another blob or none): when the create's response is lost, the row
     * may have been written and name it.
     */
    @Override
    public boolean create(Submission submission) {
        Objects.requireNonNull(submission, "submission");
        String id = submission.id();
        Payload payload = payloads.store(id, SUBMISSION, "submission", Json.write(submission));
        Instant now = Instant.now();
        index.add(submission);

        TableEntity state = StateRows.newState(id)
                .addProperty(STATUS, SubmissionStatus.QUEUED.name())
                .addProperty(ROUND, 0L)
                .addProperty(ATTEMPT, 0)
                .addProperty(TESTS_DONE, 0)
                .addProperty(TESTS_TOTAL, 0)
                .addProperty(PARTICIPANT, submission.participant())
                .addProperty(LANGUAGE, submission.language())
                .addProperty(CREATED, time(submission.createdAt()))
                .addProperty(UPDATED, time(now));
        putIfNotNull(state, PROBLEM, submission.problemId());
        putIfNotNull(state, CONTEST, submission.contestId());
        payload.putInto(state);
        try {
            states.create(state);
            return true;
        } catch (TableServiceException e) {
            if (status(e) != 409) {
                throw e;
            }
            if (states.namesBlob(id, payload)) {
                return true; // this create was applied; the 409 answers the SDK sending it again
            }
            payload.discard();
            Submission existing = get(id).map(SubmissionRecord::submission).orElse(null);
            if (submission.equals(existing)) {
                return false;
            }
            throw new IllegalStateException("another submission has the id " + id);
        }
    }

    @Override
    public Optional<SubmissionRecord> get(String id) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        StateRows.Partition rows = states.read(id);
        if (rows == null) {
            return Optional.empty();
        }
        TableEntity state = rows.state();
        Submission submission = Json.read(payloads.load(state, SUBMISSION), Submission.class);
        String judgementJson = payloads.load(state, JUDGEMENT);
        List<Judgement> past = rows.history().stream()
                .map(row -> Json.read(payloads.load(row, JUDGEMENT), Judgement.class))
                .toList();
        SubmissionRecord record = new SubmissionRecord(
                submission,
                statusOf(state),
                longOf(state, ROUND),
                Rows.flagOf(state, Rows.ALL_TESTS),
                intOf(state, ATTEMPT),
                intOf(state, TESTS_DONE),
                intOf(state, TESTS_TOTAL),
                judgementJson == null ? null : Json.read(judgementJson, Judgement.class),
                past,
                instantOf(state, UPDATED));
        states.remember(id, state);
        return Optional.of(record);
    }

    @Override
    public UpdateOutcome markRunning(String id, long round, int attempt, int testsTotal) {
        requireAttempt(attempt);
        if (testsTotal < 0) {
            throw new IllegalArgumentException("testsTotal must be >= 0, was " + testsTotal);
        }
        return states.update(id, null, state -> {
            UpdateOutcome refused = refusal(state, id, round, attempt);
            if (refused != null) {
                return Decision.keep(refused);
            }
            int current = intOf(state, ATTEMPT);
            if (attempt == current && statusOf(state) == SubmissionStatus.RUNNING) {
                return Decision.keep(UpdateOutcome.UNCHANGED);
            }
            state.addProperty(STATUS, SubmissionStatus.RUNNING.name())
                    .addProperty(ATTEMPT, attempt)
                    .addProperty(TESTS_DONE, 0)
                    .addProperty(TESTS_TOTAL, testsTotal);
            return Decision.write(state);
        });
    }

    @Override
    public UpdateOutcome reportProgress(String id, long round, int attempt, int testsDone) {
        requireAttempt(attempt);
        return states.update(id, null, state -> {
            UpdateOutcome refused = refusal(state, id, round, attempt);
            if (refused != null) {
                return Decision.keep(refused);
            }
            if (attempt > intOf(state, ATTEMPT) || statusOf(state) != SubmissionStatus.RUNNING) {
                throw new IllegalStateException(
                        "attempt " + attempt + " of submission " + id + " reports progress without markRunning");
            }
            if (testsDone > intOf(state, TESTS_TOTAL)) {
                throw new IllegalArgumentException(
                        "testsDone " + testsDone + " is past the total " + intOf(state, TESTS_TOTAL));
            }
            if (testsDone <= intOf(state, TESTS_DONE)) {
                return Decision.keep(UpdateOutcome.UNCHANGED);
            }
            state.addProperty(TESTS_DONE, testsDone);
            return Decision.write(state);
        });
    }

    @Override
    public UpdateOutcome complete(String id, Judgement judgement) {
        Objects.requireNonNull(judgement, "judgement");
        if (!Ids.isValid(id)) {
            return UpdateOutcome.NOT_FOUND;
        }
        Payload payload = payloads.store(
                id, JUDGEMENT, "judgement-r" + judgement.round() + "-a" + judgement.attempt(), Json.write(judgement));
        return states.update(id, payload, state -> {
            UpdateOutcome refused = refusal(state, id, judgement.round(), 0);
            if (refused != null) {
                return Decision.keep(refused);
            }
            state.addProperty(STATUS, SubmissionStatus.DONE.name())
                    .addProperty(ATTEMPT, judgement.attempt())
                    .addProperty(TESTS_DONE, judgement.tests().size())
                    .addProperty(
                            TESTS_TOTAL,
                            Math.max(
                                    intOf(state, TESTS_TOTAL), judgement.tests().size()))
                    .addProperty(VERDICT, judgement.verdict().name())
                    .addProperty(SCORE, judgement.score());
            if (judgement.firstFailure() != null) {
                state.addProperty(FIRST_FAILURE, judgement.firstFailure().name());
            } else {
                state.getProperties().remove(FIRST_FAILURE);
            }
            payload.putInto(state);
            return Decision.write(state);
        });
    }

    @Override
    public UpdateOutcome startRegrade(String id, long regradeRound, boolean allTests) {
        if (regradeRound <= 0) {
            throw new IllegalArgumentException("regradeRound must be positive, was " + regradeRound);
        }
        return states.update(id, null, state -> {
            long current = longOf(state, ROUND);
            if (regradeRound < current) {
                return Decision.keep(UpdateOutcome.STALE);
            }
            if (regradeRound == current) {
                return Decision.keep(UpdateOutcome.UNCHANGED);
            }
            TableEntity history = statusOf(state) == SubmissionStatus.DONE ? StateRows.historyOf(state) : null;
            state.addProperty(STATUS, SubmissionStatus.QUEUED.name())
                    .addProperty(ROUND, regradeRound)
                    .addProperty(ATTEMPT, 0)
                    .addProperty(TESTS_DONE, 0)
                    .addProperty(TESTS_TOTAL, 0)
                    .addProperty(Rows.ALL_TESTS, allTests);
            state.getProperties().remove(VERDICT);
            state.getProperties().remove(SCORE);
            state.getProperties().remove(FIRST_FAILURE);
            PayloadBlobs.remove(state, JUDGEMENT);
            return history == null ? Decision.write(state) : Decision.write(state, history);
        });
    }

    @Override
    public UpdateOutcome heartbeat(String id, long round, int attempt) {
        requireAttempt(attempt);
        return states.update(id, null, state -> {
            UpdateOutcome refused = refusal(state, id, round, attempt);
            if (refused != null) {
                return Decision.keep(refused);
            }
            if (statusOf(state) != SubmissionStatus.RUNNING || intOf(state, ATTEMPT) != attempt) {
                return Decision.keep(UpdateOutcome.UNCHANGED);
            }
            return Decision.write(state); // the write stamps UpdatedAt
        });
    }

    /** Any of them, not sorted: the scan goes partition by partition (see {@code StateRows}). */
    @Override
    public List<StalledRound> stalled(Instant unchangedSince, int max) {
        Objects.requireNonNull(unchangedSince, "unchangedSince");
        if (max < 1 || max > 1000) {
            throw new IllegalArgumentException("max must be 1..1000, was " + max);
        }
        return states.unfinishedBefore(unchangedSince, max).stream()
                .map(row -> new StalledRound(
                        row.getPartitionKey(),
                        longOf(row, ROUND),
                        statusOf(row),
                        intOf(row, ATTEMPT),
                        instantOf(row, UPDATED),
                        Rows.flagOf(row, Rows.ALL_TESTS)))
                .toList();
    }

    /**
     * A write conditioned on the ETag of the row the decision was taken on: of two sweepers, the
     * second gets 412, reads the row afresh and finds {@code UpdatedAt} too recent.
     */
    @Override
    public UpdateOutcome claimStalled(String id, long round, Instant unchangedSince) {
        Objects.requireNonNull(unchangedSince, "unchangedSince");
        return states.update(id, null, state -> {
            UpdateOutcome refused = refusal(state, id, round, 0);
            if (refused != null) {
                return Decision.keep(refused);
            }
            if (!instantOf(state, UPDATED).isBefore(unchangedSince)) {
                return Decision.keep(UpdateOutcome.UNCHANGED);
            }
            return Decision.write(state); // the write stamps UpdatedAt
        });
    }

    /**
     * Why a call of {@code round} and {@code attempt} must change nothing: {@code STALE} for an older
     * round or an attempt older than the running one ({@code attempt} 0 skips that check),
     * {@code ALREADY_DONE} when the round is judged; {@code null} when it may go on.
     */
    private static UpdateOutcome refusal(TableEntity state, String id, long round, int attempt) {
        long current = longOf(state, ROUND);
        if (round < current) {
            return UpdateOutcome.STALE;
        }
        if (round > current) {
            throw new IllegalStateException(
                    "round " + round + " of submission " + id + " was never started; the current round is " + current);
        }
        if (statusOf(state) == SubmissionStatus.DONE) {
            return UpdateOutcome.ALREADY_DONE;
        }
        return attempt < intOf(state, ATTEMPT) && attempt != 0 ? UpdateOutcome.STALE : null;
    }

    private static void requireAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
    }

    @Override
    public Page<SubmissionSummary> list(SubmissionFilter filter, int pageSize, String continuationToken) {
        return index.list(filter, pageSize, continuationToken);
    }

    /**
     * Walks the {@code all} index from the oldest end, erasing each submission so that a purge
     * interrupted halfway is finished by the next one (see {@link #erase}).
     */
    @Override
    public int purgeCreatedBefore(Instant cutoff) {
        int purged = 0;
        for (SubmissionIndex.Entry entry : index.createdBefore(cutoff)) {
            erase(entry);
            purged++;
        }
        return purged;
    }

    @Override
    public void delete(Submission submission) {
        erase(SubmissionIndex.Entry.of(submission));
    }

    /**
     * One submission's blobs, the rows of its partition, and last its index rows, {@code all}
     * last of them: until that row goes, a purge finds the submission again.
     */
    private void erase(SubmissionIndex.Entry entry) {
        payloads.deleteAll(entry.submissionId());
        states.deleteAll(entry.submissionId());
        index.remove(entry);
    }
}
