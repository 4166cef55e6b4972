package io.codingengine.api.web;

import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Bucket4j's buckets in this JVM's memory, for the web slices: the same compare-and-swap Bucket4j
 * runs on PostgreSQL and Table Storage ({@code PostgresBuckets}, {@code TableBucketProxyManager}),
 * on a map. The stored state is compared by identity: Bucket4j hands back the array it read.
 */
public final class InMemoryBuckets extends AbstractCompareAndSwapBasedProxyManager<String> {

    private final ConcurrentMap<String, byte[]> states = new ConcurrentHashMap<>();

    public InMemoryBuckets() {
        super(ClientSideConfig.getDefault());
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        return new CompareAndSwapOperation() {
            @Override
            public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                return Optional.ofNullable(states.get(key));
            }

            @Override
            public boolean compareAndSwap(
                    byte[] originalData, byte[] newData, RemoteBucketState newState, Optional<Long> timeoutNanos) {
                return originalData == null
                        ? states.putIfAbsent(key, newData) == null
                        : states.replace(key, originalData, newData);
            }
        };
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        throw new UnsupportedOperationException("the limits use the synchronous mode");
    }

    @Override
    public void removeProxy(String key) {
        states.remove(key);
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        throw new UnsupportedOperationException("the limits use the synchronous mode");
    }

    @Override
    public boolean isAsyncModeSupported() {
        return false;
    }
}
