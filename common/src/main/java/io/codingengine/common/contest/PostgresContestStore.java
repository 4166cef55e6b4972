package io.codingengine.common.contest;

import io.codingengine.common.json.Json;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.store.Jdbc;
import io.codingengine.common.store.PostgresSchema;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link ContestStore} on PostgreSQL (schema in {@code db/migration}, see {@link PostgresSchema}):
 * table {@code contests}, one row per contest with the whole contest as JSON, as an admin saves it
 * whole.
 */
public final class PostgresContestStore implements ContestStore {

    private final Jdbc jdbc;

    /** @param dataSource a pool on a database that {@link PostgresSchema#migrate} brought up to date */
    public PostgresContestStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public void save(Contest contest) {
        jdbc.update(
                "INSERT INTO contests (id, contest) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET contest = EXCLUDED.contest",
                contest.id(),
                Json.write(contest));
    }

    @Override
    public Optional<Contest> get(String id) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        return jdbc.queryOne(
                "SELECT contest FROM contests WHERE id = ?", row -> Json.read(row.getString(1), Contest.class), id);
    }

    @Override
    public List<Contest> list() {
        return jdbc.query(
                "SELECT contest FROM contests ORDER BY id", row -> Json.read(row.getString(1), Contest.class));
    }

    @Override
    public boolean delete(String id) {
        return Ids.isValid(id) && jdbc.update("DELETE FROM contests WHERE id = ?", id) == 1;
    }
}
