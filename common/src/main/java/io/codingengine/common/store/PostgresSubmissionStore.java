package io.codingengine.common.store;

import io.codingengine.common.json.Json;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.ConcurrentModificationException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link SubmissionStore} on PostgreSQL (schema in {@code db/migration}, see {@link PostgresSchema}).
 *
 * <h2>Tables</h2>
 * {@code submissions}: one row per submission, with its immutable facts in columns (problem,
 * contest, participant, language, creation time) for listings, the submission as created as JSON,
 * the current round's state, and once judged the judgement as JSON with its verdict and score in
 * columns. {@code submission_history}: the judgements that regrades replaced, one row per round,
 * deleted with their submission.
 *
 * <h2>Concurrency</h2>
 * Every state change of a worker ({@link #markRunning}, {@link #reportProgress}, {@link #complete})
 * is one conditional {@code UPDATE} whose {@code WHERE} holds exactly when the rules of
 * {@link SubmissionStore} let the call change the row, so the check and the write are one atomic
 * step: of two concurrent completions of a round, the second waits for the first's row lock, finds
 * the row {@code DONE} and changes nothing. When the update changes no row, the row is read to say
 * why ({@code STALE}, {@code ALREADY_DONE}, ...); should that read find a row the update would now
 * change (another writer came in between), the update is tried again. A regrade moves the judgement
 * into the history and resets the row in one transaction that holds the row's lock throughout.
 * Every call commits before it returns.
 *
 * <h2>Listings</h2>
 * Newest first by creation time, then id, from the index of the most selective filter; the
 * continuation token is the last row's creation time and id (keyset pagination, no server-side
 * state) and names its listing's filter, so a token of another listing is refused.
 */
public final class PostgresSubmissionStore implements SubmissionStore {

    private static final int MAX_PAGE_SIZE = 1000;
    /** Tries of one change whose row keeps changing under it: far above what real contention needs. */
    private static final int MAX_TRIES = 50;

    private static final String SUMMARY_COLUMNS = "id, problem_id, contest_id, participant, language, created_at,"
            + " status, round, verdict, score, tests_done, tests_total, updated_at, first_failure";

    private final Jdbc jdbc;

    /** @param dataSource a pool on a database that {@link PostgresSchema#migrate} brought up to date */
    public PostgresSubmissionStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    // ---------------------------------------------------------------------------------- create

    @Override
    public boolean create(Submission submission) {
        Objects.requireNonNull(submission, "submission");
        int inserted = jdbc.update(
                """
                INSERT INTO submissions (id, problem_id, contest_id, participant, language, created_at, submission,
                                         status, round, attempt, tests_done, tests_total, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'QUEUED', 0, 0, 0, 0, now())
                ON CONFLICT (id) DO NOTHING""",
                submission.id(),
                submission.problemId(),
                submission.contestId(),
                submission.participant(),
                submission.language(),
                submission.createdAt(),
                Json.write(submission));
        if (inserted == 1) {
            return true;
        }
        Optional<Submission> existing = jdbc.queryOne(
                "SELECT submission FROM submissions WHERE id = ?",
                row -> Json.read(row.getString(1), Submission.class),
                submission.id());
        if (existing.filter(submission::equals).isPresent()) {
            return false;
        }
        throw new IllegalStateException("another submission has the id " + submission.id());
    }

    /**
     * Writes a record as another store holds it (a move from Table Storage): its state (whether
     * its round runs every test included), judgement and history as they are, unless a submission
     * with its id is here already, which stays. One transaction, so a record is here whole or not
     * at all.
     *
     * @return {@code true} when it was written
     */
    public boolean importRecord(SubmissionRecord record) {
        Submission s = record.submission();
        Judgement judgement = record.judgement();
        return jdbc.transaction(Connection.TRANSACTION_READ_COMMITTED, connection -> {
            int inserted = Jdbc.update(
                    connection,
                    """
                    INSERT INTO submissions (id, problem_id, contest_id, participant, language, created_at, submission,
                                             status, round, all_tests, attempt, tests_done, tests_total, verdict, score,
                                             judgement, updated_at, first_failure)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO NOTHING""",
                    s.id(),
                    s.problemId(),
                    s.contestId(),
                    s.participant(),
                    s.language(),
                    s.createdAt(),
                    Json.write(s),
                    record.status().name(),
                    record.round(),
                    record.allTests(),
                    record.attempt(),
                    record.testsDone(),
                    record.testsTotal(),
                    judgement == null ? null : judgement.verdict().name(),
                    judgement == null ? null : judgement.score(),
                    judgement == null ? null : Json.write(judgement),
                    record.updatedAt(),
                    judgement == null ? null : nameOf(judgement.firstFailure()));
            if (inserted == 0) {
                return false;
            }
            for (Judgement past : record.history()) {
                Jdbc.update(
                        connection,
                        "INSERT INTO submission_history (submission_id, round, judgement) VALUES (?, ?, ?)",
                        s.id(),
                        past.round(),
                        Json.write(past));
            }
            return true;
        });
    }

    // ------------------------------------------------------------------------------------- get

    @Override
    public Optional<SubmissionRecord> get(String id) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        // One statement, so the state and the history come from the same snapshot.
        return jdbc.queryOne("""
                SELECT s.submission, s.status, s.round, s.all_tests, s.attempt, s.tests_done, s.tests_total,
                       s.judgement, s.updated_at,
                       ARRAY(SELECT h.judgement FROM submission_history h
                             WHERE h.submission_id = s.id ORDER BY h.round) AS history
                FROM submissions s WHERE s.id = ?""", PostgresSubmissionStore::record, id);
    }

    private static SubmissionRecord record(ResultSet row) throws SQLException {
        String judgement = row.getString("judgement");
        List<Judgement> history = Arrays.stream(
                        (String[]) row.getArray("history").getArray())
                .map(json -> Json.read(json, Judgement.class))
                .toList();
        return new SubmissionRecord(
                Json.read(row.getString("submission"), Submission.class),
                SubmissionStatus.valueOf(row.getString("status")),
                row.getLong("round"),
                row.getBoolean("all_tests"),
                row.getInt("attempt"),
                row.getInt("tests_done"),
                row.getInt("tests_total"),
                judgement == null ? null : Json.read(judgement, Judgement.class),
                history,
                Jdbc.instant(row, "updated_at"));
    }

    // ------------------------------------------------------------------------------- lifecycle

    @Override
    public UpdateOutcome markRunning(String id, long round, int attempt, int testsTotal) {
        requireAttempt(attempt);
        if (testsTotal < 0) {
            throw new IllegalArgumentException("testsTotal must be >= 0, was " + testsTotal);
        }
        return change(id, new Change("""
                UPDATE submissions SET status = 'RUNNING', attempt = ?, tests_done = 0, tests_total = ?,
                                       updated_at = now()
                WHERE id = ? AND round = ? AND status <> 'DONE'
                  AND (attempt < ? OR (attempt = ? AND status <> 'RUNNING'))""", List.of(attempt, testsTotal, id, round, attempt, attempt)) {
            @Override
            UpdateOutcome refusal(State state) {
                UpdateOutcome refused = state.refusal(id, round, attempt);
                if (refused != null) {
                    return refused;
                }
                return attempt == state.attempt() && state.status() == SubmissionStatus.RUNNING
                        ? UpdateOutcome.UNCHANGED
                        : null;
            }
        });
    }

    @Override
    public UpdateOutcome reportProgress(String id, long round, int attempt, int testsDone) {
        requireAttempt(attempt);
        return change(id, new Change("""
                UPDATE submissions SET tests_done = ?, updated_at = now()
                WHERE id = ? AND round = ? AND status = 'RUNNING' AND attempt = ?
                  AND tests_done < ? AND tests_total >= ?""", List.of(testsDone, id, round, attempt, testsDone, testsDone)) {
            @Override
            UpdateOutcome refusal(State state) {
                UpdateOutcome refused = state.refusal(id, round, attempt);
                if (refused != null) {
                    return refused;
                }
                if (attempt > state.attempt() || state.status() != SubmissionStatus.RUNNING) {
                    throw new IllegalStateException(
                            "attempt " + attempt + " of submission " + id + " reports progress without markRunning");
                }
                if (testsDone > state.testsTotal()) {
                    throw new IllegalArgumentException(
                            "testsDone " + testsDone + " is past the total " + state.testsTotal());
                }
                return testsDone <= state.testsDone() ? UpdateOutcome.UNCHANGED : null;
            }
        });
    }

    @Override
    public UpdateOutcome complete(String id, Judgement judgement) {
        Objects.requireNonNull(judgement, "judgement");
        int tests = judgement.tests().size();
        return change(
                id,
                new Change(
                        """
                UPDATE submissions SET status = 'DONE', attempt = ?, tests_done = ?,
                                       tests_total = GREATEST(tests_total, ?), verdict = ?, score = ?,
                                       judgement = ?, first_failure = ?, updated_at = now()
                WHERE id = ? AND round = ? AND status <> 'DONE'""",
                        java.util.Arrays.asList( // the first failure may be null
                                judgement.attempt(),
                                tests,
                                tests,
                                judgement.verdict().name(),
                                judgement.score(),
                                Json.write(judgement),
                                nameOf(judgement.firstFailure()),
                                id,
                                judgement.round())) {
                    @Override
                    UpdateOutcome refusal(State state) {
                        // Any attempt may complete the round: the first judgement wins, whoever sent it.
                        return state.refusal(id, judgement.round(), 0);
                    }
                });
    }

    @Override
    public UpdateOutcome startRegrade(String id, long regradeRound, boolean allTests) {
        if (regradeRound <= 0) {
            throw new IllegalArgumentException("regradeRound must be positive, was " + regradeRound);
        }
        if (!Ids.isValid(id)) {
            return UpdateOutcome.NOT_FOUND;
        }
        return jdbc.transaction(Connection.TRANSACTION_READ_COMMITTED, connection -> {
            List<State> locked = Jdbc.query(
                    connection,
                    "SELECT status, round, attempt, tests_done, tests_total, judgement FROM submissions"
                            + " WHERE id = ? FOR UPDATE",
                    State::of,
                    id);
            if (locked.isEmpty()) {
                return UpdateOutcome.NOT_FOUND;
            }
            State state = locked.getFirst();
            if (regradeRound < state.round()) {
                return UpdateOutcome.STALE;
            }
            if (regradeRound == state.round()) {
                return UpdateOutcome.UNCHANGED;
            }
            if (state.status() == SubmissionStatus.DONE) {
                Jdbc.update(
                        connection,
                        "INSERT INTO submission_history (submission_id, round, judgement) VALUES (?, ?, ?)",
                        id,
                        state.round(),
                        state.judgement());
            }
            Jdbc.update(connection, """
                    UPDATE submissions SET status = 'QUEUED', round = ?, attempt = 0, tests_done = 0, tests_total = 0,
                                           verdict = NULL, score = NULL, judgement = NULL, all_tests = ?,
                                           first_failure = NULL,
                                           updated_at = now()
                    WHERE id = ?""", regradeRound, allTests, id);
            return UpdateOutcome.APPLIED;
        });
    }

    // --------------------------------------------------------------------- stalled rounds

    @Override
    public UpdateOutcome heartbeat(String id, long round, int attempt) {
        requireAttempt(attempt);
        return change(id, new Change("""
                UPDATE submissions SET updated_at = now()
                WHERE id = ? AND round = ? AND status = 'RUNNING' AND attempt = ?""", List.of(id, round, attempt)) {
            @Override
            UpdateOutcome refusal(State state) {
                UpdateOutcome refused = state.refusal(id, round, attempt);
                if (refused != null) {
                    return refused;
                }
                return state.status() == SubmissionStatus.RUNNING && state.attempt() == attempt
                        ? null
                        : UpdateOutcome.UNCHANGED;
            }
        });
    }

    /** Oldest change first, from the partial index of unfinished rows (V6). */
    @Override
    public List<StalledRound> stalled(Instant unchangedSince, int max) {
        Objects.requireNonNull(unchangedSince, "unchangedSince");
        if (max < 1 || max > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("max must be 1.." + MAX_PAGE_SIZE + ", was " + max);
        }
        return jdbc.query(
                """
                SELECT id, round, status, attempt, updated_at, all_tests FROM submissions
                WHERE status <> 'DONE' AND updated_at < ? ORDER BY updated_at LIMIT ?""",
                row -> new StalledRound(
                        row.getString("id"),
                        row.getLong("round"),
                        SubmissionStatus.valueOf(row.getString("status")),
                        row.getInt("attempt"),
                        Jdbc.instant(row, "updated_at"),
                        row.getBoolean("all_tests")),
                unchangedSince,
                max);
    }

    /**
     * One conditional update: of two sweepers, the second waits for the first's row lock, then
     * finds {@code updated_at} fresh and changes nothing.
     */
    @Override
    public UpdateOutcome claimStalled(String id, long round, Instant unchangedSince) {
        Objects.requireNonNull(unchangedSince, "unchangedSince");
        return change(id, new Change("""
                UPDATE submissions SET updated_at = now()
                WHERE id = ? AND round = ? AND status <> 'DONE' AND updated_at < ?""", List.of(id, round, unchangedSince)) {
            @Override
            UpdateOutcome refusal(State state) {
                UpdateOutcome refused = state.refusal(id, round, 0);
                // Not judged, same round: it changed since, as updated_at only moves forward.
                return refused != null ? refused : UpdateOutcome.UNCHANGED;
            }
        });
    }

    /** The state columns of a row, as a change decides on them. */
    private record State(
            SubmissionStatus status, long round, int attempt, int testsDone, int testsTotal, String judgement) {

        static State of(ResultSet row) throws SQLException {
            return new State(
                    SubmissionStatus.valueOf(row.getString("status")),
                    row.getLong("round"),
                    row.getInt("attempt"),
                    row.getInt("tests_done"),
                    row.getInt("tests_total"),
                    row.getString("judgement"));
        }

        /**
         * Why a call of {@code round} and {@code attempt} must change nothing: {@code STALE} for an
         * older round or an attempt older than the running one ({@code attempt} 0 skips that check),
         * {@code ALREADY_DONE} when the round is judged; {@code null} when it may go on.
         */
        UpdateOutcome refusal(String id, long round, int attempt) {
            if (round < this.round) {
                return UpdateOutcome.STALE;
            }
            if (round > this.round) {
                throw new IllegalStateException("round " + round + " of submission " + id
                        + " was never started; the current round is " + this.round);
            }
            if (status == SubmissionStatus.DONE) {
                return UpdateOutcome.ALREADY_DONE;
            }
            return attempt < this.attempt && attempt != 0 ? UpdateOutcome.STALE : null;
        }
    }

    /** A conditional update, and why it changes nothing when the row does not match. */
    private abstract static class Change {
        final String sql;
        final List<Object> parameters;

        Change(String sql, List<Object> parameters) {
            this.sql = sql;
            this.parameters = parameters;
        }

        /** What a call that changed nothing did, on the row as it is now; {@code null}: it would change it. */
        abstract UpdateOutcome refusal(State state);
    }

    private UpdateOutcome change(String id, Change change) {
        if (!Ids.isValid(id)) {
            return UpdateOutcome.NOT_FOUND;
        }
        for (int i = 0; i < MAX_TRIES; i++) {
            if (jdbc.update(change.sql, change.parameters.toArray()) == 1) {
                return UpdateOutcome.APPLIED;
            }
            Optional<State> state = jdbc.queryOne(
                    "SELECT status, round, attempt, tests_done, tests_total,"
                            + " NULL AS judgement FROM submissions WHERE id = ?",
                    State::of,
                    id);
            if (state.isEmpty()) {
                return UpdateOutcome.NOT_FOUND;
            }
            UpdateOutcome refused = change.refusal(state.get());
            if (refused != null) {
                return refused;
            }
            // Another writer changed the row between the update and the read: decide again.
        }
        throw new ConcurrentModificationException("submission " + id + " kept changing during " + MAX_TRIES + " tries");
    }

    private static void requireAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
    }

    // ------------------------------------------------------------------------------------ list

    @Override
    public Page<SubmissionSummary> list(SubmissionFilter filter, int pageSize, String continuationToken) {
        Objects.requireNonNull(filter, "filter");
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be 1.." + MAX_PAGE_SIZE + ", was " + pageSize);
        }
        String listing = listingOf(filter);
        StringBuilder sql = new StringBuilder("SELECT " + SUMMARY_COLUMNS + " FROM submissions WHERE true");
        List<Object> parameters = new ArrayList<>();
        where(sql, parameters, "problem_id", filter.problemId());
        where(sql, parameters, "contest_id", filter.contestId());
        where(sql, parameters, "participant", filter.participant());
        where(
                sql,
                parameters,
                "status",
                filter.status() == null ? null : filter.status().name());
        if (continuationToken != null) {
            Cursor after = Cursor.decode(continuationToken, listing);
            sql.append(" AND (created_at, id) < (?, ?)");
            parameters.add(after.createdAt());
            parameters.add(after.id());
        }
        // One row past the page tells whether another page follows.
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        parameters.add(pageSize + 1);
        List<SubmissionSummary> rows =
                jdbc.query(sql.toString(), PostgresSubmissionStore::summary, parameters.toArray());
        if (rows.size() <= pageSize) {
            return new Page<>(rows, null);
        }
        List<SubmissionSummary> page = rows.subList(0, pageSize);
        SubmissionSummary last = page.getLast();
        return new Page<>(page, new Cursor(listing, last.createdAt(), last.id()).encode());
    }

    private static void where(StringBuilder sql, List<Object> parameters, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            parameters.add(value);
        }
    }

    private static String nameOf(Verdict verdict) {
        return verdict == null ? null : verdict.name();
    }

    private static SubmissionSummary summary(ResultSet row) throws SQLException {
        String verdict = row.getString("verdict");
        String firstFailure = row.getString("first_failure");
        return new SubmissionSummary(
                row.getString("id"),
                row.getString("problem_id"),
                row.getString("contest_id"),
                row.getString("participant"),
                row.getString("language"),
                Jdbc.instant(row, "created_at"),
                SubmissionStatus.valueOf(row.getString("status")),
                row.getLong("round"),
                verdict == null ? null : Verdict.valueOf(verdict),
                row.getObject("score", Integer.class),
                row.getInt("tests_done"),
                row.getInt("tests_total"),
                Jdbc.instant(row, "updated_at"),
                firstFailure == null ? null : Verdict.valueOf(firstFailure));
    }

    /** A short fingerprint of a filter, so that a token is only taken by the listing that issued it. */
    private static String listingOf(SubmissionFilter filter) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(filter).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Where a page ended: the last row's creation time (as stored, in microseconds) and id, in the
     * listing of the filter fingerprint {@code listing}.
     */
    private record Cursor(String listing, Instant createdAt, String id) {

        String encode() {
            long micros = Math.addExact(
                    Math.multiplyExact(createdAt.getEpochSecond(), 1_000_000L), createdAt.getNano() / 1000);
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(String.join("\n", "v1", listing, Long.toString(micros), id)
                            .getBytes(StandardCharsets.UTF_8));
        }

        /** @throws IllegalArgumentException for anything but a token of the listing {@code listing} */
        static Cursor decode(String token, String listing) {
            String[] parts;
            long micros;
            try {
                parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
                micros = parts.length == 4 ? Long.parseLong(parts[2]) : 0;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a continuation token of this store");
            }
            if (parts.length != 4 || !parts[0].equals("v1") || !Ids.isValid(parts[3])) {
                throw new IllegalArgumentException("not a continuation token of this store");
            }
            if (!parts[1].equals(listing)) {
                throw new IllegalArgumentException("the continuation token belongs to another listing");
            }
            Instant createdAt =
                    Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
            return new Cursor(listing, createdAt, parts[3]);
        }
    }

    // ------------------------------------------------------------------------------- retention

    /** One statement: the history goes with its submissions ({@code ON DELETE CASCADE}). */
    @Override
    public int purgeCreatedBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM submissions WHERE created_at < ?", cutoff);
    }

    @Override
    public void delete(Submission submission) {
        jdbc.update("DELETE FROM submissions WHERE id = ?", submission.id());
    }
}
