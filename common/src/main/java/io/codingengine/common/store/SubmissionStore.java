package io.codingengine.common.store;

import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The verdict store: submissions, where they are, and their judgements, written by the api and
 * the workers, polled by clients. Thread-safe; every method may be called from many processes at
 * once.
 *
 * <h2>Grading rounds and attempts</h2>
 * A submission is judged in <em>rounds</em>: round {@code 0} when it is created, and each
 * {@link #startRegrade regrade} opens a later round. Each round is carried by one queue message,
 * which the queue may deliver more than once (a worker died, a lock expired, a duplicate); each
 * delivery is an <em>attempt</em>, numbered from 1 (the broker's delivery count). Workers pass
 * the round and attempt of their message to every call.
 *
 * <h2>Idempotency: the first judgement of a round wins</h2>
 * <ul>
 *   <li>{@link #complete} records a judgement only while its round is the current round and no
 *       judgement of that round exists. The first call to get there wins, whatever its attempt; every
 *       later call for the same round, from the same or another attempt, changes nothing and gets
 *       {@link UpdateOutcome#ALREADY_DONE}. A judgement is written whole, in one conditional write,
 *       so a reader never sees parts of two judgements.</li>
 *   <li>A call for an older round gets {@link UpdateOutcome#STALE} and changes nothing, so a late
 *       worker of round 0 cannot overwrite a regrade.</li>
 *   <li>{@link #markRunning} and {@link #reportProgress} from an attempt older than the running one
 *       get {@link UpdateOutcome#STALE}; progress never moves backwards.</li>
 *   <li>A call for a round later than the current one is a bug of the caller (rounds are started
 *       here before their message is sent) and throws {@link IllegalStateException}.</li>
 * </ul>
 * Adapters make these checks and the write one atomic step (optimistic concurrency: a write
 * conditioned on the version that was read, retried on conflict).
 *
 * <p>Failures of the underlying storage surface as the storage client's unchecked exceptions.
 */
public interface SubmissionStore {

    /**
     * Stores a new submission, {@code QUEUED} in round 0. Creating the same submission again (the
     * same id and an equal value: a retried request) changes nothing and returns {@code false}.
     *
     * @return {@code true} when it was created, {@code false} when it already existed
     * @throws IllegalStateException when a different submission has that id
     */
    boolean create(Submission submission);

    /** The submission with that id, with its status, judgement and history, or empty. */
    Optional<SubmissionRecord> get(String id);

    /**
     * A worker took the round's message and is about to compile and run {@code testsTotal} tests.
     * Moves {@code QUEUED} (or {@code RUNNING} by an older attempt) to {@code RUNNING} with progress
     * 0 of {@code testsTotal}.
     *
     * @return {@link UpdateOutcome#APPLIED}; {@link UpdateOutcome#UNCHANGED} when this attempt
     *         already marked it; {@link UpdateOutcome#ALREADY_DONE} when the round is judged (skip
     *         the work); {@link UpdateOutcome#STALE} for an older round or attempt; or
     *         {@link UpdateOutcome#NOT_FOUND}
     * @throws IllegalStateException when {@code round} is later than the current round
     */
    UpdateOutcome markRunning(String id, long round, int attempt, int testsTotal);

    /**
     * The running attempt finished {@code testsDone} tests. Progress only moves forward.
     *
     * @return {@link UpdateOutcome#APPLIED}; {@link UpdateOutcome#UNCHANGED} when the stored
     *         progress is not behind; {@link UpdateOutcome#ALREADY_DONE};
     *         {@link UpdateOutcome#STALE}; or {@link UpdateOutcome#NOT_FOUND}
     * @throws IllegalStateException    when this attempt did not {@link #markRunning}, or the round
     *                                  is later than the current one
     * @throws IllegalArgumentException when {@code testsDone} is past the attempt's total
     */
    UpdateOutcome reportProgress(String id, long round, int attempt, int testsDone);

    /**
     * Records the judgement of its round ({@link Judgement#round()}, {@link Judgement#attempt()})
     * and moves the submission to {@code DONE}, unless that round already has one: the first
     * judgement of a round wins (see the class comment). Allowed from {@code QUEUED} too (a worker
     * may judge without marking progress, e.g. a compile error).
     *
     * @return {@link UpdateOutcome#APPLIED} when this judgement is now the round's;
     *         {@link UpdateOutcome#ALREADY_DONE} when another one was first;
     *         {@link UpdateOutcome#STALE} for an older round; or {@link UpdateOutcome#NOT_FOUND}
     * @throws IllegalStateException when the judgement's round is later than the current round
     */
    UpdateOutcome complete(String id, Judgement judgement);

    /**
     * Opens grading round {@code regradeRound} (greater than the current round): the current
     * judgement, if the current round has one, moves to the end of the history, and the submission
     * is {@code QUEUED} again with no judgement and no progress. The caller then enqueues it with
     * that round. Starting the same round again changes nothing ({@link UpdateOutcome#UNCHANGED}),
     * so a batch regrade can be retried; an older round gets {@link UpdateOutcome#STALE}.
     *
     * @param regradeRound the batch's round number, shared by every submission it regrades;
     *                     must be positive
     */
    default UpdateOutcome startRegrade(String id, long regradeRound) {
        return startRegrade(id, regradeRound, false);
    }

    /**
     * {@link #startRegrade(String, long)}, remembering with the round whether it runs every test
     * ({@code allTests}: a regrade that asks for it, or one in a POINTS contest), so that a round
     * the sweeper sends again ({@link StalledRound#allTests}) is judged the way it was asked.
     * Starting the same round again changes nothing, its flag included.
     */
    UpdateOutcome startRegrade(String id, long regradeRound, boolean allTests);

    /**
     * The running attempt is alive: marks the record changed now, so that {@link #stalled} does not
     * take it for a round whose worker is gone. A worker calls this at least every
     * {@code coding-engine.worker.heartbeat} while it judges (progress is not stored on its own).
     *
     * @return {@link UpdateOutcome#APPLIED}; {@link UpdateOutcome#STALE} for an older round or an
     *         attempt older than the running one (another delivery took the round over);
     *         {@link UpdateOutcome#UNCHANGED} when this attempt is not running the round otherwise;
     *         {@link UpdateOutcome#ALREADY_DONE}; or {@link UpdateOutcome#NOT_FOUND}
     */
    UpdateOutcome heartbeat(String id, long round, int attempt);

    /**
     * Rounds not judged ({@code QUEUED} or {@code RUNNING}) whose record last changed before
     * {@code unchangedSince}: at most {@code max} of them, oldest change first where the adapter
     * can sort (any of them otherwise; the next sweep finds the rest).
     *
     * @param max 1 to 1000
     */
    List<StalledRound> stalled(java.time.Instant unchangedSince, int max);

    /**
     * Takes a stalled round for sending again: when submission {@code id} is still not judged in
     * {@code round} and its record unchanged since before {@code unchangedSince}, marks the record
     * changed now and answers {@link UpdateOutcome#APPLIED}. The check and the mark are one atomic
     * step, so of several sweepers (api replicas) claiming one round at once exactly one is
     * answered {@code APPLIED}, and the round is not claimed again until it has stalled for as long
     * once more.
     *
     * @return {@link UpdateOutcome#APPLIED}; {@link UpdateOutcome#UNCHANGED} when the record changed
     *         since (a worker marked it, or another sweeper claimed it); {@link UpdateOutcome#ALREADY_DONE};
     *         {@link UpdateOutcome#STALE} when a later round started; or {@link UpdateOutcome#NOT_FOUND}
     */
    UpdateOutcome claimStalled(String id, long round, java.time.Instant unchangedSince);

    /**
     * Lists the submissions matching {@code filter}, newest first.
     *
     * @param pageSize          the most items to return, 1 to 1000; a page may hold fewer even
     *                          when more follow (the adapter bounds the work of one call)
     * @param continuationToken {@code null} for the first page, else the token of the previous page
     *                          of a listing with the same filter
     * @throws IllegalArgumentException for a bad page size or a token of another listing
     */
    Page<SubmissionSummary> list(SubmissionFilter filter, int pageSize, String continuationToken);

    /**
     * Deletes every submission created before {@code cutoff}: its source, judgements, outputs,
     * history and index rows (retention). Safe to run from several processes at once.
     *
     * @return how many submissions were deleted
     */
    int purgeCreatedBefore(java.time.Instant cutoff);

    /**
     * Deletes one submission as {@link #purgeCreatedBefore} would (an api refusing a submission it
     * stored first, see the waiting limit); deleting one that is gone changes nothing.
     */
    void delete(Submission submission);

    /** Every submission matching {@code filter}, newest first, read page by page. */
    default List<SubmissionSummary> listAll(SubmissionFilter filter) {
        List<SubmissionSummary> all = new ArrayList<>();
        String token = null;
        do {
            Page<SubmissionSummary> page = list(filter, 1000, token);
            all.addAll(page.items());
            token = page.continuationToken();
        } while (token != null);
        return all;
    }
}
