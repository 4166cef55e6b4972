package io.codingengine.api.limits;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The contract of the rate limits' buckets (a Bucket4j {@link ProxyManager} with string keys, as
 * {@link SubmissionLimiter} and {@link EntryLimiter} draw on it): every adapter's test extends this
 * class. Two proxy managers on one storage stand for two api processes: together they hand out
 * exactly a bucket's capacity, also when they race.
 */
public abstract class RateLimitBucketsContract {

    private static final Supplier<BucketConfiguration> TEN_AN_HOUR = () -> BucketConfiguration.builder()
            .addLimit(l -> l.capacity(10).refillGreedy(10, Duration.ofHours(1))).build();

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
        assertEquals(0, managers.getFirst().getProxy("participant~alice", TEN_AN_HOUR).getAvailableTokens());
        assertEquals(10, managers.getLast().getProxy("participant~bob", TEN_AN_HOUR).getAvailableTokens(),
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
}
