package io.codingengine.common.problem;

import io.codingengine.common.json.Json;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Grading;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.store.Jdbc;
import io.codingengine.common.store.PostgresSchema;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * {@link ProblemStore} on PostgreSQL (schema in {@code db/migration}, see {@link PostgresSchema}).
 * {@code problems} holds what clients may see of a problem (its samples as JSON) and its checker;
 * the secret tests are rows of {@code problem_secret_tests}, in run order, their data as UTF-8
 * bytes. {@link #get} and {@link #list} read {@code problems} alone, so answering a client never
 * touches secret data.
 *
 * <p>The pictures of the statement are listed in {@code problems.statement_files} (JSON, without
 * their data); their data is in {@code problem_statement_files}, one row per problem and SHA-256.
 * A save writes the data of the files that carry it, keeps the stored data of a file that comes
 * without (a problem {@linkplain #load loaded} for judging has none, and a change of limits saves
 * it as it is), and deletes the rows that no file of the problem names any more.
 *
 * <p>A save replaces the problem row and its secret tests in one transaction: readers see the old
 * problem or the new one, whole. Concurrent saves of one problem queue on the problem row's lock,
 * and the last one wins. {@link #load} and {@link #statementFile} read in one repeatable-read
 * transaction, so they never mix two saves.
 */
public final class PostgresProblemStore implements ProblemStore {

    private static final String SUMMARY_COLUMNS =
            "id, name, time_limit_ms, memory_limit_bytes, output_limit_bytes, checker, samples, secret_test_count, statement,"
                    + " time_limit_source, sample_interactions";
    private static final String PROBLEM_COLUMNS = SUMMARY_COLUMNS + ", statement_files, grading";

    private final Jdbc jdbc;

    /** @param dataSource a pool on a database that {@link PostgresSchema#migrate} brought up to date */
    public PostgresProblemStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public ProblemSummary save(Problem problem) {
        Objects.requireNonNull(problem, "problem");
        List<StatementFile> listed = problem.statementFiles().stream()
                .map(StatementFile::withoutData)
                .toList();
        jdbc.transaction(Connection.TRANSACTION_READ_COMMITTED, connection -> {
            // First, so that concurrent saves of the problem queue on its row's lock.
            Jdbc.update(
                    connection,
                    """
                    INSERT INTO problems (id, name, time_limit_ms, memory_limit_bytes, output_limit_bytes, checker,
                                          samples, secret_test_count, statement, time_limit_source, statement_files,
                                          grading, sample_interactions, saved_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
                    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, time_limit_ms = EXCLUDED.time_limit_ms,
                        memory_limit_bytes = EXCLUDED.memory_limit_bytes,
                        output_limit_bytes = EXCLUDED.output_limit_bytes, checker = EXCLUDED.checker,
                        samples = EXCLUDED.samples, secret_test_count = EXCLUDED.secret_test_count,
                        statement = EXCLUDED.statement, time_limit_source = EXCLUDED.time_limit_source,
                        statement_files = EXCLUDED.statement_files, grading = EXCLUDED.grading,
                        sample_interactions = EXCLUDED.sample_interactions, saved_at = EXCLUDED.saved_at""",
                    problem.id(),
                    problem.name(),
                    problem.timeLimit().toMillis(),
                    problem.memoryLimitBytes(),
                    problem.outputLimitBytes(),
                    Json.write(problem.checker()),
                    Json.write(problem.samples()),
                    problem.secretTests().size(),
                    problem.statement(),
                    problem.timeLimitSource(),
                    Json.write(listed),
                    problem.grading() == null ? null : Json.write(problem.grading()),
                    Json.write(problem.sampleInteractions()));
            Jdbc.update(connection, "DELETE FROM problem_secret_tests WHERE problem_id = ?", problem.id());
            insertSecretTests(connection, problem);
            saveStatementFiles(connection, problem);
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

    /**
     * Writes the data of the statement files that carry it (a content already stored is kept as
     * it is), then deletes the data that no file of the problem names.
     */
    private static void saveStatementFiles(Connection connection, Problem problem) throws SQLException {
        Set<String> named = new LinkedHashSet<>();
        Set<String> written = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO problem_statement_files (problem_id, sha256, data) VALUES (?, ?, ?)
                ON CONFLICT (problem_id, sha256) DO NOTHING""")) {
            for (StatementFile file : problem.statementFiles()) {
                named.add(file.sha256());
                if (file.data() != null && written.add(file.sha256())) {
                    insert.setString(1, problem.id());
                    insert.setString(2, file.sha256());
                    insert.setBytes(3, file.data());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
        Jdbc.update(
                connection,
                "DELETE FROM problem_statement_files WHERE problem_id = ? AND NOT (sha256 = ANY (?))",
                problem.id(),
                connection.createArrayOf("text", named.toArray()));
    }

    @Override
    public Optional<ProblemSummary> get(String id) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        return jdbc.queryOne(
                "SELECT " + SUMMARY_COLUMNS + " FROM problems WHERE id = ?", PostgresProblemStore::summary, id);
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
            List<TestCase> secret = Jdbc.query(
                    connection,
                    "SELECT name, input, answer FROM problem_secret_tests WHERE problem_id = ? ORDER BY position",
                    row -> new TestCase(
                            row.getString("name"), utf8(row.getBytes("input")), utf8(row.getBytes("answer")), false),
                    id);
            return Jdbc.query(
                            connection,
                            "SELECT " + PROBLEM_COLUMNS + " FROM problems WHERE id = ?",
                            row -> problem(row, secret),
                            id)
                    .stream()
                    .findFirst();
        });
    }

    @Override
    public Optional<StatementFile> statementFile(String problemId, String name) {
        if (!Ids.isValid(problemId) || name == null) {
            return Optional.empty();
        }
        return jdbc.transaction(Connection.TRANSACTION_REPEATABLE_READ, connection -> {
            Optional<StatementFile> listed = Jdbc.query(
                            connection,
                            "SELECT statement_files FROM problems WHERE id = ?",
                            PostgresProblemStore::statementFiles,
                            problemId)
                    .stream()
                    .flatMap(List::stream)
                    .filter(file -> file.name().equals(name))
                    .findFirst();
            if (listed.isEmpty()) {
                return Optional.<StatementFile>empty();
            }
            StatementFile file = listed.get();
            return Jdbc.query(
                            connection,
                            "SELECT data FROM problem_statement_files WHERE problem_id = ? AND sha256 = ?",
                            row -> new StatementFile(
                                    file.name(), file.contentType(), file.sha256(), row.getBytes("data")),
                            problemId,
                            file.sha256())
                    .stream()
                    .findFirst();
        });
    }

    @Override
    public boolean delete(String id) {
        // The secret tests and the statement files' data go with the problem (ON DELETE CASCADE).
        return Ids.isValid(id) && jdbc.update("DELETE FROM problems WHERE id = ?", id) == 1;
    }

    private static ProblemSummary summary(ResultSet row) throws SQLException {
        return new ProblemSummary(
                row.getString("id"),
                row.getString("name"),
                Duration.ofMillis(row.getLong("time_limit_ms")),
                row.getLong("memory_limit_bytes"),
                ProblemSummary.kindOf(checker(row)),
                samples(row),
                row.getInt("secret_test_count"),
                row.getString("statement"),
                row.getString("time_limit_source"),
                sampleInteractions(row));
    }

    /** The problem of a {@code problems} row, with {@code secret} as its secret tests. */
    private static Problem problem(ResultSet row, List<TestCase> secret) throws SQLException {
        return new Problem(
                row.getString("id"),
                row.getString("name"),
                Duration.ofMillis(row.getLong("time_limit_ms")),
                row.getLong("memory_limit_bytes"),
                row.getLong("output_limit_bytes"),
                checker(row),
                samples(row),
                secret,
                row.getString("statement"),
                statementFiles(row),
                row.getString("time_limit_source"),
                grading(row),
                sampleInteractions(row));
    }

    private static List<SampleInteraction> sampleInteractions(ResultSet row) throws SQLException {
        return List.of(Json.read(row.getString("sample_interactions"), SampleInteraction[].class));
    }

    private static Grading grading(ResultSet row) throws SQLException {
        String grading = row.getString("grading");
        return grading == null ? null : Json.read(grading, Grading.class);
    }

    private static CheckerSpec checker(ResultSet row) throws SQLException {
        return Json.read(row.getString("checker"), CheckerSpec.class);
    }

    private static List<TestCase> samples(ResultSet row) throws SQLException {
        return List.of(Json.read(row.getString("samples"), TestCase[].class));
    }

    /** The statement files a {@code problems} row lists, without their data. */
    private static List<StatementFile> statementFiles(ResultSet row) throws SQLException {
        return List.of(Json.read(row.getString("statement_files"), StatementFile[].class));
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
