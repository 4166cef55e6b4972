package io.codingengine.api.limits;

import io.codingengine.common.store.PostgresSchema;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import javax.sql.DataSource;

/**
 * The rate limits' buckets on PostgreSQL, so every api process draws on the same ones: Bucket4j's
 * own PostgreSQL proxy manager on table {@code rate_limit_buckets} (the stores' schema,
 * {@link PostgresSchema}), one row per bucket key. Each draw locks its bucket's row
 * ({@code SELECT ... FOR UPDATE}) for one short transaction, so draws from any process on one
 * bucket take turns and never lose one another's.
 */
public final class PostgresBuckets {

    private PostgresBuckets() {}

    /** Buckets keyed by any string ({@link SubmissionLimiter}'s and {@link EntryLimiter}'s keys). */
    public static ProxyManager<String> on(DataSource dataSource) {
        return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets")
                .build();
    }
}
