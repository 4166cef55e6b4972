package io.codingengine.common.store;

import static io.codingengine.common.store.Rows.ATTEMPT;
import static io.codingengine.common.store.Rows.JUDGEMENT;
import static io.codingengine.common.store.Rows.ROUND;
import static io.codingengine.common.store.Rows.STATUS;
import static io.codingengine.common.store.Rows.UPDATED;
import static io.codingengine.common.store.Rows.literal;
import static io.codingengine.common.store.Rows.longOf;
import static io.codingengine.common.store.Rows.status;
import static io.codingengine.common.store.Rows.time;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.store.PayloadBlobs.Payload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The partitions of the {@code <prefix>submissions} table: each submission's state row, changed
 * only by compare-and-swap, and the history rows that regrades write beside it.
 *
 * <p>Every change is read, decide, write with {@code If-Match} = the ETag that was read; on
 * {@code 412 Precondition Failed} the change reads again and decides again, so the rules of
 * {@link SubmissionStore} (first judgement of a round wins) are checked against the state that
 * the write replaces. Two concurrent {@code complete} calls both read {@code RUNNING}; one write
 * succeeds, the other gets 412, re-reads {@code DONE} and returns
 * {@link UpdateOutcome#ALREADY_DONE}.
 */
final class StateRows {

    private static final String STATE_ROW = "state";
    private static final String HISTORY_PREFIX = "history-";
    /** Where the tables SDK keeps an entity's ETag, which a conditional write sends as If-Match. */
    private static final String ODATA_ETAG = "odata.etag";

    private static final int MAX_CONFLICT_RETRIES = 50;

    private final TableClient table;
    private final Runnable beforeConditionalWrite;
    private final AtomicLong conflicts = new AtomicLong();
    /**
     * 64: a worker needs one row per submission it judges at once (its slots); a row holds up to
     * two inline payloads of {@link TableSubmissionStore#INLINE_LIMIT_CHARS}, so this bounds it to
     * a few megabytes.
     */
    private final RecentStates recent = new RecentStates(64);

    /** @param beforeConditionalWrite runs between the read and the conditional write of every change */
    StateRows(TableClient table, Runnable beforeConditionalWrite) {
        this.table = table;
        this.beforeConditionalWrite = beforeConditionalWrite;
    }

    /** How many conditional writes lost to a concurrent writer and were decided again. */
    long conflicts() {
        return conflicts.get();
    }

    /** A new state row for submission {@code id}, keyed here. */
    static TableEntity newState(String id) {
        return new TableEntity(id, STATE_ROW);
    }

    /** Writes a new state row; fails with 409 when the submission has one. */
    void create(TableEntity state) {
        table.createEntity(state);
    }

    /** The state row and the history rows of one submission, read together. */
    record Partition(TableEntity state, List<TableEntity> history) {}

    /**
     * The state row of {@code id} with its history rows of earlier rounds, oldest first, in one
     * single-partition query; {@code null} when there is no state row.
     */
    Partition read(String id) {
        TableEntity state = null;
        List<TableEntity> history = new ArrayList<>();
        for (TableEntity row : table.listEntities(
                new ListEntitiesOptions().setFilter("PartitionKey eq " + literal(id)), null, Context.NONE)) {
            if (STATE_ROW.equals(row.getRowKey())) {
                state = row;
            } else if (row.getRowKey().startsWith(HISTORY_PREFIX)) {
                history.add(row);
            }
        }
        if (state == null) {
            return null;
        }
        long round = longOf(state, ROUND);
        return new Partition(
                state,
                history.stream()
                        .filter(row -> longOf(row, ROUND) < round)
                        .sorted(Comparator.comparingLong(row -> longOf(row, ROUND)))
                        .toList());
    }

    /** The state row of {@code id} with only the {@code select} properties (all when null), or {@code null}. */
    TableEntity readState(String id, List<String> select) {
        try {
            return table.getEntityWithResponse(id, STATE_ROW, select, null, Context.NONE)
                    .getValue();
        } catch (TableServiceException e) {
            if (status(e) == 404) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Up to {@code max} state rows not {@code DONE} whose {@code UpdatedAt} is before {@code cutoff},
     * with only what a sweep needs. The table has no index on these properties: the service scans
     * every partition, returning pages (possibly empty) with continuation tokens, which is
     * affordable once a minute for the submissions that retention keeps.
     */
    List<TableEntity> unfinishedBefore(Instant cutoff, int max) {
        String filter = "RowKey eq " + literal(STATE_ROW) + " and " + STATUS + " ne "
                + literal(SubmissionStatus.DONE.name()) + " and " + UPDATED + " lt datetime"
                + literal(cutoff.toString());
        return table
                .listEntities(
                        new ListEntitiesOptions()
                                .setFilter(filter)
                                .setSelect(List.of("PartitionKey", STATUS, ROUND, ATTEMPT, UPDATED, Rows.ALL_TESTS)),
                        null,
                        Context.NONE)
                .stream()
                .limit(max)
                .toList();
    }

    /** Lets the next change of {@code id} decide on {@code state}, a row just read whole. */
    void remember(String id, TableEntity state) {
        recent.remember(id, state);
    }

    /** Deletes every row of submission {@code id}. */
    void deleteAll(String id) {
        recent.forget(id);
        for (TableEntity own : table.listEntities(
                new ListEntitiesOptions().setFilter("PartitionKey eq " + literal(id)), null, Context.NONE)) {
            Rows.deleteQuietly(table, own.getPartitionKey(), own.getRowKey());
        }
    }

    /**
     * The history row that keeps the judgement of {@code state}'s round once a regrade replaces
     * it. Being in the state row's partition, it is written with the regraded state row in one
     * entity-group transaction.
     */
    static TableEntity historyOf(TableEntity state) {
        long round = longOf(state, ROUND);
        TableEntity history = new TableEntity(state.getPartitionKey(), HISTORY_PREFIX + String.format("%019d", round))
                .addProperty(ROUND, round);
        PayloadBlobs.copy(state, history, JUDGEMENT);
        return history;
    }

    /** What one read-decide step concluded: leave the row as it is, or write these rows. */
    record Decision(UpdateOutcome outcome, TableEntity state, TableEntity extra) {
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

    /** A change: decides on the state row as read, changing it in place for a write. */
    interface Decider {
        Decision decide(TableEntity state);
    }

    /**
     * Reads the state row, lets {@code decider} decide on it, and writes the decision conditioned
     * on the ETag that was read; reads and decides again when another writer came first. The row
     * this process read or wrote last ({@link RecentStates}) stands in for the first read, but
     * only for a decision to write: the conditional write proves it current, and a decision to
     * leave the row alone (or a refusal) is only taken on a row read now.
     *
     * <p>{@code payload}, when given, is the value that a decision to write puts in the row. Its
     * blob, if it has one, is deleted unless a row names it or may come to. A write whose
     * response is lost may have been applied, so from the moment a write goes out until it is
     * refused the blob stays. And a refusal may answer the SDK sending a request again after
     * losing the response of the first, which was applied (412 from the ETag that the first one
     * changed): the rows are asked then.
     */
    UpdateOutcome update(String id, Payload payload, Decider decider) {
        if (!Ids.isValid(id)) {
            return UpdateOutcome.NOT_FOUND;
        }
        boolean mayBeApplied = false; // a write went out and no refusal came back
        boolean refused = false;
        try {
            Decision known = decideOnKnown(id, decider);
            if (known != null) {
                mayBeApplied = true;
                if (write(id, known)) {
                    return known.outcome();
                }
                mayBeApplied = false;
                refused = true;
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
                mayBeApplied = true;
                if (write(id, decision)) {
                    return decision.outcome();
                }
                mayBeApplied = false;
                refused = true;
                backOff(i);
            }
            throw new ConcurrentModificationException(
                    "submission " + id + " kept changing during " + MAX_CONFLICT_RETRIES + " tries");
        } finally {
            if (payload != null && !mayBeApplied && !(refused && namedAfterRefusal(id, payload))) {
                payload.discard();
            }
        }
    }

    /** Whether a row of submission {@code id} names the blob of {@code payload}. */
    boolean namesBlob(String id, Payload payload) {
        String naming = payload.rowsNamingIt();
        return naming != null
                && table.listEntities(
                                new ListEntitiesOptions()
                                        .setFilter("PartitionKey eq " + literal(id) + " and " + naming)
                                        .setTop(1),
                                null,
                                Context.NONE)
                        .iterator()
                        .hasNext();
    }

    /**
     * {@link #namesBlob} after a refused write: the state row, or the history row of a regrade
     * since. True when the rows cannot be read now: a blob left over is garbage until the
     * submission is deleted, a blob deleted under a row that names it breaks the submission.
     */
    private boolean namedAfterRefusal(String id, Payload payload) {
        try {
            return namesBlob(id, payload);
        } catch (RuntimeException e) {
            return true;
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
                String etag = etagOf(table.updateEntityWithResponse(
                                decision.state(), TableEntityUpdateMode.REPLACE, true, null, Context.NONE)
                        .getHeaders()
                        .getValue(HttpHeaderName.ETAG));
                if (etag != null) {
                    decision.state().getProperties().put(ODATA_ETAG, etag);
                    recent.remember(id, decision.state());
                }
            } else {
                table.submitTransaction(List.of(
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
        return status(e) == 412
                || (e.getValue() != null
                        && TableErrorCode.UPDATE_CONDITION_NOT_SATISFIED.equals(
                                e.getValue().getErrorCode()));
    }
}
