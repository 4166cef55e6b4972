package io.codingengine.api.limits;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Duration;

/**
 * The rate limits' buckets, shared by every api process through the store. A bucket keeps the
 * configuration it was made with, so a limit raised or lowered in the settings would never reach
 * it; each bucket is therefore built with this process's configuration version (its start), and
 * Bucket4j replaces a stored configuration of a lower version: the limits of the api started last
 * hold. Tokens carry over additively: raising a limit from 2 to 5 a minute gives 3 more at once.
 */
public final class LimitBuckets {

    private final ProxyManager<String> buckets;
    private final long version;

    /** @param version this process's configuration version; a later start must have a higher one */
    public LimitBuckets(ProxyManager<String> buckets, long version) {
        this.buckets = buckets;
        this.version = version;
    }

    /**
     * The buckets of a process started now: its version is the start's wall-clock time in
     * milliseconds, so an api started later (a changed setting, a restart) has a higher one.
     */
    public static LimitBuckets startedNow(ProxyManager<String> buckets) {
        return new LimitBuckets(buckets, System.currentTimeMillis());
    }

    /**
     * Takes one from the bucket of {@code key}, or throws (429) with {@code why} and the time
     * until the bucket has one again.
     */
    void admit(String key, long capacity, Duration window, String why) {
        ConsumptionProbe probe = bucket(key, capacity, window).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw LimitExceededException.tooMany(
                    why, Duration.ofNanos(probe.getNanosToWaitForRefill()).plusSeconds(1));
        }
    }

    /** The bucket of {@code key}: {@code capacity} tokens, refilled greedily over {@code window}. */
    BucketProxy bucket(String key, long capacity, Duration window) {
        return buckets.builder()
                .withImplicitConfigurationReplacement(version, TokensInheritanceStrategy.ADDITIVE)
                .build(
                        key,
                        () -> BucketConfiguration.builder()
                                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, window))
                                .build());
    }
}
