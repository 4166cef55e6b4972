package io.codingengine.common.store;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.codingengine.common.json.Json;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.store.PayloadBlobs.Payload;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.ConcurrentModificationException;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * {@link SubmissionStore} on Azure Table Storage (or Azurite), with Blob Storage for large values.
 *
 * <h2>Tables, keys and properties</h2>
 * <b>{@code <prefix>submissions}</b>: one partition per submission, so every read and write of a
 * submission touches one partition and the partitions spread evenly however the load is shaped.
 * <ul>
 *   <li>PartitionKey = submission id ({@link Ids} keeps it key-safe), RowKey = {@code "state"}: the
 *       <em>state row</em>. Properties: {@code Status}, {@code Round} (Int64), {@code Attempt},
 *       {@code TestsDone}, {@code TestsTotal}, {@code ProblemId}, {@code ContestId},
 *       {@code Participant}, {@code Language}, {@code CreatedAt}, {@code UpdatedAt}, and when done
 *       {@code Verdict}, {@code Score}; the submission as JSON in {@code Submission} and the round's
 *       judgement as JSON in {@code Judgement} (see large values).</li>
 *   <li>PartitionKey = submission id, RowKey = {@code "history-"} + the round as 19 digits: one
 *       <em>history row</em> per judgement that a regrade replaced ({@code Round},
 *       {@code Judgement}). Being in the state row's partition, a regrade writes the history row and
 *       resets the state row in one entity-group transaction, and {@link #get} reads the state and
 *       the whole history with one single-partition query.</li>
 * </ul>
 * <b>{@code <prefix>submissionindex}</b>: a secondary index for listings, written once when a
 * submission is created (only immutable facts, so it never needs updating).
 * <ul>
 *   <li>PartitionKey = {@code "all"}, {@code "p~"}+problem id, {@code "c~"}+contest id or
 *       {@code "u~"}+participant (characters that keys forbid percent-encoded); one row in each
 *       applicable partition per submission.</li>
 *   <li>RowKey = {@code Long.MAX_VALUE - createdAt millis} as 19 digits + {@code "~"} + id, so a
 *       partition reads newest first, and a page continues after the last RowKey it returned
 *       (the continuation token is that RowKey; no server-side token is kept).</li>
 *   <li>Properties: {@code SubmissionId}, {@code ProblemId}, {@code ContestId},
 *       {@code Participant}, {@code CreatedAt}.</li>
 * </ul>
 * A listing reads the most selective partition (participant, else problem, else contest, else
 * {@code all}), filters the other immutable fields on the server, then reads each hit's state row
 * (only the summary columns, in parallel) for its status and verdict, filtering on status there.
 * Index rows are written before the state row; an index row whose state row is missing or
 * disagrees (a create that failed half-way, or lost to another submission with the same id) is
 * skipped. One partition takes about 2,000 writes a second on Azure, far above submission rates;
 * the {@code all} partition is the hottest.
 *
 * <h2>Large values</h2>
 * A string property holds at most 64 KiB (32 Ki UTF-16 characters) and an entity 1 MiB, while a
 * submission may carry 1 MiB of source and a judgement 64 KiB of output per visible test. A JSON
 * value of at most {@value #INLINE_LIMIT_CHARS} characters is kept inline in its property; a
 * larger one goes to a blob in the container {@code <prefix>-submissions} (named
 * {@code <id>/<kind>-<uuid>.json}, never overwritten) and the property {@code <name>Blob} holds
 * the blob's name instead. Blobs are written before the row that refers to them; a write that
 * loses (a conflict, a duplicate) deletes its own blob.
 *
 * <h2>Concurrency</h2>
 * Every change is read, decide, write with {@code If-Match} = the ETag that was read; on
 * {@code 412 Precondition Failed} the call reads again and decides again, so the rules of
 * {@link SubmissionStore} (first judgement of a round wins) are checked against the state that
 * the write replaces. Two concurrent {@link #complete} calls both read {@code RUNNING}; one write
 * succeeds, the other gets 412, re-reads {@code DONE} and returns
 * {@link UpdateOutcome#ALREADY_DONE}.
 */
public final class TableSubmissionStore implements SubmissionStore {

    /** JSON values up to this many characters are kept in their table property. */
    public static final int INLINE_LIMIT_CHARS = 30_000;

    static final String STATE_ROW = "state";
    /** Where the tables SDK keeps an entity's ETag, which a conditional write sends as If-Match. */
    private static final String ODATA_ETAG = "odata.etag";
    static final String HISTORY_PREFIX = "history-";
    private static final String ALL_PARTITION = "all";
    private static final int MAX_CONFLICT_RETRIES = 50;
    private static final int MAX_PAGE_SIZE = 1000;
    /** A listing call reads at most this many index rows, so a rare status cannot make it scan forever. */
    private static final int MAX_SCANNED_PER_CALL = 2000;
    /** Index rows resolved at once when a listing filters on status. */
    private static final int STATUS_BATCH = 100;
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,29}|");

    private static final String STATUS = "Status", ROUND = "Round", ATTEMPT = "Attempt",
            TESTS_DONE = "TestsDone", TESTS_TOTAL = "TestsTotal", PROBLEM = "ProblemId",
            CONTEST = "ContestId", PARTICIPANT = "Participant", LANGUAGE = "Language",
            CREATED = "CreatedAt", UPDATED = "UpdatedAt", VERDICT = "Verdict", SCORE = "Score",
            SUBMISSION = "Submission", JUDGEMENT = "Judgement", SUBMISSION_ID = "SubmissionId";
    private static final List<String> SUMMARY_COLUMNS = List.of(STATUS, ROUND, ATTEMPT, TESTS_DONE,
            TESTS_TOTAL, PROBLEM, CONTEST, PARTICIPANT, LANGUAGE, CREATED, UPDATED, VERDICT, SCORE);

    private final TableClient submissions;
    private final TableClient index;
    private final PayloadBlobs payloads;
    private final AtomicLong conflicts = new AtomicLong();
    /**
     * 64: a worker needs one row per submission it judges at once (its slots); a row holds up to
     * two inline payloads of {@link #INLINE_LIMIT_CHARS}, so this bounds it to a few megabytes.
     */
    private final RecentStates recent = new RecentStates(64);
    /** Runs between the read and the conditional write of every change; tests widen races with it. */
    volatile Runnable beforeConditionalWrite = () -> { };

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
        this.submissions = tables.getTableClient(namePrefix + "submissions");
        this.index = tables.getTableClient(namePrefix + "submissionindex");
        this.payloads = new PayloadBlobs(blobs, namePrefix);
    }

    /**
     * How many conditional writes of this instance lost to a concurrent writer and were decided
     * again (a health metric: a steadily high rate means many workers fight over submissions).
     */
    public long conflicts() {
        return conflicts.get();
    }

    /** The blob container of large values (for operators and tests). */
    BlobContainerClient payloadContainer() {
        return payloads.container();
    }

    /** An adapter on the account of {@code connectionString} (see {@link AzureStorage}). */
    public static TableSubmissionStore fromConnectionString(String connectionString, String namePrefix) {
        return new TableSubmissionStore(AzureStorage.tables(connectionString),
                AzureStorage.blobs(connectionString), namePrefix);
    }

    // ---------------------------------------------------------------------------------- create

    @Override
    public boolean create(Submission submission) {
        Objects.requireNonNull(submission, "submission");
        String id = submission.id();
        Payload payload = payloads.store(id, "submission", Json.write(submission));
        Instant now = Instant.now();

        for (String partition : indexPartitions(submission)) {
            TableEntity row = new TableEntity(partition, indexRowKey(submission.createdAt(), id))
                    .addProperty(SUBMISSION_ID, id)
                    .addProperty(CREATED, time(submission.createdAt()));
            putIfNotNull(row, PROBLEM, submission.problemId());
            putIfNotNull(row, CONTEST, submission.contestId());
            row.addProperty(PARTICIPANT, submission.participant());
            index.upsertEntity(row);
        }

        TableEntity state = new TableEntity(id, STATE_ROW)
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
        payload.putInto(state, SUBMISSION);
        try {
            submissions.createEntity(state);
            return true;
        } catch (RuntimeException e) {
            payload.discard();
            if (!(e instanceof TableServiceException tse) || status(tse) != 409) {
                throw e;
            }
            Submission existing = get(id).map(SubmissionRecord::submission).orElse(null);
            if (submission.equals(existing)) {
                return false;
            }
            throw new IllegalStateException("another submission has the id " + id);
        }
    }

    // ------------------------------------------------------------------------------------- get

    @Override
    public Optional<SubmissionRecord> get(String id) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        TableEntity state = null;
        List<TableEntity> history = new ArrayList<>();
        for (TableEntity row : submissions.listEntities(
                new ListEntitiesOptions().setFilter("PartitionKey eq " + literal(id)), null, Context.NONE)) {
            if (STATE_ROW.equals(row.getRowKey())) {
                state = row;
            } else if (row.getRowKey().startsWith(HISTORY_PREFIX)) {
                history.add(row);
            }
        }
        if (state == null) {
            return Optional.empty();
        }
        long round = longOf(state, ROUND);
        Submission submission = Json.read(payloads.load(state, SUBMISSION), Submission.class);
        String judgementJson = payloads.load(state, JUDGEMENT);
        List<Judgement> past = history.stream()
                .filter(row -> longOf(row, ROUND) < round)
                .sorted(Comparator.comparingLong(row -> longOf(row, ROUND)))
                .map(row -> Json.read(payloads.load(row, JUDGEMENT), Judgement.class))
                .toList();
        SubmissionRecord record = new SubmissionRecord(submission, statusOf(state), round,
                intOf(state, ATTEMPT), intOf(state, TESTS_DONE), intOf(state, TESTS_TOTAL),
                judgementJson == null ? null : Json.read(judgementJson, Judgement.class),
                past, instantOf(state, UPDATED));
        recent.remember(id, state);
        return Optional.of(record);
    }

    // ------------------------------------------------------------------------------- lifecycle

    @Override
    public UpdateOutcome markRunning(String id, long round, int attempt, int testsTotal) {
        requireAttempt(attempt);
        if (testsTotal < 0) {
            throw new IllegalArgumentException("testsTotal must be >= 0, was " + testsTotal);
        }
        return update(id, null, state -> {
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
        return update(id, null, state -> {
            UpdateOutcome refused = refusal(state, id, round, attempt);
            if (refused != null) {
                return Decision.keep(refused);
            }
            if (attempt > intOf(state, ATTEMPT) || statusOf(state) != SubmissionStatus.RUNNING) {
                throw new IllegalStateException("attempt " + attempt + " of submission " + id
                        + " reports progress without markRunning");
            }
            if (testsDone > intOf(state, TESTS_TOTAL)) {
                throw new IllegalArgumentException("testsDone " + testsDone + " is past the total "
                        + intOf(state, TESTS_TOTAL));
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
        Payload payload = payloads.store(id, "judgement-r" + judgement.round() + "-a" + judgement.attempt(),
                Json.write(judgement));
        return update(id, payload, state -> {
            UpdateOutcome refused = refusal(state, id, judgement.round(), 0);
            if (refused != null) {
                return Decision.keep(refused);
            }
            state.addProperty(STATUS, SubmissionStatus.DONE.name())
                    .addProperty(ATTEMPT, judgement.attempt())
                    .addProperty(TESTS_DONE, judgement.tests().size())
                    .addProperty(TESTS_TOTAL, Math.max(intOf(state, TESTS_TOTAL), judgement.tests().size()))
                    .addProperty(VERDICT, judgement.verdict().name())
                    .addProperty(SCORE, judgement.score());
            payload.putInto(state, JUDGEMENT);
            return Decision.write(state);
        });
    }

    @Override
    public UpdateOutcome startRegrade(String id, long regradeRound) {
        if (regradeRound <= 0) {
            throw new IllegalArgumentException("regradeRound must be positive, was " + regradeRound);
        }
        return update(id, null, state -> {
            long current = longOf(state, ROUND);
            if (regradeRound < current) {
                return Decision.keep(UpdateOutcome.STALE);
            }
            if (regradeRound == current) {
                return Decision.keep(UpdateOutcome.UNCHANGED);
            }
            TableEntity history = null;
            if (statusOf(state) == SubmissionStatus.DONE) {
                history = new TableEntity(id, historyRowKey(current)).addProperty(ROUND, current);
                PayloadBlobs.copy(state, history, JUDGEMENT);
            }
            state.addProperty(STATUS, SubmissionStatus.QUEUED.name())
                    .addProperty(ROUND, regradeRound)
                    .addProperty(ATTEMPT, 0)
                    .addProperty(TESTS_DONE, 0)
                    .addProperty(TESTS_TOTAL, 0);
            state.getProperties().remove(VERDICT);
            state.getProperties().remove(SCORE);
            PayloadBlobs.remove(state, JUDGEMENT);
            return history == null ? Decision.write(state) : Decision.write(state, history);
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
            throw new IllegalStateException("round " + round + " of submission " + id
                    + " was never started; the current round is " + current);
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

    /** What one read-decide step concluded: leave the row as it is, or write these rows. */
    private record Decision(UpdateOutcome outcome, TableEntity state, TableEntity extra) {
        static Decision keep(UpdateOutcome outcome) {
            return new Decision(outcome, null, null);
        }

        static Decision write(TableEntity state) {
            return new Decision(UpdateOutcome.APPLIED, state, null);
        }

        static Decision write(TableEntity state, TableEntity extra) {
            return new Decision(UpdateOutcome.APPLIED, state, extra);
        }
    }

    private interface Decider {
        Decision decide(TableEntity state);
    }

    /**
     * Reads the state row, lets {@code decider} decide on it, and writes the decision conditioned
     * on the ETag that was read; reads and decides again when another writer came first.
     * {@code payload}, when given, is a blob that only a successful write keeps. The row this
     * process read or wrote last ({@link RecentStates}) stands in for the first read, but only
     * for a decision to write: the conditional write proves it current, and a decision to leave
     * the row alone (or a refusal) is only taken on a row read now.
     */
    private UpdateOutcome update(String id, Payload payload, Decider decider) {
        if (!Ids.isValid(id)) {
            return UpdateOutcome.NOT_FOUND;
        }
        boolean kept = false;
        try {
            Decision known = decideOnKnown(id, decider);
            if (known != null && write(id, known)) {
                kept = true;
                return known.outcome();
            }
            for (int i = 0; i < MAX_CONFLICT_RETRIES; i++) {
                TableEntity state = readState(id, null);
                if (state == null) {
                    return UpdateOutcome.NOT_FOUND;
                }
                Decision decision = decider.decide(state);
                if (decision.state() == null) {
                    return decision.outcome();
                }
                if (write(id, decision)) {
                    kept = true;
                    return decision.outcome();
                }
                backOff(i);
            }
            throw new ConcurrentModificationException("submission " + id + " kept changing during "
                    + MAX_CONFLICT_RETRIES + " tries");
        } finally {
            if (payload != null && !kept) {
                payload.discard();
            }
        }
    }

    /** The decision on the remembered row when it is a write of that row alone, else {@code null}. */
    private Decision decideOnKnown(String id, Decider decider) {
        TableEntity known = recent.take(id);
        if (known == null) {
            return null;
        }
        try {
            Decision decision = decider.decide(known);
            return decision.state() != null && decision.extra() == null ? decision : null;
        } catch (RuntimeException e) {
            return null; // a refusal on a row that may be stale: decided again on a fresh read
        }
    }

    /**
     * Writes a decision conditioned on the ETag of the row it was taken on; {@code false} when
     * another writer changed (412) or deleted (404) the row since.
     */
    private boolean write(String id, Decision decision) {
        decision.state().addProperty(UPDATED, time(Instant.now()));
        beforeConditionalWrite.run();
        try {
            if (decision.extra() == null) {
                String etag = etagOf(submissions.updateEntityWithResponse(decision.state(),
                        TableEntityUpdateMode.REPLACE, true, null, Context.NONE).getHeaders().getValue(HttpHeaderName.ETAG));
                if (etag != null) {
                    decision.state().getProperties().put(ODATA_ETAG, etag);
                    recent.remember(id, decision.state());
                }
            } else {
                submissions.submitTransaction(List.of(
                        new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE, decision.extra()),
                        new TableTransactionAction(TableTransactionActionType.UPDATE_REPLACE, decision.state(), true)));
            }
            return true;
        } catch (TableServiceException e) {
            if (lostToAnotherWriter(e)) {
                conflicts.incrementAndGet();
                return false;
            }
            if (status(e) == 404) {
                return false; // deleted since: the fresh read says NOT_FOUND
            }
            throw e;
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L + 5L * Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private TableEntity readState(String id, List<String> select) {
        try {
            return submissions.getEntityWithResponse(id, STATE_ROW, select, null, Context.NONE).getValue();
        } catch (TableServiceException e) {
            if (status(e) == 404) {
                return null;
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------ list

    @Override
    public Page<SubmissionSummary> list(SubmissionFilter filter, int pageSize, String continuationToken) {
        Objects.requireNonNull(filter, "filter");
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be 1.." + MAX_PAGE_SIZE + ", was " + pageSize);
        }
        String partition = filter.participant() != null ? "u~" + keyPart(filter.participant())
                : filter.problemId() != null ? "p~" + keyPart(filter.problemId())
                : filter.contestId() != null ? "c~" + keyPart(filter.contestId())
                : ALL_PARTITION;
        String after = null;
        if (continuationToken != null) {
            String[] parts = decodeToken(continuationToken);
            if (!parts[0].equals(partition)) {
                throw new IllegalArgumentException("the continuation token belongs to another listing");
            }
            after = parts[1];
        }
        StringBuilder query = new StringBuilder("PartitionKey eq ").append(literal(partition));
        if (after != null) {
            query.append(" and RowKey gt ").append(literal(after));
        }
        if (filter.problemId() != null) {
            query.append(" and ProblemId eq ").append(literal(filter.problemId()));
        }
        if (filter.contestId() != null) {
            query.append(" and ContestId eq ").append(literal(filter.contestId()));
        }
        if (filter.participant() != null) {
            query.append(" and Participant eq ").append(literal(filter.participant()));
        }
        Iterator<TableEntity> rows = index.listEntities(new ListEntitiesOptions()
                .setFilter(query.toString()).setTop(Math.min(Math.max(pageSize, STATUS_BATCH) + 1, MAX_PAGE_SIZE)), null, Context.NONE)
                .iterator();

        List<SubmissionSummary> items = new ArrayList<>();
        String last = after;
        int scanned = 0;
        boolean unread = false;
        while (!unread && items.size() < pageSize && scanned < MAX_SCANNED_PER_CALL && rows.hasNext()) {
            // Without a status filter nearly every row is a hit; with one, read ahead in bigger
            // batches so that a rare status does not cost one round trip per row.
            int wanted = pageSize - items.size();
            int batchSize = filter.status() == null ? wanted : Math.max(wanted, STATUS_BATCH);
            List<TableEntity> batch = new ArrayList<>();
            while (rows.hasNext() && batch.size() < batchSize) {
                batch.add(rows.next());
            }
            scanned += batch.size();
            List<SubmissionSummary> resolved = resolve(batch);
            for (int i = 0; i < batch.size(); i++) {
                if (items.size() == pageSize) {
                    unread = true;
                    break;
                }
                last = batch.get(i).getRowKey();
                SubmissionSummary summary = resolved.get(i);
                if (summary != null && filter.matches(summary)) {
                    items.add(summary);
                }
            }
        }
        String next = unread || rows.hasNext() ? encodeToken(partition, last) : null;
        return new Page<>(items, next);
    }

    /** The state rows of {@code indexRows}, read in parallel; {@code null} where one is missing or disagrees. */
    private List<SubmissionSummary> resolve(List<TableEntity> indexRows) {
        List<Callable<SubmissionSummary>> reads = new ArrayList<>(indexRows.size());
        for (TableEntity row : indexRows) {
            reads.add(() -> {
                String id = (String) row.getProperty(SUBMISSION_ID);
                TableEntity state = readState(id, SUMMARY_COLUMNS);
                if (state == null || !Objects.equals(instantOf(state, CREATED), instantOf(row, CREATED))
                        || !Objects.equals(state.getProperty(PARTICIPANT), row.getProperty(PARTICIPANT))
                        || !Objects.equals(state.getProperty(PROBLEM), row.getProperty(PROBLEM))
                        || !Objects.equals(state.getProperty(CONTEST), row.getProperty(CONTEST))) {
                    return null;
                }
                return summaryOf(id, state);
            });
        }
        return Parallel.all(reads);
    }

    private static SubmissionSummary summaryOf(String id, TableEntity state) {
        Object verdict = state.getProperty(VERDICT);
        Object score = state.getProperty(SCORE);
        return new SubmissionSummary(id, (String) state.getProperty(PROBLEM),
                (String) state.getProperty(CONTEST), (String) state.getProperty(PARTICIPANT),
                (String) state.getProperty(LANGUAGE), instantOf(state, CREATED), statusOf(state),
                longOf(state, ROUND), verdict == null ? null : Verdict.valueOf((String) verdict),
                score == null ? null : ((Number) score).intValue(), intOf(state, TESTS_DONE),
                intOf(state, TESTS_TOTAL), instantOf(state, UPDATED));
    }

    private static List<String> indexPartitions(Submission submission) {
        List<String> partitions = new ArrayList<>(4);
        partitions.add(ALL_PARTITION);
        if (submission.problemId() != null) {
            partitions.add("p~" + keyPart(submission.problemId()));
        }
        if (submission.contestId() != null) {
            partitions.add("c~" + keyPart(submission.contestId()));
        }
        partitions.add("u~" + keyPart(submission.participant()));
        return partitions;
    }

    static String indexRowKey(Instant createdAt, String id) {
        long millis = Math.max(0, createdAt.toEpochMilli());
        return String.format("%019d~%s", Long.MAX_VALUE - millis, id);
    }

    static String historyRowKey(long round) {
        return HISTORY_PREFIX + String.format("%019d", round);
    }

    private static String encodeToken(String partition, String rowKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("v1\n" + partition + "\n" + rowKey).getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decodeToken(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length == 3 && parts[0].equals("v1")) {
                return new String[] {parts[1], parts[2]};
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw new IllegalArgumentException("not a continuation token of this store");
    }

    /**
     * {@code value} with the characters that table keys forbid ({@code / \ # ?}, control
     * characters) and this class's separators ({@code ~ %}) percent-encoded as UTF-8.
     */
    static String keyPart(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '\\' || c == '#' || c == '?' || c == '~' || c == '%'
                    || c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(String.format("%02X", b & 0xff));
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** An OData string literal. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    // ------------------------------------------------------------------------------- retention

    /**
     * Walks the {@code all} index from the oldest end (its row keys grow as creation times
     * shrink), deleting per submission: its blobs, the rows of its partition, its index rows in
     * the other partitions, and last its {@code all} row, so a purge interrupted halfway is
     * finished by the next one.
     */
    @Override
    public int purgeCreatedBefore(Instant cutoff) {
        String filter = "PartitionKey eq " + literal(ALL_PARTITION) + " and RowKey gt "
                + literal(indexRowKey(cutoff, ""));
        int purged = 0;
        for (TableEntity row : index.listEntities(new ListEntitiesOptions().setFilter(filter), null, Context.NONE)) {
            erase((String) row.getProperty(SUBMISSION_ID), row.getRowKey(), (String) row.getProperty(PROBLEM),
                    (String) row.getProperty(CONTEST), (String) row.getProperty(PARTICIPANT));
            purged++;
        }
        return purged;
    }

    @Override
    public void delete(Submission submission) {
        erase(submission.id(), indexRowKey(submission.createdAt(), submission.id()), submission.problemId(),
                submission.contestId(), submission.participant());
    }

    /** One submission's blobs, the rows of its partition, its index rows, and last its {@code all} row. */
    private void erase(String id, String indexRowKey, String problemId, String contestId, String participant) {
        recent.forget(id);
        payloads.deleteAll(id);
        for (TableEntity own : submissions.listEntities(new ListEntitiesOptions()
                .setFilter("PartitionKey eq " + literal(id)), null, Context.NONE)) {
            deleteQuietly(submissions, own.getPartitionKey(), own.getRowKey());
        }
        List<String> partitions = new ArrayList<>();
        if (problemId != null) {
            partitions.add("p~" + keyPart(problemId));
        }
        if (contestId != null) {
            partitions.add("c~" + keyPart(contestId));
        }
        partitions.add("u~" + keyPart(participant));
        partitions.add(ALL_PARTITION);
        for (String partition : partitions) {
            deleteQuietly(index, partition, indexRowKey);
        }
    }

    private static void deleteQuietly(TableClient table, String partition, String row) {
        try {
            table.deleteEntity(partition, row);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() != 404) {
                throw e; // 404: another purge got there first
            }
        }
    }

    // ------------------------------------------------------------------------------- helpers

    /**
     * The ETag of a write's response as the next conditional write must send it. Azurite 3.35
     * drops the closing quote of the weak ETag header (W/"datetime'...'), which a later If-Match
     * then fails with 400; Azure sends it whole.
     */
    private static String etagOf(String header) {
        return header == null || header.endsWith("\"") ? header : header + "\"";
    }

    /**
     * True for a failed {@code If-Match}: 412 on a single write; in a transaction the batch
     * answers for itself and the failed action's error code tells.
     */
    private static boolean lostToAnotherWriter(TableServiceException e) {
        return status(e) == 412 || (e.getValue() != null
                && TableErrorCode.UPDATE_CONDITION_NOT_SATISFIED.equals(e.getValue().getErrorCode()));
    }

    private static int status(TableServiceException e) {
        return e.getResponse() == null ? -1 : e.getResponse().getStatusCode();
    }

    private static void putIfNotNull(TableEntity entity, String name, String value) {
        if (value != null) {
            entity.addProperty(name, value);
        }
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instantOf(TableEntity entity, String name) {
        Object value = entity.getProperty(name);
        return value == null ? null : ((OffsetDateTime) value).toInstant();
    }

    private static long longOf(TableEntity entity, String name) {
        Object value = entity.getProperty(name);
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static int intOf(TableEntity entity, String name) {
        Object value = entity.getProperty(name);
        return value == null ? 0 : ((Number) value).intValue();
    }

    private static SubmissionStatus statusOf(TableEntity entity) {
        return SubmissionStatus.valueOf((String) entity.getProperty(STATUS));
    }
}
