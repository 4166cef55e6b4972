package io.codingengine.common.audit;

import io.codingengine.common.store.Jdbc;
import io.codingengine.common.store.PostgresSchema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@link AuditLog} on PostgreSQL (schema in {@code db/migration}, see {@link PostgresSchema}):
 * table {@code audit_entries}, keyed by submission and round, so a redelivered judgement replaces
 * its entry (an execute's id is its request id, a UUID, so it never meets a submission's).
 * Queries and retention go by {@code submitted_at} on its index. Times are kept to the
 * microsecond.
 */
public final class PostgresAuditLog implements AuditLog {

    private static final String COLUMNS = "submission_id, round, kind, participant, submitted_at, judged_at, language,"
            + " source_sha256, problem_id, verdict, time_ms, memory_bytes, worker, session, correlation_id,"
            + " problem_type";
    private static final String PLACEHOLDERS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

    private final Jdbc jdbc;

    /** @param dataSource a pool on a database that {@link PostgresSchema#migrate} brought up to date */
    public PostgresAuditLog(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public void record(AuditEntry e) {
        jdbc.update(
                "INSERT INTO audit_entries (" + COLUMNS + ") VALUES (" + PLACEHOLDERS + ")"
                        + " ON CONFLICT (submission_id, round) DO UPDATE SET kind = EXCLUDED.kind,"
                        + " participant = EXCLUDED.participant, submitted_at = EXCLUDED.submitted_at,"
                        + " judged_at = EXCLUDED.judged_at, language = EXCLUDED.language,"
                        + " source_sha256 = EXCLUDED.source_sha256, problem_id = EXCLUDED.problem_id,"
                        + " verdict = EXCLUDED.verdict, time_ms = EXCLUDED.time_ms, memory_bytes = EXCLUDED.memory_bytes,"
                        + " worker = EXCLUDED.worker, session = EXCLUDED.session, correlation_id = EXCLUDED.correlation_id,"
                        + " problem_type = EXCLUDED.problem_type",
                values(e));
    }

    @Override
    public boolean recordIfAbsent(AuditEntry e) {
        return jdbc.update(
                        "INSERT INTO audit_entries (" + COLUMNS
                                + ") VALUES (" + PLACEHOLDERS + ")"
                                + " ON CONFLICT (submission_id, round) DO NOTHING",
                        values(e))
                == 1;
    }

    /** The values of {@link #COLUMNS}, in order. */
    private static Object[] values(AuditEntry e) {
        return new Object[] {
            e.submissionId(),
            e.round(),
            e.kind().name(),
            e.participant(),
            e.submittedAt(),
            e.judgedAt(),
            e.language(),
            e.sourceSha256(),
            e.problemId(),
            e.verdict(),
            e.timeMs(),
            e.memoryBytes(),
            e.worker(),
            e.session(),
            e.correlationId(),
            e.problemType()
        };
    }

    @Override
    public List<AuditEntry> query(AuditQuery q) {
        StringBuilder sql = new StringBuilder(
                "SELECT " + COLUMNS + " FROM audit_entries WHERE submitted_at >= ? AND submitted_at < ?");
        List<Object> parameters = new ArrayList<>(List.of(q.from(), q.to()));
        equal(sql, parameters, "participant", q.participant());
        equal(sql, parameters, "problem_id", q.problemId());
        equal(sql, parameters, "language", q.language());
        equal(sql, parameters, "verdict", q.verdict());
        equal(sql, parameters, "kind", q.kind() == null ? null : q.kind().name());
        sql.append(" ORDER BY submitted_at, submission_id, round LIMIT ?");
        parameters.add(Math.max(q.max(), 0));
        return jdbc.query(sql.toString(), PostgresAuditLog::entry, parameters.toArray());
    }

    @Override
    public int purgeSubmittedBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM audit_entries WHERE submitted_at < ?", cutoff);
    }

    /** A filter on {@code column}; a blank value, like none, filters nothing (as the admin's form sends it). */
    private static void equal(StringBuilder sql, List<Object> parameters, String column, String value) {
        if (value != null && !value.isBlank()) {
            sql.append(" AND ").append(column).append(" = ?");
            parameters.add(value);
        }
    }

    private static AuditEntry entry(ResultSet r) throws SQLException {
        return new AuditEntry(
                AuditEntry.Kind.valueOf(r.getString("kind")),
                r.getString("submission_id"),
                r.getLong("round"),
                r.getString("participant"),
                Jdbc.instant(r, "submitted_at"),
                Jdbc.instant(r, "judged_at"),
                r.getString("language"),
                r.getString("source_sha256"),
                r.getString("problem_id"),
                r.getString("verdict"),
                r.getLong("time_ms"),
                r.getLong("memory_bytes"),
                r.getString("worker"),
                r.getString("session"),
                r.getString("correlation_id"),
                r.getString("problem_type"));
    }
}
