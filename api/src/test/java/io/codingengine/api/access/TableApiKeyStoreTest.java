package io.codingengine.api.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.AzuriteExtension;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ApiKeyStoreContract} against {@link TableApiKeyStore} on a real Azurite, and rows from before keys had a scope. */
@ExtendWith(AzuriteExtension.class)
class TableApiKeyStoreTest extends ApiKeyStoreContract {

    private static ApiKeyStore keys;
    private static String prefix;

    @BeforeAll
    static void connect() {
        prefix = "k" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        keys = new TableApiKeyStore(AzureStorage.tables(AzuriteExtension.connectionString()), prefix);
    }

    @Override
    protected ApiKeyStore keys() {
        return keys;
    }

    /** A row written before keys had a scope (no {@code ContestId}) is an unscoped key. */
    @Test
    void aRowWithoutAContestIsAnUnscopedKey() {
        String key = ApiKeys.generate();
        String hash = ApiKeys.hash(key);
        AzureStorage.tables(AzuriteExtension.connectionString())
                .getTableClient(prefix + "apikeys")
                .createEntity(new TableEntity(hash.substring(0, 2), hash)
                        .addProperty("Subject", "legacy")
                        .addProperty("Role", "PARTICIPANT")
                        .addProperty("CreatedAt", "2025-01-01T00:00:00Z"));
        assertEquals(Optional.of(new Principal("legacy", Role.PARTICIPANT)), keys.authenticate(key));
    }

    @Test
    void onlyAParticipantKeyHasAContestAndItIsAnId() {
        assertThrows(IllegalArgumentException.class, () -> new Principal("lms", Role.SERVICE, "spring"));
        assertThrows(IllegalArgumentException.class, () -> new Principal("ada", Role.PARTICIPANT, "a/b"));
    }

    @Test
    void rolesIncludeTheLowerOnes() {
        assertTrue(Role.ADMIN.includes(Role.PARTICIPANT));
        assertTrue(Role.SERVICE.includes(Role.SERVICE));
        assertFalse(Role.PARTICIPANT.includes(Role.ADMIN));
    }
}
