package io.codingengine.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codingengine.common.store.Jdbc;
import io.codingengine.common.store.PostgresExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ProblemStoreContract} against {@link PostgresProblemStore} on a real PostgreSQL. */
class PostgresProblemStoreTest extends ProblemStoreContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static PostgresProblemStore store;
    private static Jdbc jdbc;

    @BeforeAll
    static void connect() {
        store = new PostgresProblemStore(POSTGRES.dataSource());
        jdbc = new Jdbc(POSTGRES.dataSource());
    }

    @Override
    protected ProblemStore store() {
        return store;
    }

    /**
     * The problem's row, one row per secret test of the current version and one per content of its
     * statement files, nothing else.
     */
    @Override
    protected void assertStoresExactly(String id, Problem problem) {
        assertEquals(problem == null ? 0 : 1, count("SELECT count(*) FROM problems WHERE id = ?", id));
        assertEquals(
                problem == null ? 0 : problem.secretTests().size(),
                count("SELECT count(*) FROM problem_secret_tests WHERE problem_id = ?", id));
        assertEquals(
                problem == null
                        ? 0
                        : problem.statementFiles().stream()
                                .map(StatementFile::sha256)
                                .distinct()
                                .count(),
                count("SELECT count(*) FROM problem_statement_files WHERE problem_id = ?", id));
    }

    private static long count(String sql, String id) {
        return jdbc.queryOne(sql, row -> row.getLong(1), id).orElseThrow();
    }
}
