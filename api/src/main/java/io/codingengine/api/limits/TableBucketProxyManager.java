package io.codingengine.api.limits;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Bucket4j buckets on Azure Table Storage, so every api process draws on the same buckets:
 * table {@code <prefix>ratelimits}, PartitionKey = SHA-256 of the bucket key (any string is a
 * valid key), RowKey {@code bucket}, property {@code State} (Bucket4j's serialized state, base64).
 * Bucket4j's compare-and-swap is a conditional write: an insert that fails with 409 when another
 * process created the bucket first, or a replace with the ETag read, which fails with 412 when
 * another process changed it in between; Bucket4j then reads again and retries.
 */
public final class TableBucketProxyManager extends AbstractCompareAndSwapBasedProxyManager<String> {

    private static final Executor ASYNC = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("ratelimit-", 0).factory());

    private final TableClient table;

    public TableBucketProxyManager(TableServiceClient tables, String tablePrefix) {
        super(ClientSideConfig.getDefault());
        tables.createTableIfNotExists(tablePrefix + "ratelimits");
        this.table = tables.getTableClient(tablePrefix + "ratelimits");
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        String partition = partition(key);
        return new CompareAndSwapOperation() {
            private String etag;

            @Override
            public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                // A query, not a point read: a missing bucket is routine and the SDK logs point-read 404s as errors.
                Optional<TableEntity> row = table
                        .listEntities(
                                new ListEntitiesOptions()
                                        .setFilter("PartitionKey eq '" + partition + "' and RowKey eq 'bucket'"),
                                null,
                                Context.NONE)
                        .stream()
                        .findFirst();
                etag = row.map(TableEntity::getETag).orElse(null);
                return row.map(r -> Base64.getDecoder().decode((String) r.getProperty("State")));
            }

            @Override
            public boolean compareAndSwap(
                    byte[] originalData, byte[] newData, RemoteBucketState newState, Optional<Long> timeoutNanos) {
                TableEntity entity = new TableEntity(partition, "bucket")
                        .addProperty("State", Base64.getEncoder().encodeToString(newData));
                try {
                    if (originalData == null) {
                        table.createEntity(entity);
                    } else {
                        entity.getProperties().put("odata.etag", etag);
                        table.updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
                    }
                    return true;
                } catch (TableServiceException e) {
                    int status = e.getResponse().getStatusCode();
                    if (status == 409 || status == 412) {
                        return false; // another process won; Bucket4j reads again
                    }
                    throw e;
                }
            }
        };
    }

    /** The Table client blocks, so the asynchronous mode runs the same operation on virtual threads. */
    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        CompareAndSwapOperation operation = beginCompareAndSwapOperation(key);
        return new AsyncCompareAndSwapOperation() {
            @Override
            public CompletableFuture<Optional<byte[]>> getStateData(Optional<Long> timeoutNanos) {
                return CompletableFuture.supplyAsync(() -> operation.getStateData(timeoutNanos), ASYNC);
            }

            @Override
            public CompletableFuture<Boolean> compareAndSwap(
                    byte[] originalData, byte[] newData, RemoteBucketState newState, Optional<Long> timeoutNanos) {
                return CompletableFuture.supplyAsync(
                        () -> operation.compareAndSwap(originalData, newData, newState, timeoutNanos), ASYNC);
            }
        };
    }

    @Override
    public void removeProxy(String key) {
        try {
            table.deleteEntity(partition(key), "bucket");
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() != 404) {
                throw e;
            }
        }
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        return CompletableFuture.runAsync(() -> removeProxy(key), ASYNC);
    }

    @Override
    public boolean isAsyncModeSupported() {
        return true;
    }

    private static String partition(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
