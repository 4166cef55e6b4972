package io.codingengine.api.clarification;

import io.codingengine.common.store.Jdbc;
import io.codingengine.common.store.PostgresSchema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link ClarificationStore} on PostgreSQL (the stores' schema, {@link PostgresSchema}): table
 * {@code clarifications}, keyed by contest id and id, one row per question or announcement. An
 * answer is one {@code UPDATE ... RETURNING} of a row that has a question, so an announcement is
 * never answered and the answer comes back as stored.
 */
public final class PostgresClarificationStore implements ClarificationStore {

    private static final String COLUMNS = "contest_id, id, problem_id, participant, question, asked_at, answer, to_all,"
            + " answered_by, answered_at";

    private final Jdbc jdbc;

    /** @param dataSource a pool on a database that {@link PostgresSchema#migrate} brought up to date */
    public PostgresClarificationStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public void create(Clarification c) {
        jdbc.update("INSERT INTO clarifications (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values(c));
    }

    /** The values of {@link #COLUMNS}, in order. */
    private static Object[] values(Clarification c) {
        return new Object[] {
            c.contestId(),
            c.id(),
            c.problemId(),
            c.participant(),
            c.question(),
            c.askedAt(),
            c.answer(),
            c.toAll(),
            c.answeredBy(),
            c.answeredAt()
        };
    }

    /**
     * Writes a clarification as another store holds it (a move from Table Storage), unless the
     * contest has one with its id already, which stays.
     *
     * @return {@code true} when it was written
     */
    public boolean importClarification(Clarification c) {
        return jdbc.update(
                        "INSERT INTO clarifications (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (contest_id, id) DO NOTHING",
                        values(c))
                > 0;
    }

    @Override
    public Optional<Clarification> answer(
            String contestId, String id, String answer, boolean toAll, String answeredBy, Instant answeredAt) {
        return jdbc.queryOne(
                "UPDATE clarifications SET answer = ?, to_all = ?, answered_by = ?, answered_at = ?"
                        + " WHERE contest_id = ? AND id = ? AND question IS NOT NULL RETURNING " + COLUMNS,
                PostgresClarificationStore::clarification,
                answer,
                toAll,
                answeredBy,
                answeredAt,
                contestId,
                id);
    }

    @Override
    public Optional<Clarification> editAnnouncement(
            String contestId, String id, String problemId, String text, String editedBy, Instant editedAt) {
        return jdbc.queryOne(
                "UPDATE clarifications SET problem_id = ?, answer = ?, answered_by = ?, answered_at = ?"
                        + " WHERE contest_id = ? AND id = ? AND question IS NULL RETURNING " + COLUMNS,
                PostgresClarificationStore::clarification,
                problemId,
                text,
                editedBy,
                editedAt,
                contestId,
                id);
    }

    @Override
    public boolean deleteAnnouncement(String contestId, String id) {
        return jdbc.update(
                        "DELETE FROM clarifications WHERE contest_id = ? AND id = ? AND question IS NULL",
                        contestId,
                        id)
                > 0;
    }

    @Override
    public List<Clarification> list(String contestId) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM clarifications WHERE contest_id = ? ORDER BY asked_at, id",
                PostgresClarificationStore::clarification,
                contestId);
    }

    private static Clarification clarification(ResultSet row) throws SQLException {
        return new Clarification(
                row.getString("contest_id"),
                row.getString("id"),
                row.getString("problem_id"),
                row.getString("participant"),
                row.getString("question"),
                Jdbc.instant(row, "asked_at"),
                row.getString("answer"),
                row.getBoolean("to_all"),
                row.getString("answered_by"),
                Jdbc.instant(row, "answered_at"));
    }
}
