package io.codingengine.api.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.TestBroker;
import io.codingengine.api.access.Principal;
import io.codingengine.api.access.Role;
import io.codingengine.api.config.EngineProperties;
import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * The contract of the rate limits' buckets (a Bucket4j {@link ProxyManager} with string keys, as
 * {@link SubmissionLimiter} and {@link EntryLimiter} draw on it): every adapter's test extends this
 * class. Two proxy managers on one storage stand for two api processes: together they hand out
 * exactly a bucket's capacity, also when they race. A limit changed in the settings holds once the
 * api restarts on the same store: the restarted process's configuration replaces the stored one
 * (Bucket4j's configuration version), and an older process still running does not put its own back.
 */
public abstract class RateLimitBucketsContract {

    private static final Supplier<BucketConfiguration> TEN_AN_HOUR = () -> BucketConfiguration.builder()
            .addLimit(l -> l.capacity(10).refillGreedy(10, Duration.ofHours(1)))
            .build();

    private static final Duration HOUR = Duration.ofHours(1);

    /** The api's queue, which the submission limiter asks for its depth before any rate. */
    private static EmbeddedArtemisBroker broker;

    private static ArtemisSubmissionQueue queue;

    @BeforeAll
    static void startQueue(@TempDir Path dir) {
        broker = TestBroker.start(dir.resolve("broker"));
        queue = ArtemisSubmissionQueue.connect(broker.url());
    }

    @AfterAll
    static void stopQueue() throws Exception {
        queue.close();
        broker.stop();
    }

    /**
     * Two proxy managers of their own (as two processes have) on one storage that no other test
     * uses; a new pair for every call.
     */
    protected abstract List<ProxyManager<String>> twoProcesses();

    @Test
    void twoProcessesShareOneBucket() throws Exception {
        List<ProxyManager<String>> managers = twoProcesses();
        AtomicInteger granted = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                ProxyManager<String> manager = managers.get(i % 2);
                futures.add(pool.submit(() -> {
                    if (manager.getProxy("participant~alice", TEN_AN_HOUR).tryConsume(1)) {
                        granted.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertEquals(10, granted.get(), "the capacity, once, across both processes");
        assertEquals(
                0,
                managers.getFirst().getProxy("participant~alice", TEN_AN_HOUR).getAvailableTokens());
        assertEquals(
                10,
                managers.getLast().getProxy("participant~bob", TEN_AN_HOUR).getAvailableTokens(),
                "buckets are per key");
    }

    @Test
    void aRemovedBucketStartsFullAgainAndAnyStringIsAKey() {
        List<ProxyManager<String>> managers = twoProcesses();
        String key = "execute~address~2001:db8::/64 o'brien ~%\u00e9";
        assertEquals(true, managers.getFirst().getProxy(key, TEN_AN_HOUR).tryConsume(7));
        assertEquals(3, managers.getLast().getProxy(key, TEN_AN_HOUR).getAvailableTokens());
        managers.getLast().removeProxy(key);
        assertEquals(10, managers.getFirst().getProxy(key, TEN_AN_HOUR).getAvailableTokens(), "removed, then new");
    }

    /**
     * Every rate limit's bucket is made by {@link LimitBuckets}, so this holds for all of them: a
     * raised limit holds after a restart (the tokens taken before still count), a lowered one too,
     * and a process with an older configuration neither puts its own back on a bucket nor stops
     * the newer one from using a bucket it made.
     */
    @Test
    void aChangedLimitReplacesTheStoredConfigurationAfterARestart() {
        List<ProxyManager<String>> managers = twoProcesses();
        LimitBuckets before = new LimitBuckets(managers.getFirst(), 1);
        assertTrue(before.bucket("participant~alice", 2, HOUR).tryConsume(2));
        assertFalse(before.bucket("participant~alice", 2, HOUR).tryConsume(1), "2 an hour, both taken");

        LimitBuckets raised = new LimitBuckets(managers.getLast(), 2);
        assertEquals(3, consumed(raised, "participant~alice", 5, 10), "5 an hour now: 3 more than the 2 taken");
        assertEquals(0, consumed(before, "participant~alice", 2, 1), "the older process does not lower it back");
        assertEquals(2, consumed(before, "participant~bob", 2, 10), "a bucket the older process makes has its limit");
        assertEquals(3, consumed(raised, "participant~bob", 5, 10), "until the newer process uses it");

        LimitBuckets lowered = new LimitBuckets(managers.getFirst(), 3);
        assertEquals(1, consumed(lowered, "participant~carol", 1, 10));
        assertEquals(0, consumed(raised, "participant~carol", 5, 10), "the newest start's 1 an hour holds");
        assertEquals(0, consumed(lowered, "participant~bob", 1, 10), "lowered from 5 to 1, all 5 taken");
    }

    /**
     * {@code limits.executions-per-minute} raised and the api restarted on the same store: the
     * Piston execution limit, per key and per address, answers at the new rate, with versions
     * taken as the api takes them ({@link LimitBuckets#startedNow}).
     */
    @Test
    void raisedExecutionsPerMinuteHoldAfterARestart() throws InterruptedException {
        List<ProxyManager<String>> managers = twoProcesses();
        SubmissionLimiter before =
                new SubmissionLimiter(LimitBuckets.startedNow(managers.getFirst()), queue, executionsPerMinute(2));
        Optional<Principal> key = Optional.of(new Principal("alice", Role.SERVICE, null));
        assertEquals(2, executions(before, key, 5));
        assertEquals(2, executions(before, Optional.empty(), 5));
        Thread.sleep(5); // a later start, a later version

        SubmissionLimiter restarted =
                new SubmissionLimiter(LimitBuckets.startedNow(managers.getLast()), queue, executionsPerMinute(5));
        assertEquals(3, executions(restarted, key, 5), "5 a minute: 3 more than the 2 taken this minute");
        assertEquals(3, executions(restarted, Optional.empty(), 5));
        LimitExceededException refused =
                assertThrows(LimitExceededException.class, () -> restarted.admitExecution(key, "203.0.113.7"));
        assertEquals(429, refused.status());
        assertEquals("this key may make 5 executions a minute", refused.getMessage());
    }

    private static int consumed(LimitBuckets buckets, String key, int perHour, int tries) {
        int taken = 0;
        for (int i = 0; i < tries; i++) {
            if (buckets.bucket(key, perHour, HOUR).tryConsume(1)) {
                taken++;
            }
        }
        return taken;
    }

    private static int executions(SubmissionLimiter limiter, Optional<Principal> caller, int tries) {
        int admitted = 0;
        for (int i = 0; i < tries; i++) {
            try {
                limiter.admitExecution(caller, "203.0.113.7");
                admitted++;
            } catch (LimitExceededException refused) {
                // over the limit
            }
        }
        return admitted;
    }

    private static EngineProperties.Limits executionsPerMinute(int perMinute) {
        return new EngineProperties.Limits(
                20,
                6000,
                perMinute,
                5,
                2000,
                1000,
                DataSize.ofMegabytes(1),
                10,
                10,
                100,
                10,
                Duration.ofMinutes(5),
                Duration.ofSeconds(10),
                100,
                20,
                1000,
                60,
                10,
                10,
                1000);
    }
}
