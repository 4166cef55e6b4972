package io.codingengine.api.contest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.contest.AccountStore.Account;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AccountStore}: every adapter's test extends this class. Each test uses
 * its own contest id, so one store may serve all tests of a class.
 */
public abstract class AccountStoreContract {

    /** The store under test; the same instance for every call of one test class is fine. */
    protected abstract AccountStore store();

    private static String contest() {
        return "c-" + UUID.randomUUID().toString().substring(0, 13);
    }

    private static Account account(String contest, String login, String hash) {
        return new Account(
                contest, login, login + "-3f9a1c", "Ada L. ✓", hash, Instant.parse("2026-03-01T10:15:30.123456Z"));
    }

    @Test
    void aCreatedAccountIsFoundByItsLoginAsStored() {
        String c = contest();
        Account ada = account(c, "ada-l", "$2a$10$abcdefghijklmnopqrstuv");
        assertTrue(store().create(ada));
        assertEquals(Optional.of(ada), store().get(c, "ada-l"));
        assertEquals(Optional.empty(), store().get(c, "ada"));
        assertEquals(Optional.empty(), store().get(contest(), "ada-l"), "accounts belong to one contest");
    }

    @Test
    void aLoginIsTakenOnceInAContestAndTheFirstAccountStays() {
        String c = contest();
        assertTrue(store().create(account(c, "grace", "first")));
        assertFalse(store().create(account(c, "grace", "second")));
        assertEquals("first", store().get(c, "grace").orElseThrow().passwordHash());
        assertTrue(store().create(account(contest(), "grace", "elsewhere")), "another contest has its own logins");
    }

    @Test
    void ofManyCreatingOneLoginAtOnceExactlyOneSucceeds() throws Exception {
        String c = contest();
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<Boolean>> results = pool.invokeAll(java.util.stream.IntStream.range(0, 8)
                    .<Callable<Boolean>>mapToObj(i -> () -> store().create(account(c, "race", "h" + i)))
                    .toList());
            long created = 0;
            for (Future<Boolean> r : results) {
                created += r.get() ? 1 : 0;
            }
            assertEquals(1, created);
        }
    }

    @Test
    void listsAContestsAccountsByLogin() {
        String c = contest();
        store().create(account(c, "b", "x"));
        store().create(account(c, "a", "x"));
        store().create(account(contest(), "c", "x"));
        assertEquals(
                List.of("a", "b"), store().list(c).stream().map(Account::login).toList());
        assertEquals(List.of(), store().list(contest()));
    }

    @Test
    void aPasswordHashIsReplacedOnlyForAnExistingAccount() {
        String c = contest();
        Account ada = account(c, "ada", "old");
        store().create(ada);
        assertTrue(store().setPasswordHash(c, "ada", "new"));
        Account now = store().get(c, "ada").orElseThrow();
        assertEquals("new", now.passwordHash());
        assertEquals(ada.participant(), now.participant());
        assertEquals(
                ada.createdAt().truncatedTo(ChronoUnit.MICROS), now.createdAt().truncatedTo(ChronoUnit.MICROS));
        assertFalse(store().setPasswordHash(c, "nobody", "new"));
        assertEquals(Optional.empty(), store().get(c, "nobody"));
    }

    @Test
    void quotesInALookupFindNothingAndBreakNothing() {
        String c = contest();
        store().create(account(c, "ada", "x"));
        assertEquals(Optional.empty(), store().get(c, "ada' or RowKey ne '"));
        assertEquals(List.of(), store().list(c + "' or PartitionKey ne '"));
    }

    @Test
    void anAccountNeverPrintsItsHash() {
        assertFalse(account("c", "ada", "$2a$10$secret").toString().contains("secret"));
    }
}
