package io.codingengine.api.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contract of {@link ApiKeyStore}: every adapter's test extends this class. */
public abstract class ApiKeyStoreContract {

    /** The store under test; the same instance for every call of one test class is fine. */
    protected abstract ApiKeyStore keys();

    @Test
    void aKeyKeepsTheContestItIsScopedTo() {
        Principal entered = new Principal("ada-3f9a1c", Role.PARTICIPANT, "spring");
        String key = keys().issue(entered);
        assertEquals(Optional.of(entered), keys().authenticate(key));
        assertEquals(
                Optional.of("spring"), keys().authenticate(key).orElseThrow().contest());
        assertEquals(
                Optional.empty(),
                keys().authenticate(keys().issue(new Principal("bob", Role.PARTICIPANT)))
                        .orElseThrow()
                        .contest());
    }

    @Test
    void anIssuedKeyAuthenticatesAsItsPrincipalUntilRevoked() {
        Principal alice = new Principal("alice", Role.PARTICIPANT);
        String key = keys().issue(alice);
        assertEquals(Optional.of(alice), keys().authenticate(key));
        keys().revoke(key);
        assertEquals(Optional.empty(), keys().authenticate(key));
        keys().revoke(key);
    }

    @Test
    void unknownMalformedAndEmptyKeysAreRefused() {
        String key = keys().issue(new Principal("ops", Role.ADMIN));
        assertFalse(keys().authenticate(key + "x").isPresent());
        assertFalse(keys().authenticate("").isPresent());
        assertFalse(keys().authenticate(null).isPresent());
        assertFalse(keys().authenticate("'; drop table --").isPresent());
    }

    @Test
    void everyKeyIsNewEvenForTheSamePrincipal() {
        Principal svc = new Principal("lms", Role.SERVICE);
        String a = keys().issue(svc);
        String b = keys().issue(svc);
        assertNotEquals(a, b);
        assertTrue(a.startsWith("ce_") && a.length() > 40);
        assertEquals(Optional.of(svc), keys().authenticate(b));
    }

    @Test
    void revokingAllOfAParticipantInAContestEndsOnlyTheirKeysThere() {
        String subject = "eve-" + System.nanoTime();
        String phone = keys().issue(new Principal(subject, Role.PARTICIPANT, "autumn"));
        String laptop = keys().issue(new Principal(subject, Role.PARTICIPANT, "autumn"));
        String otherContest = keys().issue(new Principal(subject, Role.PARTICIPANT, "winter"));
        String unscoped = keys().issue(new Principal(subject, Role.PARTICIPANT));
        String someoneElse = keys().issue(new Principal(subject + "x", Role.PARTICIPANT, "autumn"));
        assertEquals(2, keys().revokeAll(subject, "autumn"));
        assertFalse(keys().authenticate(phone).isPresent());
        assertFalse(keys().authenticate(laptop).isPresent());
        assertTrue(keys().authenticate(otherContest).isPresent());
        assertTrue(keys().authenticate(unscoped).isPresent());
        assertTrue(keys().authenticate(someoneElse).isPresent());
        assertEquals(0, keys().revokeAll(subject, "autumn"));
        assertEquals(0, keys().revokeAll("o'brien", "it's"), "quotes are values, not syntax");
    }

    @Test
    void revokingAllButTheNewestKeepsTheNewestKeysOfThatParticipantInThatContest() throws Exception {
        String subject = "ada-" + UUID.randomUUID().toString().substring(0, 6);
        Principal ada = new Principal(subject, Role.PARTICIPANT, "cup");
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            issued.add(keys().issue(ada));
            Thread.sleep(5); // issued one after another, as sign-ins are
        }
        String elsewhere = keys().issue(new Principal(subject, Role.PARTICIPANT, "other-cup"));
        assertEquals(3, keys().revokeAllButNewest(subject, "cup", 2));
        for (int i = 0; i < 5; i++) {
            assertEquals(i >= 3, keys().authenticate(issued.get(i)).isPresent(), "key " + i + " of 5");
        }
        assertTrue(keys().authenticate(elsewhere).isPresent(), "a key in another contest is not counted");
        assertEquals(0, keys().revokeAllButNewest(subject, "cup", 2));
        assertEquals(2, keys().revokeAllButNewest(subject, "cup", 0));
    }
}
