package io.codingengine.common.problem;

import io.codingengine.common.json.Json;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.store.Jdbc;
import io.codingengine.common.store.PostgresSchema;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link ProblemStore} on PostgreSQL (schema in {@code db/migration}, see {@link PostgresSchema}).
 * {@code problems} holds what clients may see of a problem (its samples as JSON) and its checker;
 * the secret tests are rows of {@code problem_secret_tests}, in run order, their data as UTF-8
 * bytes. {@link #get} and {@link #list} read {@code problems} alone, so answering a client never
 * touches secret data.
 *
 * <p>A save replaces the problem row and its secret tests in one transaction: readers see the old
 * problem or the new one, whole. Concurrent saves of one problem queue on the problem row's lock,
 * and the last one wins. {@link #load} reads the row and the tests in one repeatable-read
 * transaction, so it never mixes two saves.
 */
public final class PostgresProblemStore implements ProblemStore {

    private static final String SUMMARY_COLUMNS =
            "id, name, time_limit_ms, memory_limit_bytes, output_limit_bytes, checker, samples, secret_test_count, statement";

    private final Jdbc jdbc;

    /** @param dataSource a pool on a database that {@link PostgresSchema#migrate} brought up to date */
    public PostgresProblemStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public ProblemSummary save(Problem problem) {
        Objects.requireNonNull(problem, "problem");
        jdbc.transaction(Connection.TRANSACTION_READ_COMMITTED, connection -> {
            Jdbc.update(connection, """
                    INSERT INTO problems (id, name, time_limit_ms, memory_limit_bytes, output_limit_bytes, checker,
                                          samples, secret_test_count, statement, saved_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())
                    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, time_limit_ms = EXCLUDED.time_limit_ms,
                        memory_limit_bytes = EXCLUDED.memory_limit_bytes,
                        output_limit_bytes = EXCLUDED.output_limit_bytes, checker = EXCLUDED.checker,
                        samples = EXCLUDED.samples, secret_test_count = EXCLUDED.secret_test_count,
                        statement = EXCLUDED.statement, saved_at = EXCLUDED.saved_at""",
                    problem.id(), problem.name(), problem.timeLimit().toMillis(), problem.memoryLimitBytes(),
                    problem.outputLimitBytes(), Json.write(problem.checker()), Json.write(problem.samples()), problem.secretTests().size(),
                    problem.statement());
            Jdbc.update(connection, "DELETE FROM problem_secret_tests WHERE problem_id = ?", problem.id());
            insertSecretTests(connection, problem);
            return null;
        });
        return problem.summary();
    }

    private static void insertSecretTests(Connection connection, Problem problem) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO problem_secret_tests (problem_id, position, name, input, answer) VALUES (?, ?, ?, ?, ?)")) {
            List<TestCase> secret = problem.secretTests();
            for (int i = 0; i < secret.size(); i++) {
                insert.setString(1, problem.id());
                insert.setInt(2, i);
                insert.setString(3, secret.get(i).name());
                insert.setBytes(4, secret.get(i).input().getBytes(StandardCharsets.UTF_8));
                insert.setBytes(5, secret.get(i).expectedOutput().getBytes(StandardCharsets.UTF_8));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @Override
    public Optional<ProblemSummary> get(String id) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        return jdbc.queryOne("SELECT " + SUMMARY_COLUMNS + " FROM problems WHERE id = ?", PostgresProblemStore::summary, id);
    }

    @Override
    public List<ProblemSummary> list() {
        return jdbc.query("SELECT " + SUMMARY_COLUMNS + " FROM problems ORDER BY id", PostgresProblemStore::summary);
    }

    @Override
    public Optional<Problem> load(String id) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        return jdbc.transaction(Connection.TRANSACTION_REPEATABLE_READ, connection -> {
            List<TestCase> secret = Jdbc.query(connection,
                    "SELECT name, input, answer FROM problem_secret_tests WHERE problem_id = ? ORDER BY position",
                    row -> new TestCase(row.getString("name"), utf8(row.getBytes("input")),
                            utf8(row.getBytes("answer")), false), id);
            return Jdbc.query(connection, "SELECT " + SUMMARY_COLUMNS + " FROM problems WHERE id = ?",
                    row -> problem(row, secret), id).stream().findFirst();
        });
    }

    @Override
    public boolean delete(String id) {
        // The secret tests go with the problem (ON DELETE CASCADE).
        return Ids.isValid(id) && jdbc.update("DELETE FROM problems WHERE id = ?", id) == 1;
    }

    private static ProblemSummary summary(ResultSet row) throws SQLException {
        return new ProblemSummary(row.getString("id"), row.getString("name"),
                Duration.ofMillis(row.getLong("time_limit_ms")), row.getLong("memory_limit_bytes"),
                ProblemSummary.kindOf(checker(row)), samples(row), row.getInt("secret_test_count"),
                row.getString("statement"));
    }

    /** The problem of a {@code problems} row, with {@code secret} as its secret tests. */
    private static Problem problem(ResultSet row, List<TestCase> secret) throws SQLException {
        return new Problem(row.getString("id"), row.getString("name"), Duration.ofMillis(row.getLong("time_limit_ms")),
                row.getLong("memory_limit_bytes"), row.getLong("output_limit_bytes"), checker(row), samples(row), secret,
                row.getString("statement"));
    }

    private static CheckerSpec checker(ResultSet row) throws SQLException {
        return Json.read(row.getString("checker"), CheckerSpec.class);
    }

    private static List<TestCase> samples(ResultSet row) throws SQLException {
        return List.of(Json.read(row.getString("samples"), TestCase[].class));
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
