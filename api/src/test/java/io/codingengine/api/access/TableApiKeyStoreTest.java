package io.codingengine.api.access;

import com.azure.data.tables.models.TableEntity;
import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.AzuriteExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TableApiKeyStore} on a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class TableApiKeyStoreTest {

    private static ApiKeyStore keys;
    private static String prefix;

    @BeforeAll
    static void connect() {
        prefix = "k" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        keys = new TableApiKeyStore(AzureStorage.tables(AzuriteExtension.connectionString()), prefix);
    }

    @Test
    void aKeyKeepsTheContestItIsScopedTo() {
        Principal entered = new Principal("ada-3f9a1c", Role.PARTICIPANT, "spring");
        String key = keys.issue(entered);
        assertEquals(Optional.of(entered), keys.authenticate(key));
        assertEquals(Optional.of("spring"), keys.authenticate(key).orElseThrow().contest());
        assertEquals(Optional.empty(), keys.authenticate(keys.issue(new Principal("bob", Role.PARTICIPANT)))
                .orElseThrow().contest());
    }

    /** A row written before keys had a scope (no {@code ContestId}) is an unscoped key. */
    @Test
    void aRowWithoutAContestIsAnUnscopedKey() {
        String key = ApiKeys.generate();
        String hash = ApiKeys.hash(key);
        AzureStorage.tables(AzuriteExtension.connectionString()).getTableClient(prefix + "apikeys")
                .createEntity(new TableEntity(hash.substring(0, 2), hash).addProperty("Subject", "legacy")
                        .addProperty("Role", "PARTICIPANT").addProperty("CreatedAt", "2025-01-01T00:00:00Z"));
        assertEquals(Optional.of(new Principal("legacy", Role.PARTICIPANT)), keys.authenticate(key));
    }

    @Test
    void onlyAParticipantKeyHasAContestAndItIsAnId() {
        assertThrows(IllegalArgumentException.class, () -> new Principal("lms", Role.SERVICE, "spring"));
        assertThrows(IllegalArgumentException.class, () -> new Principal("ada", Role.PARTICIPANT, "a/b"));
    }

    @Test
    void anIssuedKeyAuthenticatesAsItsPrincipalUntilRevoked() {
        Principal alice = new Principal("alice", Role.PARTICIPANT);
        String key = keys.issue(alice);
        assertEquals(Optional.of(alice), keys.authenticate(key));
        keys.revoke(key);
        assertEquals(Optional.empty(), keys.authenticate(key));
        keys.revoke(key);
    }

    @Test
    void unknownMalformedAndEmptyKeysAreRefused() {
        String key = keys.issue(new Principal("ops", Role.ADMIN));
        assertFalse(keys.authenticate(key + "x").isPresent());
        assertFalse(keys.authenticate("").isPresent());
        assertFalse(keys.authenticate(null).isPresent());
        assertFalse(keys.authenticate("'; drop table --").isPresent());
    }

    @Test
    void everyKeyIsNewEvenForTheSamePrincipal() {
        Principal svc = new Principal("lms", Role.SERVICE);
        String a = keys.issue(svc);
        String b = keys.issue(svc);
        assertNotEquals(a, b);
        assertTrue(a.startsWith("ce_") && a.length() > 40);
        assertEquals(Optional.of(svc), keys.authenticate(b));
    }

    @Test
    void rolesIncludeTheLowerOnes() {
        assertTrue(Role.ADMIN.includes(Role.PARTICIPANT));
        assertTrue(Role.SERVICE.includes(Role.SERVICE));
        assertFalse(Role.PARTICIPANT.includes(Role.ADMIN));
    }
}
