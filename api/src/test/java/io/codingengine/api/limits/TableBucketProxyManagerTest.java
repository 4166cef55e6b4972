package io.codingengine.api.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.AzuriteExtension;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link RateLimitBucketsContract} against {@link TableBucketProxyManager} on a real Azurite (compare-and-swap on ETags). */
@ExtendWith(AzuriteExtension.class)
class TableBucketProxyManagerTest extends RateLimitBucketsContract {

    private static final Supplier<BucketConfiguration> TEN_AN_HOUR = () -> BucketConfiguration.builder()
            .addLimit(l -> l.capacity(10).refillGreedy(10, Duration.ofHours(1)))
            .build();

    @Override
    protected List<ProxyManager<String>> twoProcesses() {
        String prefix = "b" + UUID.randomUUID().toString().substring(0, 8);
        return List.of(
                new TableBucketProxyManager(AzureStorage.tables(AzuriteExtension.connectionString()), prefix),
                new TableBucketProxyManager(AzureStorage.tables(AzuriteExtension.connectionString()), prefix));
    }

    @Test
    void theAsynchronousModeDrawsOnTheSameBucket() throws Exception {
        String prefix = "b" + UUID.randomUUID().toString().substring(0, 8);
        var manager = new TableBucketProxyManager(AzureStorage.tables(AzuriteExtension.connectionString()), prefix);
        var async = manager.asAsync()
                .getProxy(
                        "participant~carol",
                        () -> java.util.concurrent.CompletableFuture.completedFuture(TEN_AN_HOUR.get()));
        for (int i = 0; i < 7; i++) {
            assertEquals(true, async.tryConsume(1).get());
        }
        assertEquals(3, manager.getProxy("participant~carol", TEN_AN_HOUR).getAvailableTokens());
        manager.asAsync().removeProxy("participant~carol").get();
        assertEquals(10, manager.getProxy("participant~carol", TEN_AN_HOUR).getAvailableTokens(), "removed, then new");
    }
}
