package io.codingengine.common.store;

import static io.codingengine.common.store.Rows.ATTEMPT;
import static io.codingengine.common.store.Rows.CONTEST;
import static io.codingengine.common.store.Rows.CREATED;
import static io.codingengine.common.store.Rows.FIRST_FAILURE;
import static io.codingengine.common.store.Rows.LANGUAGE;
import static io.codingengine.common.store.Rows.PARTICIPANT;
import static io.codingengine.common.store.Rows.PROBLEM;
import static io.codingengine.common.store.Rows.ROUND;
import static io.codingengine.common.store.Rows.SCORE;
import static io.codingengine.common.store.Rows.STATUS;
import static io.codingengine.common.store.Rows.SUBMISSION_ID;
import static io.codingengine.common.store.Rows.TESTS_DONE;
import static io.codingengine.common.store.Rows.TESTS_TOTAL;
import static io.codingengine.common.store.Rows.UPDATED;
import static io.codingengine.common.store.Rows.VERDICT;
import static io.codingengine.common.store.Rows.instantOf;
import static io.codingengine.common.store.Rows.intOf;
import static io.codingengine.common.store.Rows.literal;
import static io.codingengine.common.store.Rows.longOf;
import static io.codingengine.common.store.Rows.putIfNotNull;
import static io.codingengine.common.store.Rows.statusOf;
import static io.codingengine.common.store.Rows.time;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The listing index, table {@code <prefix>submissionindex} (see the package documentation):
 * write-once rows of a submission's immutable facts, one in each partition it is listed in.
 *
 * <p>A listing reads the most selective partition (participant, else problem, else contest, else
 * {@code all}), filters the other immutable fields on the server, then reads each hit's state row
 * (only the summary columns, in parallel) for its status and verdict, filtering on status there.
 * An index row whose state row is missing or disagrees (a create that failed half-way, or lost to
 * another submission with the same id) is skipped.
 */
final class SubmissionIndex {

    private static final String ALL_PARTITION = "all";
    private static final int MAX_PAGE_SIZE = 1000;
    /** A listing call reads at most this many index rows, so a rare status cannot make it scan forever. */
    private static final int MAX_SCANNED_PER_CALL = 2000;
    /** Index rows resolved at once when a listing filters on status. */
    private static final int STATUS_BATCH = 100;

    private static final List<String> SUMMARY_COLUMNS = List.of(
            STATUS,
            ROUND,
            ATTEMPT,
            TESTS_DONE,
            TESTS_TOTAL,
            PROBLEM,
            CONTEST,
            PARTICIPANT,
            LANGUAGE,
            CREATED,
            UPDATED,
            VERDICT,
            SCORE,
            FIRST_FAILURE);

    private final TableClient table;
    private final StateRows states;

    SubmissionIndex(TableClient table, StateRows states) {
        this.table = table;
        this.states = states;
    }

    /** What a submission's index rows say of it: enough to find and delete every one of them. */
    record Entry(String submissionId, String rowKey, String problemId, String contestId, String participant) {
        static Entry of(Submission submission) {
            return new Entry(
                    submission.id(),
                    SubmissionIndex.rowKey(submission.createdAt(), submission.id()),
                    submission.problemId(),
                    submission.contestId(),
                    submission.participant());
        }

        /** The partitions besides {@code all} that list the submission. */
        List<String> ownPartitions() {
            List<String> partitions = new ArrayList<>(3);
            if (problemId != null) {
                partitions.add("p~" + keyPart(problemId));
            }
            if (contestId != null) {
                partitions.add("c~" + keyPart(contestId));
            }
            partitions.add("u~" + keyPart(participant));
            return partitions;
        }
    }

    /**
     * Writes the index rows of a new submission, {@code all} first: a create that fails half-way
     * leaves at least that row, by which {@link #createdBefore} finds it for a purge.
     */
    void add(Submission submission) {
        Entry entry = Entry.of(submission);
        List<String> partitions = new ArrayList<>(List.of(ALL_PARTITION));
        partitions.addAll(entry.ownPartitions());
        for (String partition : partitions) {
            TableEntity row = new TableEntity(partition, entry.rowKey())
                    .addProperty(SUBMISSION_ID, submission.id())
                    .addProperty(CREATED, time(submission.createdAt()));
            putIfNotNull(row, PROBLEM, submission.problemId());
            putIfNotNull(row, CONTEST, submission.contestId());
            row.addProperty(PARTICIPANT, submission.participant());
            table.upsertEntity(row);
        }
    }

    /**
     * Deletes the index rows of one submission, {@code all} last: a purge interrupted half-way
     * finds the submission again by that row and finishes.
     */
    void remove(Entry entry) {
        for (String partition : entry.ownPartitions()) {
            Rows.deleteQuietly(table, partition, entry.rowKey());
        }
        Rows.deleteQuietly(table, ALL_PARTITION, entry.rowKey());
    }

    /**
     * The submissions created before {@code cutoff}, oldest first: the {@code all} partition from
     * its far end, where row keys grow as creation times shrink. Read lazily, page by page.
     */
    Iterable<Entry> createdBefore(Instant cutoff) {
        String filter = "PartitionKey eq " + literal(ALL_PARTITION) + " and RowKey gt " + literal(rowKey(cutoff, ""));
        return table.listEntities(new ListEntitiesOptions().setFilter(filter), null, Context.NONE)
                .mapPage(row -> new Entry(
                        (String) row.getProperty(SUBMISSION_ID),
                        row.getRowKey(),
                        (String) row.getProperty(PROBLEM),
                        (String) row.getProperty(CONTEST),
                        (String) row.getProperty(PARTICIPANT)));
    }

    /** See {@link SubmissionStore#list}. */
    Page<SubmissionSummary> list(SubmissionFilter filter, int pageSize, String continuationToken) {
        Objects.requireNonNull(filter, "filter");
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be 1.." + MAX_PAGE_SIZE + ", was " + pageSize);
        }
        String partition = filter.participant() != null
                ? "u~" + keyPart(filter.participant())
                : filter.problemId() != null
                        ? "p~" + keyPart(filter.problemId())
                        : filter.contestId() != null ? "c~" + keyPart(filter.contestId()) : ALL_PARTITION;
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
        Iterator<TableEntity> rows = table.listEntities(
                        new ListEntitiesOptions()
                                .setFilter(query.toString())
                                .setTop(Math.min(Math.max(pageSize, STATUS_BATCH) + 1, MAX_PAGE_SIZE)),
                        null,
                        Context.NONE)
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
                TableEntity state = states.readState(id, SUMMARY_COLUMNS);
                if (state == null
                        || !Objects.equals(instantOf(state, CREATED), instantOf(row, CREATED))
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
        Object firstFailure = state.getProperty(FIRST_FAILURE);
        return new SubmissionSummary(
                id,
                (String) state.getProperty(PROBLEM),
                (String) state.getProperty(CONTEST),
                (String) state.getProperty(PARTICIPANT),
                (String) state.getProperty(LANGUAGE),
                instantOf(state, CREATED),
                statusOf(state),
                longOf(state, ROUND),
                verdict == null ? null : Verdict.valueOf((String) verdict),
                score == null ? null : ((Number) score).intValue(),
                intOf(state, TESTS_DONE),
                intOf(state, TESTS_TOTAL),
                instantOf(state, UPDATED),
                firstFailure == null ? null : Verdict.valueOf((String) firstFailure));
    }

    /** {@code Long.MAX_VALUE - createdAt millis} as 19 digits, {@code ~}, the id: a partition reads newest first. */
    static String rowKey(Instant createdAt, String id) {
        long millis = Math.max(0, createdAt.toEpochMilli());
        return String.format("%019d~%s", Long.MAX_VALUE - millis, id);
    }

    /**
     * {@code value} with the characters that table keys forbid ({@code / \ # ?}, control
     * characters) and this class's separators ({@code ~ %}) percent-encoded as UTF-8.
     */
    static String keyPart(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/'
                    || c == '\\'
                    || c == '#'
                    || c == '?'
                    || c == '~'
                    || c == '%'
                    || c < 0x20
                    || (c >= 0x7f && c <= 0x9f)) {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(String.format("%02X", b & 0xff));
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The partition and the last row key a page read: the next page reads on after it. */
    private static String encodeToken(String partition, String rowKey) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("v1\n" + partition + "\n" + rowKey).getBytes(StandardCharsets.UTF_8));
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
}
