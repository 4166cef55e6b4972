package io.codingengine.api.config;

import io.codingengine.api.limits.SubmissionLimiter;
import io.codingengine.api.limits.TableBucketProxyManager;
import io.codingengine.api.limits.WaitingLimit;
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.common.store.StorageAccount;
import io.codingengine.common.store.SubmissionStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Rate limits and backpressure, with buckets on the deployment's Table Storage, and the waiting limit. */
@Configuration(proxyBeanMethods = false)
public class LimitsConfiguration {

    @Bean
    SubmissionLimiter submissionLimiter(StorageAccount.Clients storage, EngineProperties p, SubmissionQueue queue) {
        return new SubmissionLimiter(new TableBucketProxyManager(storage.tables(), p.tablePrefix()), queue, p.limits());
    }

    @Bean
    WaitingLimit waitingLimit(SubmissionStore store, EngineProperties p) {
        return new WaitingLimit(store, p.limits().maxWaiting());
    }
}
