package io.codingengine.api.limits;

import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.AzuriteExtension;
import io.github.bucket4j.BucketConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two independent proxy managers on one table stand for two api processes: together they hand
 * out exactly the bucket's capacity, also when they race (compare-and-swap on ETags in Azurite).
 */
@ExtendWith(AzuriteExtension.class)
class TableBucketProxyManagerTest {

    private static final Supplier<BucketConfiguration> TEN_AN_HOUR = () -> BucketConfiguration.builder()
            .addLimit(l -> l.capacity(10).refillGreedy(10, Duration.ofHours(1))).build();

    @Test
    void twoProcessesShareOneBucket() throws Exception {
        String prefix = "b" + UUID.randomUUID().toString().substring(0, 8);
        var first = new TableBucketProxyManager(AzureStorage.tables(AzuriteExtension.connectionString()), prefix);
        var second = new TableBucketProxyManager(AzureStorage.tables(AzuriteExtension.connectionString()), prefix);
        AtomicInteger granted = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            var futures = new java.util.ArrayList<Future<?>>();
            for (int i = 0; i < 24; i++) {
                var manager = i % 2 == 0 ? first : second;
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
        assertEquals(0, first.getProxy("participant~alice", TEN_AN_HOUR).getAvailableTokens());
        assertEquals(10, second.getProxy("participant~bob", TEN_AN_HOUR).getAvailableTokens(), "buckets are per key");
    }

    @Test
    void theAsynchronousModeDrawsOnTheSameBucket() throws Exception {
        String prefix = "b" + UUID.randomUUID().toString().substring(0, 8);
        var manager = new TableBucketProxyManager(AzureStorage.tables(AzuriteExtension.connectionString()), prefix);
        var async = manager.asAsync().getProxy("participant~carol", () -> java.util.concurrent.CompletableFuture.completedFuture(TEN_AN_HOUR.get()));
        for (int i = 0; i < 7; i++) {
            assertEquals(true, async.tryConsume(1).get());
        }
        assertEquals(3, manager.getProxy("participant~carol", TEN_AN_HOUR).getAvailableTokens());
        manager.asAsync().removeProxy("participant~carol").get();
        assertEquals(10, manager.getProxy("participant~carol", TEN_AN_HOUR).getAvailableTokens(), "removed, then new");
    }
}
