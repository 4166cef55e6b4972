package io.codingengine.api.access;

import io.codingengine.common.store.Jdbc;
import io.codingengine.common.store.PostgresSchema;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link ApiKeyStore} on PostgreSQL (the stores' schema, {@link PostgresSchema}): table
 * {@code api_keys}, keyed by the key's SHA-256, with its principal ({@code subject}, {@code role},
 * the {@code contest_id} of a scoped key) and when it was issued. A revoked key's row is deleted.
 */
public final class PostgresApiKeyStore implements ApiKeyStore {

    private final Jdbc jdbc;

    /** @param dataSource a pool on a database that {@link PostgresSchema#migrate} brought up to date */
    public PostgresApiKeyStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public String issue(Principal principal) {
        String key = ApiKeys.generate();
        jdbc.update(
                "INSERT INTO api_keys (key_sha256, subject, role, contest_id, created_at) VALUES (?, ?, ?, ?, now())",
                ApiKeys.hash(key),
                principal.subject(),
                principal.role().name(),
                principal.contestId());
        return key;
    }

    @Override
    public Optional<Principal> authenticate(String key) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        return jdbc.queryOne(
                "SELECT subject, role, contest_id FROM api_keys WHERE key_sha256 = ?",
                row -> new Principal(
                        row.getString("subject"), Role.valueOf(row.getString("role")), row.getString("contest_id")),
                ApiKeys.hash(key));
    }

    /**
     * Writes a key as another store holds it (a move from Table Storage), unless its hash is here.
     *
     * @return {@code true} when it was written
     */
    public boolean importKey(StoredKey key) {
        return jdbc.update(
                        "INSERT INTO api_keys (key_sha256, subject, role, contest_id, created_at) VALUES (?, ?, ?, ?, ?)"
                                + " ON CONFLICT (key_sha256) DO NOTHING",
                        key.sha256(),
                        key.principal().subject(),
                        key.principal().role().name(),
                        key.principal().contestId(),
                        key.createdAt())
                == 1;
    }

    @Override
    public void revoke(String key) {
        jdbc.update("DELETE FROM api_keys WHERE key_sha256 = ?", ApiKeys.hash(key));
    }

    @Override
    public int revokeAll(String subject, String contestId) {
        return jdbc.update("DELETE FROM api_keys WHERE subject = ? AND contest_id = ?", subject, contestId);
    }

    @Override
    public int revokeAllButNewest(String subject, String contestId, int keep) {
        return jdbc.update(
                "DELETE FROM api_keys WHERE subject = ? AND contest_id = ? AND key_sha256 NOT IN"
                        + " (SELECT key_sha256 FROM api_keys WHERE subject = ? AND contest_id = ?"
                        + " ORDER BY created_at DESC, key_sha256 LIMIT ?)",
                subject,
                contestId,
                subject,
                contestId,
                keep);
    }
}
