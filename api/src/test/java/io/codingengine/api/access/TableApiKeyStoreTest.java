package io.codingengine.api.access;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TableApiKeyStore} on a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class TableApiKeyStoreTest {

    private static ApiKeyStore keys;

    @BeforeAll
    static void connect() {
        String prefix = "k" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        keys = new TableApiKeyStore(AzureStorage.tables(AzuriteExtension.connectionString()), prefix);
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
