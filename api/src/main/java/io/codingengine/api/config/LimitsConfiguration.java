package io.codingengine.api.config;

import io.codingengine.api.limits.EntryLimiter;
import io.codingengine.api.limits.SubmissionLimiter;
import io.codingengine.api.limits.TableBucketProxyManager;
import io.codingengine.api.limits.WaitingLimit;
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.common.store.StorageAccount;
import io.codingengine.common.store.SubmissionStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Rate limits and backpressure, with buckets on the deployment's Table Storage (one table, so
 * every api process draws on the same buckets), and the waiting limit.
 */
@Configuration(proxyBeanMethods = false)
public class LimitsConfiguration {

    @Bean
    TableBucketProxyManager rateLimitBuckets(StorageAccount.Clients storage, EngineProperties p) {
        return new TableBucketProxyManager(storage.tables(), p.tablePrefix());
    }

    @Bean
    SubmissionLimiter submissionLimiter(TableBucketProxyManager buckets, EngineProperties p, SubmissionQueue queue) {
        return new SubmissionLimiter(buckets, queue, p.limits());
    }

    @Bean
    EntryLimiter entryLimiter(TableBucketProxyManager buckets, EngineProperties p) {
        return new EntryLimiter(buckets, p.limits());
    }

    @Bean
    WaitingLimit waitingLimit(SubmissionStore store, EngineProperties p) {
        return new WaitingLimit(store, p.limits().maxWaiting());
    }
}
