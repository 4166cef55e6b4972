package io.codingengine.api.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.config.EngineProperties;
import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.AzuriteExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.util.unit.DataSize;

/**
 * Two limiters with their own proxy managers on one table stand for two api processes (Azurite):
 * they share every entry bucket, and parallel guesses get no more than the limit. The window is
 * an hour, so nothing here depends on timing.
 */
@ExtendWith(AzuriteExtension.class)
class EntryLimiterTest {

    /**
     * 3 wrong tokens per address, 5 per contest, 4 wrong passwords and 3 sign-ins per account, 2
     * open entries per address, an hour's window.
     */
    private static final EngineProperties.Limits LIMITS = new EngineProperties.Limits(
            20,
            6000,
            60,
            5,
            2000,
            1000,
            DataSize.ofMegabytes(1),
            2,
            3,
            5,
            4,
            Duration.ofHours(1),
            Duration.ofSeconds(10),
            100,
            20,
            2,
            60,
            3,
            10,
            2);

    private static EntryLimiter process(String prefix) {
        return new EntryLimiter(
                new LimitBuckets(
                        new TableBucketProxyManager(AzureStorage.tables(AzuriteExtension.connectionString()), prefix),
                        1),
                LIMITS);
    }

    private static String prefix() {
        return "e" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aLockoutReachedThroughOneProcessHoldsInTheOther() {
        String prefix = prefix();
        EntryLimiter first = process(prefix);
        EntryLimiter second = process(prefix);
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    Optional.empty(), (i % 2 == 0 ? first : second).tryToken("cup", "203.0.113.5", Optional::empty));
        }
        LimitExceededException locked = assertThrows(
                LimitExceededException.class, () -> second.tryToken("cup", "203.0.113.5", () -> Optional.of("team-a")));
        assertEquals(429, locked.status());
        assertTrue(
                locked.retryAfter().compareTo(Duration.ofMinutes(19)) > 0,
                "one back every 20 minutes: " + locked.retryAfter());
        assertEquals(Optional.of("team-a"), first.tryToken("cup", "203.0.113.6", () -> Optional.of("team-a")));

        first.admitOpenEntry("198.51.100.7");
        second.admitOpenEntry("198.51.100.7");
        assertThrows(LimitExceededException.class, () -> first.admitOpenEntry("198.51.100.7"));
    }

    @Test
    void rightTokensCostNothing() {
        EntryLimiter limiter = process(prefix());
        for (int i = 0; i < 20; i++) {
            assertEquals(Optional.of("team-a"), limiter.tryToken("cup", "203.0.113.5", () -> Optional.of("team-a")));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limiter.tryToken("cup", "203.0.113.5", Optional::empty));
        }
        assertThrows(
                LimitExceededException.class,
                () -> limiter.tryToken("cup", "203.0.113.5", () -> Optional.of("team-a")));
    }

    /** The attempt is taken before the token is looked at: a parallel burst gets the limit's worth of looks, no more. */
    @Test
    void parallelGuessesGetNoMoreLooksThanTheLimit() throws Exception {
        String prefix = prefix();
        List<EntryLimiter> processes = List.of(process(prefix), process(prefix));
        AtomicInteger looks = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                EntryLimiter limiter = processes.get(i % 2);
                futures.add(pool.submit(() -> {
                    try {
                        limiter.tryToken("cup", "203.0.113.5", () -> {
                            looks.incrementAndGet();
                            return Optional.empty();
                        });
                    } catch (LimitExceededException e) {
                        refused.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertEquals(3, looks.get(), "the address's 3 attempts, once, across both processes");
        assertEquals(21, refused.get());
    }

    /** A contest's lockout refuses an address without using up the address's own attempts. */
    @Test
    void theContestLimitHoldsAcrossAddresses() {
        EntryLimiter limiter = process(prefix());
        for (int i = 0; i < 5; i++) {
            limiter.tryToken("cup", "203.0.113." + i, Optional::empty);
        }
        LimitExceededException locked = assertThrows(
                LimitExceededException.class,
                () -> limiter.tryToken("cup", "203.0.113.99", () -> Optional.of("team-a")));
        assertTrue(locked.getMessage().contains("contest cup"), locked.getMessage());
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    Optional.empty(),
                    limiter.tryToken("other-cup", "203.0.113.99", Optional::empty),
                    "the refused attempt was given back to the address");
        }
    }

    /** A name and its former login may be two accounts: an attempt through either spelling is charged to both. */
    @Test
    void aPasswordAttemptIsChargedToEveryAccountItMayCheck() {
        EntryLimiter limiter = process(prefix());
        for (int i = 0; i < 4; i++) {
            assertEquals(
                    Optional.empty(), limiter.tryPassword("cup", List.of("alice"), "203.0.113." + i, Optional::empty));
        }
        LimitExceededException locked = assertThrows(
                LimitExceededException.class,
                () -> limiter.tryPassword(
                        "cup", List.of("alicee", "alice"), "203.0.113.50", () -> Optional.of("alice")));
        assertTrue(locked.getMessage().contains("account alice "), locked.getMessage());
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    Optional.of("alicee"),
                    limiter.tryPassword("cup", List.of("alicee"), "203.0.113." + (60 + i), () -> Optional.of("alicee")),
                    "the other account's attempt was given back");
        }
        assertThrows(
                LimitExceededException.class,
                () -> limiter.tryPassword("cup", List.of("alicee"), "203.0.113.70", () -> Optional.of("alicee")),
                "its sign-ins are 3");
    }

    @Test
    void rightPasswordsAreLimitedPerAccountAndWrongOnesDoNotUseThemUp() {
        EntryLimiter limiter = process(prefix());
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    Optional.empty(), limiter.tryPassword("cup", List.of("bob"), "203.0.113." + i, Optional::empty));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    Optional.of("bob"),
                    limiter.tryPassword("cup", List.of("bob"), "203.0.113." + (10 + i), () -> Optional.of("bob")));
        }
        AtomicInteger looks = new AtomicInteger();
        LimitExceededException limited = assertThrows(
                LimitExceededException.class,
                () -> limiter.tryPassword("cup", List.of("bob"), "203.0.113.20", () -> {
                    looks.incrementAndGet();
                    return Optional.of("bob");
                }));
        assertTrue(limited.getMessage().contains("signed in 3 times"), limited.getMessage());
        assertEquals(0, looks.get(), "no password check (BCrypt) once the sign-ins are used up");
    }
}
