package io.codingengine.api.contest;

import io.codingengine.common.store.Jdbc;
import io.codingengine.common.store.PostgresSchema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link AccountStore} on PostgreSQL (the stores' schema, {@link PostgresSchema}): table
 * {@code accounts}, keyed by contest id and login, so a login is unique in its contest by the
 * table's own key: a second create of it inserts nothing ({@code ON CONFLICT DO NOTHING}), however
 * many run at once. Only the password's hash is stored.
 */
public final class PostgresAccountStore implements AccountStore {

    private static final String COLUMNS = "contest_id, login, participant, display_name, password_hash, created_at";

    private final Jdbc jdbc;

    /** @param dataSource a pool on a database that {@link PostgresSchema#migrate} brought up to date */
    public PostgresAccountStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public boolean create(Account a) {
        return jdbc.update(
                        "INSERT INTO accounts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (contest_id, login) DO NOTHING",
                        a.contestId(),
                        a.login(),
                        a.participant(),
                        a.displayName(),
                        a.passwordHash(),
                        a.createdAt())
                == 1;
    }

    @Override
    public Optional<Account> get(String contestId, String login) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM accounts WHERE contest_id = ? AND login = ?",
                PostgresAccountStore::account,
                contestId,
                login);
    }

    @Override
    public List<Account> list(String contestId) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM accounts WHERE contest_id = ? ORDER BY login",
                PostgresAccountStore::account,
                contestId);
    }

    @Override
    public boolean setPasswordHash(String contestId, String login, String passwordHash) {
        return jdbc.update(
                        "UPDATE accounts SET password_hash = ? WHERE contest_id = ? AND login = ?",
                        passwordHash,
                        contestId,
                        login)
                == 1;
    }

    private static Account account(ResultSet row) throws SQLException {
        return new Account(
                row.getString("contest_id"),
                row.getString("login"),
                row.getString("participant"),
                row.getString("display_name"),
                row.getString("password_hash"),
                Jdbc.instant(row, "created_at"));
    }
}
