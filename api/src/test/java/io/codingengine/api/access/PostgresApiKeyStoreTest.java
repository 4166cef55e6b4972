package io.codingengine.api.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.codingengine.common.store.Jdbc;
import io.codingengine.common.store.PostgresExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ApiKeyStoreContract} against {@link PostgresApiKeyStore} on a real PostgreSQL. */
class PostgresApiKeyStoreTest extends ApiKeyStoreContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static ApiKeyStore keys;

    @BeforeAll
    static void connect() {
        keys = new PostgresApiKeyStore(POSTGRES.dataSource());
    }

    @Override
    protected ApiKeyStore keys() {
        return keys;
    }

    /** A leaked table lets no one call the API: every column of every row is read for the key. */
    @Test
    void theTableHoldsTheKeysHashNeverTheKey() {
        String key = keys.issue(new Principal("hidden", Role.SERVICE));
        List<String> rows =
                new Jdbc(POSTGRES.dataSource()).query("SELECT api_keys::text FROM api_keys", row -> row.getString(1));
        assertFalse(rows.isEmpty());
        rows.forEach(row -> assertFalse(row.contains(key) || row.contains(key.substring(3)), row));
        assertEquals(
                1, rows.stream().filter(row -> row.contains(ApiKeys.hash(key))).count());
    }
}
