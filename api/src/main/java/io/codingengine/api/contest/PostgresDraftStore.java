package io.codingengine.api.contest;

import io.codingengine.common.store.Jdbc;
import io.codingengine.common.store.PostgresSchema;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@link DraftStore} on PostgreSQL (the stores' schema, {@link PostgresSchema}): table
 * {@code drafts}, keyed by contest id, participant, problem id and language, the code as UTF-8
 * bytes. A save is one conditional statement: the first revision an {@code INSERT ... ON CONFLICT
 * DO NOTHING}, a later one an {@code UPDATE ... WHERE revision = base}, which PostgreSQL applies
 * to the row as it is when the statement's turn on the row comes; so of saves based on the same
 * revision exactly one changes the row, and the others get the draft it stored.
 */
public final class PostgresDraftStore implements DraftStore {

    private final Jdbc jdbc;

    /** @param dataSource a pool on a database that {@link PostgresSchema#migrate} brought up to date */
    public PostgresDraftStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public List<Draft> list(String contestId, String participant, String problemId, Collection<String> languages) {
        if (languages.isEmpty()) {
            return List.of();
        }
        List<Object> parameters = new ArrayList<>(List.of(contestId, participant, problemId));
        parameters.addAll(languages);
        return jdbc.query(
                "SELECT problem_id, language, code, revision, saved_at FROM drafts"
                        + " WHERE contest_id = ? AND participant = ? AND problem_id = ? AND language IN ("
                        + String.join(", ", Collections.nCopies(languages.size(), "?")) + ") ORDER BY language",
                PostgresDraftStore::draft,
                parameters.toArray());
    }

    @Override
    public Saved save(
            String contestId, String participant, String problemId, String language, String code, long baseRevision) {
        byte[] bytes = DraftStore.utf8(code);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // as timestamptz keeps it
        int changed = baseRevision == 0
                ? jdbc.update(
                        "INSERT INTO drafts (contest_id, participant, problem_id, language, code, revision, saved_at)"
                                + " VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT DO NOTHING",
                        contestId,
                        participant,
                        problemId,
                        language,
                        bytes,
                        now)
                : jdbc.update(
                        "UPDATE drafts SET code = ?, revision = revision + 1, saved_at = ?"
                                + " WHERE contest_id = ? AND participant = ? AND problem_id = ? AND language = ? AND revision = ?",
                        bytes,
                        now,
                        contestId,
                        participant,
                        problemId,
                        language,
                        baseRevision);
        if (changed == 1) {
            return new Saved(true, new Draft(problemId, language, code, baseRevision + 1, now));
        }
        Draft current = jdbc.queryOne(
                        "SELECT problem_id, language, code, revision, saved_at FROM drafts"
                                + " WHERE contest_id = ? AND participant = ? AND problem_id = ? AND language = ?",
                        PostgresDraftStore::draft,
                        contestId,
                        participant,
                        problemId,
                        language)
                .orElseGet(() -> Draft.none(problemId, language));
        return new Saved(false, current);
    }

    /**
     * Writes a draft as another store holds it (a move from Table Storage), revision and time
     * included, unless that participant's draft of that problem and language is here.
     *
     * @return {@code true} when it was written
     */
    public boolean importDraft(Owned owned) {
        Draft d = owned.draft();
        return jdbc.update(
                        "INSERT INTO drafts (contest_id, participant, problem_id, language, code, revision, saved_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        owned.contestId(),
                        owned.participant(),
                        d.problemId(),
                        d.language(),
                        DraftStore.utf8(d.code()),
                        d.revision(),
                        d.savedAt())
                == 1;
    }

    private static Draft draft(ResultSet row) throws SQLException {
        return new Draft(
                row.getString("problem_id"),
                row.getString("language"),
                new String(row.getBytes("code"), StandardCharsets.UTF_8),
                row.getLong("revision"),
                Jdbc.instant(row, "saved_at"));
    }
}
