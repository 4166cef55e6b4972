package io.codingengine.api.limits;

import io.codingengine.common.store.PostgresExtension;
import io.codingengine.common.store.PostgresSchema;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.util.List;
import javax.sql.DataSource;

/** {@link RateLimitBucketsContract} against {@link PostgresBuckets} on a real PostgreSQL. */
class PostgresBucketsTest extends RateLimitBucketsContract {

    /** A database of their own, and a pool each, as two api processes have. */
    @Override
    protected List<ProxyManager<String>> twoProcesses() {
        PostgresExtension.Database database = PostgresExtension.newDatabase("buckets");
        DataSource first = database.dataSource();
        PostgresSchema.migrate(first);
        return List.of(PostgresBuckets.on(first), PostgresBuckets.on(database.dataSource()));
    }
}
