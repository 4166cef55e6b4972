package io.codingengine.api.config;

import io.codingengine.api.limits.DraftLimiter;
import io.codingengine.api.limits.EntryLimiter;
import io.codingengine.api.limits.LimitBuckets;
import io.codingengine.api.limits.QuestionLimiter;
import io.codingengine.api.limits.SubmissionLimiter;
import io.codingengine.api.limits.WaitingLimit;
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.common.store.SubmissionStore;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Rate limits and backpressure, with buckets in the deployment's store (the stores'
 * configuration makes them, shared by every api process), and the waiting limit.
 */
@Configuration(proxyBeanMethods = false)
public class LimitsConfiguration {

    /** Versioned by this process's start, so its settings replace what an earlier start stored. */
    @Bean
    LimitBuckets limitBuckets(ProxyManager<String> buckets) {
        return LimitBuckets.startedNow(buckets);
    }

    @Bean
    SubmissionLimiter submissionLimiter(LimitBuckets buckets, EngineProperties p, SubmissionQueue queue) {
        return new SubmissionLimiter(buckets, queue, p.limits());
    }

    @Bean
    EntryLimiter entryLimiter(LimitBuckets buckets, EngineProperties p) {
        return new EntryLimiter(buckets, p.limits());
    }

    @Bean
    QuestionLimiter questionLimiter(LimitBuckets buckets, EngineProperties p) {
        return new QuestionLimiter(buckets, p.limits().questionsPerHour());
    }

    @Bean
    DraftLimiter draftLimiter(LimitBuckets buckets, EngineProperties p) {
        return new DraftLimiter(buckets, p.limits().draftSavesPerMinute());
    }

    @Bean
    WaitingLimit waitingLimit(SubmissionStore store, EngineProperties p) {
        return new WaitingLimit(store, p.limits().maxWaiting());
    }
}
